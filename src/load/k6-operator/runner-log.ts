/**
 * The samples of the k6 runners the k6-operator starts, read from their pods' logs. k6/rollout-load.js with
 * `SAMPLES=log` (and k6's `--log-format=raw`) prints one `zdd-sample {…}` line per request and, at the end, a
 * `zdd-summary {…}` line with the runner's own http_reqs count. Container logs are rotated by the kubelet (10 MiB
 * by default), so a log read late can miss lines: each runner's lines are counted against its own http_reqs, and
 * any difference is a problem the verdict must see (INCONCLUSIVE), never a quietly smaller sample. Pure.
 */

import { classifyK6Error } from '../k6/ndjson.js';
import type { LatencyMeasure } from '../latency.js';
import type { LiveSample, Sample } from '../sample.js';

const SAMPLE_MARK = 'zdd-sample ';
const SUMMARY_MARK = 'zdd-summary ';

/** One request as a runner logged it. */
interface LoggedRequest {
  readonly target: string;
  readonly connection: 'reused' | 'new';
  readonly endEpochMs: number;
  readonly blockedMs: number;
  readonly durationMs: number;
  readonly status: number;
  readonly errorCode?: number;
  readonly error?: string;
  readonly pod?: string;
}

/** One runner's log, as collected. */
export interface RunnerLogText {
  /** The runner's name (its pod's). */
  readonly runner: string;
  /** Its execution segment, `0:1/3`; undefined when it ran the whole test. */
  readonly segment?: string;
  readonly text: string;
}

/** What one runner contributed, for summary.json. */
export interface RunnerReport {
  readonly runner: string;
  readonly segment?: string;
  /** The requests its log holds. */
  readonly requests: number;
  /** Its own http_reqs count, from its end-of-test line; undefined when the log has none. */
  readonly httpReqs?: number;
  /** Iterations it dropped (no free VU), by scenario. */
  readonly dropped: Readonly<Record<string, number>>;
  /** Wall-clock epoch ms of its first request's start; undefined when it sent none. */
  readonly startedAt?: number;
  /** Requests the stop cancelled before they were answered ("context canceled"): not samples, as k6 counts none. */
  readonly cancelled: number;
}

export interface MergedRunnerLogs {
  /** Every runner's requests, grouped by target (in `targets` order, then first seen), then by start. */
  readonly samples: Sample[];
  /** Wall-clock epoch ms of the earliest start (`startMs` 0); undefined when there is no sample. */
  readonly epochStartMs?: number;
  readonly runners: RunnerReport[];
  /** Why the merge cannot be trusted, one sentence each: a runner whose log lost lines or ended early. */
  readonly problems: string[];
}

/**
 * Merges the runners' logs into one list of samples, as one k6 run's would be. `latency`: `total`,
 * blocked + duration (from the request's start), or `duration` alone, as src/load/k6/ndjson.ts reads `--out json`.
 */
export function mergeRunnerLogs(
  logs: readonly RunnerLogText[],
  options: { readonly targets?: readonly string[]; readonly latency?: LatencyMeasure } = {},
): MergedRunnerLogs {
  const runners: RunnerReport[] = [];
  const problems: string[] = [];
  const requests: LoggedRequest[] = [];
  for (const log of logs) {
    const read = readRunnerLog(log.text);
    for (const request of read.requests) requests.push(request);
    const measure = options.latency ?? 'total';
    const startedAt = earliest(read.requests.map((request) => request.endEpochMs - latencyOf(request, measure)));
    const name = log.segment === undefined ? log.runner : `${log.runner} (segment ${log.segment})`;
    runners.push({
      runner: log.runner,
      ...(log.segment !== undefined && { segment: log.segment }),
      requests: read.requests.length,
      ...(read.httpReqs !== undefined && { httpReqs: read.httpReqs }),
      dropped: read.dropped,
      ...(startedAt !== undefined && { startedAt }),
      cancelled: read.cancelled,
    });
    if (read.httpReqs === undefined) {
      problems.push(
        `runner ${name}: its log has no end-of-test line: it did not finish, or the end of its log is missing`,
      );
    } else if (read.requests.length < read.httpReqs || read.unreadable > 0) {
      // More lines than k6's count is no loss: a request that ended as k6 stopped is logged after its count closed.
      problems.push(
        `runner ${name}: its k6 made ${read.httpReqs} requests, but its log holds ${read.requests.length}${read.unreadable > 0 ? ` and ${read.unreadable} unreadable sample lines` : ''}: lines were lost (a kubelet rotates container logs at 10 MiB by default; lower --rate or raise the kubelet's containerLogMaxSize)`,
      );
    }
  }
  const measure = options.latency ?? 'total';
  const starts = requests.map((request) => request.endEpochMs - latencyOf(request, measure));
  const epochStartMs = earliest(starts);
  const order = [...(options.targets ?? [])];
  for (const request of requests) if (!order.includes(request.target)) order.push(request.target);
  const samples = requests
    .map((request, index) => toSample(request, starts[index] ?? 0, epochStartMs ?? 0, measure))
    .sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target) || a.startMs - b.startMs);
  return { samples, ...(epochStartMs !== undefined && { epochStartMs }), runners, problems };
}

