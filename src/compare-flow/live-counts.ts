/**
 * What the live progress knows of one variant while the load runs: requests so far, failures by kind, and the
 * outage running now. Pure: each request folds into a new state.
 *
 * Requests arrive as they end, not in schedule order; a success ends the running outage only when it started
 * after the outage's first failure (an older request that ends late says nothing about now). The outage here is
 * an estimate for a person watching; the report's longest outage is computed from every sample afterwards.
 */
import { ERROR_KINDS, type ErrorKind, type LiveSample } from '../load/sample.js';

export interface LiveCounts {
  readonly requests: number;
  readonly failed: number;
  /** Failed requests by kind; a kind is absent until one fails so. */
  readonly byKind: Readonly<Partial<Record<ErrorKind, number>>>;
  /** Epoch ms when the first failure of the run of failures still going started; undefined when none is. */
  readonly outageSinceMs?: number;
}

export const NO_REQUESTS: LiveCounts = { requests: 0, failed: 0, byKind: {} };

/** `counts` with one more request. */
export function countRequest(counts: LiveCounts, sample: LiveSample): LiveCounts {
  const requests = counts.requests + 1;
  const { outageSinceMs } = counts;
  if (sample.error === undefined) {
    const ended = outageSinceMs !== undefined && sample.epochMs >= outageSinceMs;
    return ended || outageSinceMs === undefined
      ? { requests, failed: counts.failed, byKind: counts.byKind }
      : { ...counts, requests };
  }
  return {
    requests,
    failed: counts.failed + 1,
    byKind: { ...counts.byKind, [sample.error]: (counts.byKind[sample.error] ?? 0) + 1 },
    outageSinceMs: Math.min(outageSinceMs ?? sample.epochMs, sample.epochMs),
  };
}

/** The failure kinds with a count, in the report's order: `[['refused', 9], ['http_5xx', 8]]`. */
export function failedKinds(counts: LiveCounts): [ErrorKind, number][] {
  return ERROR_KINDS.flatMap((kind) => {
    const count = counts.byKind[kind] ?? 0;
    return count > 0 ? [[kind, count] as [ErrorKind, number]] : [];
  });
}
