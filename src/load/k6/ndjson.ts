/**
 * Turns k6's `--out json` output into the same `Sample` records the built-in
 * generator produces. Pure and streaming-friendly: feed lines one by one
 * (`K6SampleReader.push`), then `finish()`.
 *
 * The file holds one JSON object per line: `{"type":"Metric",…}` once per
 * metric, then `{"type":"Point","metric":<name>,"data":{"time","value","tags",
 * "metadata"?}}` per value. Every request adds, on consecutive lines, one point
 * each of http_reqs, http_req_duration, http_req_blocked, http_req_connecting,
 * http_req_tls_handshaking, http_req_sending, http_req_waiting,
 * http_req_receiving and http_req_failed, all with the same `time` and tags
 * (`status`, `error_code`, `error`, `scenario`, `variant`, …), then points of
 * other metrics (checks, data_sent, iteration_duration, …).
 *
 * `data.time` of the http_req_* points is the END of the request: k6's
 * `Trail.EndTime`, set when the response body was read or the request failed
 * (grafana/k6 lib/netext/httpext/tracer.go `Done()`, v1.8.1). A request's
 * latency here is http_req_blocked (waiting for a connection, which includes
 * connecting) + http_req_duration (sending + waiting + receiving), so that it
 * runs from the request's start as the built-in generator measures it; its
 * start is `time − latency`. Without an http_req_blocked point the latency is
 * http_req_duration alone. k6 records 0 for both when the connection was
 * refused (no connection trace events fire).
 *
 * k6/rollout-load.js adds metadata (which, unlike tags, creates no metric
 * series): `request` (the iteration's number in its scenario) on every point of
 * a request, and `pod` (the `x-pod` response header) on its `checks` point;
 * the two are joined by (variant, request). Without `request` metadata the
 * points of one request are joined by (variant, time).
 *
 * k6 does not report when an iteration was scheduled, so `scheduledMs` is the
 * actual start (`startMs`), both relative to the earliest start. Iterations k6
 * dropped (no free VU; never sent) are counted in `droppedIterations`.
 */
import { classifyStatus, type ErrorKind, type Sample } from '../sample.js';
import { K6OutputError } from './errors.js';

/** What the output held. */
export interface K6Samples {
  /** One per request, grouped by target (see `K6SampleReaderOptions.targets`), then by start. */
  readonly samples: Sample[];
  /** Wall-clock epoch ms of the earliest start (`startMs` 0); undefined when there is no sample. */
  readonly epochStartMs?: number;
  /** Iterations k6 dropped, by target (from `dropped_iterations` points, matched through their scenario). */
  readonly droppedIterations: ReadonlyMap<string, number>;
  /** True when the last line was cut off (k6 killed while writing); it was skipped. */
  readonly truncated: boolean;
}

/** The k6 error codes zdd classifies (grafana/k6 lib/netext/httpext/error_codes.go). */
export const K6_ERROR_CODES = {
  /** Any other error; "EOF" when the server closed the connection without answering. */
  generic: 1000,
  requestTimeout: 1050,
  brokenPipe: 1201,
  dialTimeout: 1211,
  connectionRefused: 1212,
  connectionReset: 1220,
} as const;

/**
 * The error kind of a request from its k6 tags (`status`, `error_code`,
 * `error`): 1212 → refused; 1220 and 1201 → reset; 1000 with error "EOF" /
 * "unexpected EOF" (the server closed the connection before answering, which
 * Node reports as ECONNRESET "socket hang up") → reset; 1211 and 1050 →
 * timeout; 1000 + status (e.g. 1503) and any status ≥ 400 → http_5xx /
 * http_4xx; any other code, or status 0 without a code → other; else a success.
 */
export function classifyK6Error(status: number, errorCode: number | undefined, error?: string): ErrorKind | undefined {
  if (errorCode === undefined || errorCode === 0) return status === 0 ? 'other' : classifyStatus(status);
  switch (errorCode) {
    case K6_ERROR_CODES.connectionRefused:
      return 'refused';
    case K6_ERROR_CODES.connectionReset:
    case K6_ERROR_CODES.brokenPipe:
      return 'reset';
    case K6_ERROR_CODES.dialTimeout:
    case K6_ERROR_CODES.requestTimeout:
      return 'timeout';
    case K6_ERROR_CODES.generic:
      return error === 'EOF' || error === 'unexpected EOF' ? 'reset' : 'other';
  }
  // k6 tags a response with status ≥ 400 with error_code 1000 + status.
  if (status >= 400 && errorCode === K6_ERROR_CODES.generic + status) return classifyStatus(status);
  return 'other';
}

interface Pending {
  readonly target: string;
  endEpochMs?: number;
  durationMs?: number;
  blockedMs?: number;
  status?: number;
  errorCode?: number;
  error?: string;
  pod?: string;
}

export interface K6SampleReaderOptions {
  /** The order of the targets in `samples`; targets not listed follow in the order they first appear. */
  readonly targets?: readonly string[];
}

/** Collects the samples of one `--out json` output, line by line. */
export class K6SampleReader {
  private readonly requests = new Map<string, Pending>();
  private readonly targetOrder = new Map<string, number>();

  constructor(options: K6SampleReaderOptions = {}) {
    for (const target of options.targets ?? []) {
      if (!this.targetOrder.has(target)) this.targetOrder.set(target, this.targetOrder.size);
    }
  }

  private readonly scenarios = new Map<string, string>();
  private readonly droppedByScenario = new Map<string, number>();
  private lineNumber = 0;
  private badLine: { readonly line: number; readonly problem: string } | undefined;