function toSample(request: LoggedRequest, startEpochMs: number, epochStartMs: number, measure: LatencyMeasure): Sample {
  const error = classifyK6Error(request.status, request.errorCode, request.error);
  const startMs = startEpochMs - epochStartMs;
  return {
    target: request.target,
    connection: request.connection,
    scheduledMs: startMs,
    startMs,
    epochMs: startEpochMs,
    latencyMs: latencyOf(request, measure),
    status: request.status,
    ...(error !== undefined && { error }),
    ...(request.pod !== undefined && { pod: request.pod }),
  };
}

/** The smallest value, or undefined for none (a loop: `Math.min(...values)` overflows the stack past ~100k). */
function earliest(values: readonly number[]): number | undefined {
  let min: number | undefined;
  for (const value of values) if (min === undefined || value < min) min = value;
  return min;
}

function latencyOf(request: LoggedRequest, measure: LatencyMeasure): number {
  return measure === 'duration' ? request.durationMs : request.blockedMs + request.durationMs;
}

/** One log line as the live progress reads it while the runner runs: a request, or undefined for any other line. */
export function liveSample(line: string): LiveSample | undefined {
  if (!line.startsWith(SAMPLE_MARK)) return undefined;
  const request = loggedRequest(line.slice(SAMPLE_MARK.length));
  if (!request || isCancelled(request)) return undefined;
  const latencyMs = latencyOf(request, 'total');
  const error = classifyK6Error(request.status, request.errorCode, request.error);
  return { target: request.target, epochMs: request.endEpochMs - latencyMs, latencyMs, ...(error && { error }) };
}

/** The requests and the end-of-test line of one runner's log; other lines (k6's own) are skipped. */
export function readRunnerLog(text: string): {
  requests: LoggedRequest[];
  httpReqs?: number;
  dropped: Record<string, number>;
  unreadable: number;
  cancelled: number;
} {
  const requests: LoggedRequest[] = [];
  let summary: { httpReqs?: unknown; dropped?: unknown } | undefined;
  let unreadable = 0;
  let cancelled = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(SAMPLE_MARK)) {
      const request = loggedRequest(line.slice(SAMPLE_MARK.length));
      if (!request) unreadable += 1;
      else if (isCancelled(request)) cancelled += 1;
      else requests.push(request);
    } else if (line.startsWith(SUMMARY_MARK)) {
      summary = parseObject(line.slice(SUMMARY_MARK.length));
    }
  }
  const httpReqs = summary?.httpReqs;
  const dropped = summary?.dropped;
  return {
    requests,
    ...(typeof httpReqs === 'number' && { httpReqs }),
    dropped: isCounts(dropped) ? dropped : {},
    unreadable,
    cancelled,
  };
}

/**
 * A request k6 cancelled as it stopped (SIGTERM), before an answer: it failed for the stop, not for the rollout,
 * and k6's http_reqs leaves it out, as `--out json` does.
 */
function isCancelled(request: LoggedRequest): boolean {
  return request.status === 0 && request.error === 'context canceled';
}

function loggedRequest(json: string): LoggedRequest | undefined {
  const fields = parseObject(json);
  if (!fields) return undefined;
  const { t, c, end, b, d, s, ec, e, p } = fields;
  if (typeof t !== 'string' || (c !== 'reused' && c !== 'new')) return undefined;
  if (![end, b, d, s].every((value) => typeof value === 'number' && Number.isFinite(value))) return undefined;
  return {
    target: t,
    connection: c,
    endEpochMs: end as number,
    blockedMs: b as number,
    durationMs: d as number,
    status: s as number,
    ...(typeof ec === 'number' && { errorCode: ec }),
    ...(typeof e === 'string' && { error: e }),
    ...(typeof p === 'string' && { pod: p }),
  };
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isCounts(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((count) => typeof count === 'number' && Number.isInteger(count))
  );
}
