/**
 * The errors zdd raises on purpose. Each carries what the user needs to fix the
 * input; `src/cli/main.ts` is the one place that turns them into exit codes.
 */

/** Exit codes, shared by every command. */
export const ExitCode = {
  ok: 0,
  /** The run completed but the result is a failure (e.g. requests were dropped). */
  failed: 1,
  /** Bad input: a flag, a config file, a setting, a target that cannot be reached. */
  usage: 2,
  /** A bug in zdd. */
  internal: 70,
} as const;

/** Bad input from the user. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
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

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}
