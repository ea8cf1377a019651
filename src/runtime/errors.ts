/**
 * The errors zdd raises on purpose. Each carries what the user needs to fix the
 * input; `src/cli/main.ts` is the one place that turns them into exit codes.
 */

/** Exit codes, shared by every command. */
export const ExitCode = {
  ok: 0,
  /** The run completed but the result is a failure (e.g. requests were dropped). */
  failed: 1,
  /** Bad input (a flag, a config file, a setting), or a setup that failed (the variants never served, a tool failed). */
  usage: 2,
  /** The run cannot be judged: a rollout failed, or the load was not delivered as asked. */
  inconclusive: 3,
  /** A bug in zdd. */
  internal: 70,
  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT). */
  interrupted: 130,
} as const;

/** Bad input from the user. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The input was fine but the setup failed: the variants never became
 * reachable, a port was taken, a folder cannot be written. Exit code 2,
 * without the usage hint.
 */
export class SetupError extends Error {
  override name = 'SetupError';
}

/**
 * An external tool (k6, HAProxy, kubectl, …) failed. The message names the
 * tool and what it did; `outputTail` holds the last lines it printed.
 */
export class ToolError extends SetupError {
  override name = 'ToolError';
  constructor(
    readonly tool: string,
    message: string,
    readonly outputTail = '',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Ctrl-C or SIGTERM stopped the command after it cleaned up. Exit code 130. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(readonly signal: NodeJS.Signals = 'SIGINT') {
    super(`stopped by ${signal}`);
  }

  /** For a signal that `src/cli/interrupts.ts` aborted: its reason is the signal's name. */
  static fromAbort(signal: AbortSignal): InterruptedError {
    return new InterruptedError(signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  }
}

/**
 * A setting that breaks a rule. `field` is the setting's path in the spec
 * (the config file's shape), e.g. `zeroDowntime.preStop.sleepSeconds`.
 */
export class SettingError extends UsageError {
  override name = 'SettingError';
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly value?: unknown,
  ) {
    super(`${field}: ${rule}${value === undefined ? '' : `, got ${formatValue(value)}`}`);
  }

  /** The same error with its field placed under `prefix` (for nested props). */
  under(prefix: string): SettingError {
    return new SettingError(`${prefix}.${this.field}`, this.rule, this.value);
  }
}

/** Longest echo of a user's value in a message; a longer one is cut, so a huge value cannot flood stderr. */
export const ECHO_LIMIT = 200;

/** A value as a message quotes it: strings in JSON quotes, numbers as written, long ones cut. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= ECHO_LIMIT) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, ECHO_LIMIT))}… (${value.length} characters)`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Cycles (YAML aliases can make them) and BigInts: the plain form still says what was given.
    text = String(value);
  }
  return cutText(text);
}

/** `text`, or its first `limit` characters followed by "… (N characters)". */
export function cutText(text: string, limit = ECHO_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters)`;
}
