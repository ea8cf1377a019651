/**
 * The errors the load generator raises on purpose.
 */

import { UsageError } from '../runtime/errors.js';

/**
 * An option of `runOpenModel` that cannot be used, named in the message, e.g.
 * ``Expected the `rate` option to be a number > 0, got -1 (number)``.
 * Thrown before any request is sent.
 */
export class LoadOptionError extends UsageError {
  override name = 'LoadOptionError';
  constructor(
    /** The option's path, e.g. `rate` or `targets[1].url`. */
    readonly option: string,
    /** What the option must be, e.g. `a number > 0`. */
    readonly rule: string,
    readonly value: unknown,
  ) {
    super(`Expected the \`${option}\` option to be ${rule}, got ${describeValue(value)}`);
  }
}

/**
 * Our own per-request timeout. Its `code` matches Node's socket timeout so
 * that both are counted as `timeout`.
 */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`No complete response within ${timeoutMs} ms`);
  }
}

/** Execa-style: the value, then its type. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `${shorten(safeJson(value))} (array)`;
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${shorten(text)} (${value === null ? 'null' : typeof value})`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function shorten(text: string): string {
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
