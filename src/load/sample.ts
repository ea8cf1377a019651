/**
 * One request's outcome, as the load generator records it and the summary reads it.
 */
import type { ConnectionPattern } from './connections.js';

/** Why a request failed, as the report counts it. */
export type ErrorKind = 'refused' | 'reset' | 'timeout' | 'http_5xx' | 'http_4xx' | 'other';

/** Every error kind, in the order a report lists them. */
export const ERROR_KINDS: readonly ErrorKind[] = ['refused', 'reset', 'timeout', 'http_5xx', 'http_4xx', 'other'];

/** One request. */
export interface Sample {
  /** Target name (e.g. the variant "default" / "zero-downtime"). */
  readonly target: string;
  /** Whether the request went on a reused keep-alive connection or a new one. @default 'reused' */
  readonly connection?: ConnectionPattern;
  /** Scheduled start, ms since the load started (the open-model schedule). */
  readonly scheduledMs: number;
  /** Actual start, ms since the load started. */
  readonly startMs: number;
  /** Wall-clock epoch ms of the actual start (to line samples up with cluster events). */
  readonly epochMs: number;
  /** Time to the complete response (or to the failure), ms. */
  readonly latencyMs: number;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** Undefined for a success (status < 400). */
  readonly error?: ErrorKind;
  /** The `x-pod` response header, when the app answered (absent for router-generated responses). */
  readonly pod?: string;
}

/** What the live progress reads of a request as it ends: a whole `Sample`, or what k6's output gives as it goes. */
export type LiveSample = Pick<Sample, 'target' | 'epochMs' | 'latencyMs' | 'error'>;

/** The error kind of an HTTP status: `http_5xx`, `http_4xx`, or undefined for a success. */
export function classifyStatus(status: number): ErrorKind | undefined {
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return undefined;
}

const REFUSED = new Set(['ECONNREFUSED']);
// 'socket hang up' carries ECONNRESET; undici reports a closed socket as UND_ERR_SOCKET.
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
// ETIMEDOUT is also the code of our own RequestTimeoutError.
const TIMEOUT = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * The error kind of a failed request, from the error's `code` or its cause's
 * (fetch wraps the socket error in `cause`). Unknown errors are `other`.
 */
export function classifyNetworkError(error: unknown): ErrorKind {
  const cause = field(error, 'cause');
  for (const code of [field(error, 'code'), field(cause, 'code')]) {
    if (typeof code !== 'string') continue;
    if (REFUSED.has(code)) return 'refused';
    if (RESET.has(code)) return 'reset';
    if (TIMEOUT.has(code)) return 'timeout';
  }
  // AbortSignal.timeout() aborts with a DOMException named TimeoutError.
  if (field(error, 'name') === 'TimeoutError' || field(cause, 'name') === 'TimeoutError') return 'timeout';
  return 'other';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
