/**
 * The errors of the k6 load generator. Bad options are `LoadOptionError`s
 * (../errors.ts), thrown before k6 is started.
 */
import { ToolError, UsageError } from '../../runtime/errors.js';

/** The version zdd is tested with, and the one the install hint names. */
export const K6_TESTED_VERSION = 'v1.8.1';

/** k6 is not installed where zdd looks for it (PATH, then `$(go env GOPATH)/bin`). */
export class K6NotFoundError extends UsageError {
  override name = 'K6NotFoundError';
  constructor(
    /** Where zdd looked, in order. */
    readonly searched: readonly string[] = [],
  ) {
    super(
      [
        `k6 is not installed${searched.length > 0 ? ` (looked for ${searched.join(', ')})` : ''}.`,
        `Install it with \`go install go.k6.io/k6@${K6_TESTED_VERSION}\` (the binary lands in \`$(go env GOPATH)/bin\`,`,
        'which zdd also searches), or use the built-in load generator: `--load builtin`.',
      ].join(' '),
    );
  }
}

/** What went wrong with a k6 run, execa style. */
export interface K6ErrorDetails {
  /** k6's exit code; undefined when it did not exit by itself (signal, timeout, spawn failure). */
  readonly exitCode?: number;
  /** The signal that ended k6, e.g. `SIGKILL`. */
  readonly signal?: string;
  /** True when zdd ended k6 because it ran longer than allowed. */
  readonly timedOut?: boolean;
  /** The last lines k6 wrote to stderr. */
  readonly stderrTail?: string;
  readonly cause?: unknown;
}

/**
 * k6 failed: a non-zero exit other than "thresholds crossed" (99) or the stop
 * zdd asked for, a crash, a timeout, or no usable summary / samples.
 * `shortMessage` (and `message`) is one line, e.g. `k6 exited with code 107:
 * <last stderr line>`; `stderrTail` (and `outputTail`) holds k6's last stderr lines.
 */
export class K6Error extends ToolError {
  override name = 'K6Error';
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly timedOut: boolean;
  readonly stderrTail: string;
  readonly shortMessage: string;

  constructor(shortMessage: string, details: K6ErrorDetails = {}) {
    const stderrTail = details.stderrTail ?? '';
    super('k6', shortMessage, stderrTail, { cause: details.cause });
    this.shortMessage = shortMessage;
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.timedOut = details.timedOut ?? false;
    this.stderrTail = stderrTail;
  }
}

/** A summary file (what the script's handleSummary() wrote) that zdd cannot read. */
export class K6SummaryError extends Error {
  override name = 'K6SummaryError';
  constructor(
    readonly file: string,
    /** What was missing or wrong, e.g. ``no `metrics` object``. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** A line of k6's `--out json` file that zdd cannot read. */
export class K6OutputError extends Error {
  override name = 'K6OutputError';
  constructor(
    /** 1-based. */
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line} of k6's JSON output: ${problem}`);
  }
}
