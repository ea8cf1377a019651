/**
 * Per-target figures from samples, for the report. Pure.
 */
import { ERROR_KINDS, type ErrorKind, type Sample } from './sample.js';

/** What the report shows for one target. */
export interface TargetSummary {
  readonly requests: number;
  /** Requests with an error (including HTTP 4xx and 5xx). */
  readonly failed: number;
  /** failed / requests, 0..1. */
  readonly errorRate: number;
  /**
   * Latencies of all requests, failed ones included, ms: from the request's
   * start (before a connection is taken from the pool or opened) to the end of
   * the response body, or to the failure.
   */
  readonly avgMs: number;
  /** The shortest latency, ms. */
  readonly minMs: number;
  /** The median (k6's `med`: its 50th percentile, linear interpolation), ms. */
  readonly medianMs: number;
  /** k6's percentile (linear interpolation), ms. */
  readonly p90Ms: number;
  /** k6's percentile (linear interpolation), ms. */
  readonly p95Ms: number;
  /** k6's percentile (linear interpolation), ms. */
  readonly p99Ms: number;
  readonly maxMs: number;
  /** requests / the span from the first to the last scheduled start, in s; 0 when that span is 0. */
  readonly tps: number;
  /** Failed requests by error kind; every kind is present. */
  readonly byKind: Record<ErrorKind, number>;
  /**
   * The longest run of consecutive failed requests in schedule order, from the
   * first failure's start to the end (start + latency) of the last one, ms; 0 if
   * nothing failed.
   */
  readonly longestOutageMs: number;
}

/** One summary per target, in the order the targets first appear in `samples`. */
export function summarize(samples: readonly Sample[]): Map<string, TargetSummary> {
  const byTarget = new Map<string, Sample[]>();
  for (const sample of samples) {
    const group = byTarget.get(sample.target);
    if (group) group.push(sample);
    else byTarget.set(sample.target, [sample]);
  }
  const summaries = new Map<string, TargetSummary>();
  for (const [target, group] of byTarget) summaries.set(target, summarizeTarget(group));
  return summaries;
}

/** Summary of one target's samples; `samples` is not empty. */
export function summarizeTarget(samples: readonly Sample[]): TargetSummary {
  const inSchedule = [...samples].sort((a, b) => a.scheduledMs - b.scheduledMs || a.startMs - b.startMs);
  const latencies = samples.map((sample) => sample.latencyMs).sort((a, b) => a - b);
  const byKind = Object.fromEntries(ERROR_KINDS.map((kind) => [kind, 0])) as Record<ErrorKind, number>;
  let failed = 0;
  for (const sample of samples) {
    if (sample.error === undefined) continue;
    failed++;
    byKind[sample.error]++;
  }
  const requests = samples.length;
  const spanS = ((inSchedule.at(-1)?.scheduledMs ?? 0) - (inSchedule[0]?.scheduledMs ?? 0)) / 1000;
  return {
    requests,
    failed,
    errorRate: requests === 0 ? 0 : failed / requests,
    avgMs: requests === 0 ? 0 : latencies.reduce((sum, latency) => sum + latency, 0) / requests,
    minMs: latencies[0] ?? 0,
    medianMs: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? 0,
    tps: spanS > 0 ? requests / spanS : 0,
    byKind,
    longestOutageMs: longestOutage(inSchedule),
  };
}

/**
 * Percentile `p` (0–100) of ascending values as k6 computes its trends, so
 * that zdd's figures match k6's: index p·(n−1), linear interpolation between
 * the two values around it (grafana/k6 metrics TrendSink.P). 0 for none.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = (p / 100) * (sorted.length - 1);
  const below = sorted[Math.floor(index)] ?? 0;
  const above = sorted[Math.ceil(index)] ?? below;
  return below + (above - below) * (index - Math.floor(index));
}

/** See `TargetSummary.longestOutageMs`; `samples` are in schedule order. */
function longestOutage(samples: readonly Sample[]): number {
  let longest = 0;
  let first: Sample | undefined;
  let last: Sample | undefined;
  // One more round with no sample closes a run that lasts to the end.
  for (const sample of [...samples, undefined]) {
    if (sample?.error !== undefined) {
      first ??= sample;
      last = sample;
      continue;
    }
    if (first && last) longest = Math.max(longest, last.startMs + last.latencyMs - first.startMs);
    first = undefined;
    last = undefined;
  }
  return longest;
}