  /** Feeds one line (without its newline). Throws `K6OutputError` for an unreadable line that is not the last. */
  push(line: string): void {
    this.lineNumber++;
    if (line.trim() === '') return;
    // A bad line is fine only as the last one (cut off when k6 was killed).
    if (this.badLine) throw new K6OutputError(this.badLine.line, this.badLine.problem);
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      this.badLine = { line: this.lineNumber, problem: 'not JSON' };
      return;
    }
    if (!isRecord(entry)) throw new K6OutputError(this.lineNumber, 'not a JSON object');
    if (entry.type !== 'Point') return;
    this.point(entry);
  }

  /** The samples so far (call after the last line). */
  finish(): K6Samples {
    const built: Sample[] = [];
    let origin = Number.POSITIVE_INFINITY;
    const started: { readonly pending: Pending; readonly epochMs: number; readonly latencyMs: number }[] = [];
    for (const pending of this.requests.values()) {
      if (pending.durationMs === undefined || pending.endEpochMs === undefined) continue;
      const latencyMs = pending.durationMs + (pending.blockedMs ?? 0);
      const epochMs = pending.endEpochMs - latencyMs;
      origin = Math.min(origin, epochMs);
      started.push({ pending, epochMs, latencyMs });
    }
    for (const { pending, epochMs, latencyMs } of started) {
      const status = pending.status ?? 0;
      const error = classifyK6Error(status, pending.errorCode, pending.error);
      const startMs = epochMs - origin;
      built.push({
        target: pending.target,
        scheduledMs: startMs,
        startMs,
        epochMs,
        latencyMs,
        status,
        ...(error && { error }),
        ...(pending.pod !== undefined && { pod: pending.pod }),
      });
    }
    built.sort(
      (a, b) =>
        (this.targetOrder.get(a.target) ?? 0) - (this.targetOrder.get(b.target) ?? 0) ||
        a.startMs - b.startMs ||
        a.latencyMs - b.latencyMs,
    );
    const droppedIterations = new Map<string, number>();
    for (const [scenario, count] of this.droppedByScenario) {
      const target = this.scenarios.get(scenario) ?? scenario;
      droppedIterations.set(target, (droppedIterations.get(target) ?? 0) + count);
    }
    return {
      samples: built,
      ...(built.length > 0 && { epochStartMs: origin }),
      droppedIterations,
      truncated: this.badLine !== undefined,
    };
  }

  private point(entry: Record<string, unknown>): void {
    const metric = entry.metric;
    const data = entry.data;
    if (typeof metric !== 'string' || !isRecord(data)) {
      throw new K6OutputError(this.lineNumber, 'a Point without `metric` and `data`');
    }
    const tags = isRecord(data.tags) ? data.tags : {};
    const scenario = stringOf(tags.scenario);
    if (metric === 'dropped_iterations') {
      if (scenario !== undefined) {
        this.droppedByScenario.set(scenario, (this.droppedByScenario.get(scenario) ?? 0) + numberOf(data.value));
      }
      return;
    }
    const target = stringOf(tags.variant) ?? scenario;
    if (target === undefined) return;
    if (scenario !== undefined && !this.scenarios.has(scenario)) this.scenarios.set(scenario, target);
    const metadata = isRecord(data.metadata) ? data.metadata : {};
    const request = stringOf(metadata.request);
    if (metric === 'checks') {
      const pod = stringOf(metadata.pod);
      if (pod !== undefined && request !== undefined) this.pending(target, request).pod = pod;
      return;
    }
    if (metric !== 'http_req_duration' && metric !== 'http_req_blocked') return;
    const time = stringOf(data.time);
    const endEpochMs = time === undefined ? Number.NaN : parseTime(time);
    if (!Number.isFinite(endEpochMs)) {
      throw new K6OutputError(this.lineNumber, `a ${metric} point without a valid \`time\`: ${JSON.stringify(time)}`);
    }
    const value = numberOf(data.value);
    const pending = this.pending(target, request ?? `@${time}`);
    if (metric === 'http_req_blocked') {
      pending.blockedMs = value;
      return;
    }
    pending.durationMs = value;
    pending.endEpochMs = endEpochMs;
    pending.status = Number(stringOf(tags.status) ?? 0) || 0;
    const code = Number(stringOf(tags.error_code));
    if (Number.isInteger(code) && code > 0) pending.errorCode = code;
    const error = stringOf(tags.error);
    if (error !== undefined) pending.error = error;
  }

  private pending(target: string, request: string): Pending {
    const key = `${target}\n${request}`;
    let pending = this.requests.get(key);
    if (pending === undefined) {
      pending = { target };
      this.requests.set(key, pending);
      if (!this.targetOrder.has(target)) this.targetOrder.set(target, this.targetOrder.size);
    }
    return pending;
  }
}

/** All lines at once (e.g. a whole file's text). */
export function parseK6Ndjson(text: string, options: K6SampleReaderOptions = {}): K6Samples {
  const reader = new K6SampleReader(options);
  for (const line of text.split('\n')) reader.push(line);
  return reader.finish();
}

/**
 * Epoch ms, sub-ms digits kept: k6 writes RFC 3339 with up to 9 fraction
 * digits, e.g. `2026-11-27T10:43:30.283635994Z` or `…+01:00`, which
 * `Date.parse` would cut to ms. NaN when unreadable.
 */
export function parseTime(text: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return Number.NaN;
  const [, seconds, fraction = '', zone] = match;
  return Date.parse(`${seconds}${zone}`) + Number(`0.${fraction || '0'}`) * 1000;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
