/**
 * Turns k6's `--out json` output into the same `Sample` records the built-in
 * generator produces. Pure and streaming-friendly: feed lines one by one
 * (`K6SampleReader.push`), then `finish()`.
 *
 * The file holds one JSON object per line: `{"type":"Metric",…}` once per
 * metric, then `{"type":"Point","metric":<name>,"data":{"time","value","tags",
 * "metadata"?}}` per value. k6 writes the points of one request on consecutive
 * lines (a `Metric` line may come between them), all with the same `time`,
 * tags and metadata: http_reqs first, then http_req_duration, http_req_blocked,
 * http_req_connecting, http_req_tls_handshaking, http_req_sending,
 * http_req_waiting, http_req_receiving and (since k6 v0.31) http_req_failed;
 * points of other metrics (checks, data_sent, iteration_duration, …) follow.
 * (grafana/k6 `Trail.SaveSamples` in lib/netext/httpext/tracer.go, the same
 * order back to the loadimpact/k6 releases; the JSON output writes each
 * request's points as one block, internal/output/json/json.go `flushMetrics`.)
 *
 * Grouping: a request's points are found by their order, never by their time
 * alone (requests that end in the same clock tick — common where the clock is
 * coarse — have identical time strings). A new request starts at each
 * http_reqs point; the following points with the same target, tags, `request`
 * metadata (if any) and time belong to it, until one of its metrics repeats.
 * k6/rollout-load.js also adds metadata (which, unlike tags, creates no metric
 * series): `request` (the iteration's number in its scenario) on every point
 * of a request, and `pod` (the `x-pod` response header) on its `checks` point;
 * the pod is joined to the request by (target, request). Without `request`
 * metadata there is no pod. A request's `connection` tag (`reused` / `new`,
 * set by k6/rollout-load.js) becomes the sample's `connection`.
 *
 * `data.time` of the http_req_* points is the END of the request: k6's
 * `Trail.EndTime`, set when the response body was read or the request failed
 * (grafana/k6 lib/netext/httpext/tracer.go `Done()`, v1.8.1). A request's
 * latency here is http_req_blocked (waiting for a connection, which includes
 * connecting) + http_req_duration (sending + waiting + receiving), so that it
 * runs from the request's start as the built-in generator measures it; its
 * start is `time − latency`. Without an http_req_blocked point the latency is
 * http_req_duration alone (counted in `withoutBlocked`). With `latency:
 * 'duration'` it is http_req_duration alone, and the request starts when it
 * was sent. k6 records 0 for both when the connection was
 * refused (no connection trace events fire).
 *
 * Failures come from the `status`, `error_code` and `error` tags
 * (`classifyK6Error`), not from http_req_failed, so files without that metric
 * (k6 before v0.31, or a script that calls `http.setResponseCallback(null)`)
 * are read the same way. Only a request without a `status` tag (k6 run with
 * `--system-tags` that leave it out) falls back to its http_req_failed point,
 * with a warning.
 *
 * Requests outside every scenario — setup() and teardown(), whose points k6
 * never tags with a `scenario` — belong to no target: they are counted in
 * `unattributedRequests`, with a warning, never mixed into a target (not even
 * when the script's global tags give them a `variant`). Their `group` tag
 * (`::setup`, `::teardown`) does not tell them apart: a group named "setup"
 * in an iteration has the same tag.
 *
 * k6 does not report when an iteration was scheduled, so `scheduledMs` is the
 * actual start (`startMs`), both relative to the earliest start. Iterations k6
 * dropped (no free VU; never sent) are counted in `droppedIterations`.
 *
 * Unreadable lines: a cut-off LAST line (k6 killed while writing), after at
 * least one readable line, is skipped (`truncated`, with a warning); any other
 * line that is not a JSON object of k6's output is a `K6OutputError` naming it.
 */
import { jsonTooDeepAt, TOO_DEEP } from '../../input/nesting.js';
import type { ConnectionPattern } from '../connections.js';
import type { LatencyMeasure } from '../latency.js';
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
  /** The same by the scenario the points name (a target may have several, e.g. one per connection pattern). */
  readonly droppedIterationsByScenario: ReadonlyMap<string, number>;
  /**
   * Requests made outside every scenario (setup(), teardown(), or points without a `scenario` tag): in no
   * target's samples, and named in `warnings`.
   */
  readonly unattributedRequests: number;
  /** True when the last line was cut off (k6 killed while writing); it was skipped. */
  readonly truncated: boolean;
  /** Requests without an http_req_blocked point: their total latency is their http_req_duration alone. */
  readonly withoutBlocked: number;
  /** What the reader skipped or had to infer, one sentence each, for the caller to print. */
  readonly warnings: string[];
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

/** The per-request metrics zdd reads, and what each sets. */
const REQUEST_METRICS = new Set(['http_reqs', 'http_req_duration', 'http_req_blocked', 'http_req_failed']);

/** One request's points, gathered. */
interface Pending {
  readonly target: string;
  /** The `time` string all its points share. */
  readonly time: string;
  readonly endEpochMs: number;
  /** Its `request` metadata, for the pod join. */
  readonly request: string | undefined;
  /** The tags zdd reads (the same on every point of the request). */
  readonly tags: RequestTags;
  durationMs?: number;
  blockedMs?: number;
  /** http_req_failed's value: 1 failed, 0 not. */
  failedValue?: number;
}

/** The tags of a request point that zdd reads. */
interface RequestTags {
  readonly status?: unknown;
  readonly error_code?: unknown;
  readonly error?: unknown;
  readonly connection?: unknown;
}

/** The request later points may still belong to, with what they must share. */
interface OpenRequest {
  readonly pending: Pending;
  /** Its tags as JSON (all of them: points of one request carry the same tag set). */
  readonly tagsKey: string;
  /** The metrics seen so far: a repeat starts the next request. */
  readonly metrics: Set<string>;
}

export interface K6SampleReaderOptions {
  /** The order of the targets in `samples`; targets not listed follow in the order they first appear. */
  readonly targets?: readonly string[];
  /**
   * What a sample's latency is: `total`, http_req_blocked + http_req_duration (from the request's start), or
   * `duration`, http_req_duration alone (from sending it; the sample then starts there). @default 'total'
   */
  readonly latency?: LatencyMeasure;
  /** The file the lines come from, named in warnings. */
  readonly file?: string;
}

/** Collects the samples of one `--out json` output, line by line. */
export class K6SampleReader {
  /** Every request, in the order its first point came. */
  private readonly requests: Pending[] = [];
  /**
   * By target, the request its next points may still belong to. One per target suffices: k6 writes a
   * request's points as one block.
   */
  private readonly open = new Map<string, OpenRequest>();
  /** `x-pod` from `checks` points, by target and `request` metadata. */
  private readonly pods = new Map<string, string>();
  private readonly targetOrder = new Map<string, number>();
  private readonly scenarios = new Map<string, string>();
  private readonly droppedByScenario = new Map<string, number>();
  private unattributed = 0;
  private unattributedFailed = 0;
  private readonly unknownTypes = new Map<string, number>();
  private readableLines = 0;
  private lineNumber = 0;
  private badLine: { readonly line: number; readonly problem: string } | undefined;
  private readonly latency: LatencyMeasure;

  private readonly file: string | undefined;

  constructor(options: K6SampleReaderOptions = {}) {
    this.latency = options.latency ?? 'total';
    this.file = options.file;
    for (const target of options.targets ?? []) {
      if (!this.targetOrder.has(target)) this.targetOrder.set(target, this.targetOrder.size);
    }
  }

  /**
   * Feeds one line (without its newline). Throws `K6OutputError` for a line that is not a JSON object of
   * k6's output, unless it may be a cut-off last line (see the module comment).
   */
  push(line: string): void {
    this.lineNumber++;
    if (line.trim() === '') return;
    // A bad line is fine only as the last one (cut off when k6 was killed).
    if (this.badLine) throw new K6OutputError(this.badLine.line, this.badLine.problem);
    if (jsonTooDeepAt(line) !== undefined) throw new K6OutputError(this.lineNumber, TOO_DEEP);
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      const problem = notJson(line);
      // A cut-off line is the start of a JSON object, after lines that were read.
      if (this.readableLines === 0 || !line.trimStart().startsWith('{'))
        throw new K6OutputError(this.lineNumber, problem);
      this.badLine = { line: this.lineNumber, problem };
      return;
    }
    if (!isRecord(entry)) throw new K6OutputError(this.lineNumber, 'not a JSON object');
    if (typeof entry.type !== 'string') {
      throw new K6OutputError(
        this.lineNumber,
        'a JSON object without `type` ("Metric" or "Point"): not k6\'s --out json output',
      );
    }
    this.readableLines++;
    if (entry.type === 'Point') this.point(entry);
    else if (entry.type !== 'Metric') this.unknownTypes.set(entry.type, (this.unknownTypes.get(entry.type) ?? 0) + 1);
  }

  /**
   * Feeds one point read from another form of k6's output (a row of `--out csv`): `data` as in `--out json`
   * (`time` as RFC 3339 text, `value`, `tags`, `metadata`). `line` names its place in errors.
   */
  pushPoint(metric: string, data: Readonly<Record<string, unknown>>, line: number): void {
    this.lineNumber = line;
    this.readableLines++;
    this.point({ metric, data });
  }

  /** The samples so far (call after the last line). */
  finish(): K6Samples {
    const built: Sample[] = [];
    let origin = Number.POSITIVE_INFINITY;
    let incomplete = 0;
    let withoutStatus = 0;
    let withoutBlocked = 0;
    const started: { readonly pending: Pending; readonly latencyMs: number; readonly epochMs: number }[] = [];
    for (const pending of this.requests) {
      if (pending.durationMs === undefined) {
        incomplete++;
        continue;
      }
      if (pending.blockedMs === undefined) withoutBlocked++;
      const latencyMs = pending.durationMs + (this.latency === 'total' ? (pending.blockedMs ?? 0) : 0);
      const epochMs = pending.endEpochMs - latencyMs;
      origin = Math.min(origin, epochMs);
      started.push({ pending, latencyMs, epochMs });
    }
    for (const { pending, latencyMs, epochMs } of started) {
      const outcome = outcomeOf(pending.tags, pending.failedValue);
      if (outcome.statusTagMissing) withoutStatus++;
      const pod = pending.request === undefined ? undefined : this.pods.get(podKey(pending.target, pending.request));
      const connection = connectionOf(pending.tags.connection);
      const startMs = epochMs - origin;
      built.push({
        target: pending.target,
        scheduledMs: startMs,
        startMs,
        epochMs,
        latencyMs,
        status: outcome.status,
        ...(connection !== undefined && { connection }),
        ...(outcome.error && { error: outcome.error }),
        ...(pod !== undefined && { pod }),
      });
    }
    built.sort(
      (a, b) =>
        (this.targetOrder.get(a.target) ?? 0) - (this.targetOrder.get(b.target) ?? 0) ||
        a.startMs - b.startMs ||
        a.latencyMs - b.latencyMs,
    );
    return {
      samples: built,
      ...(built.length > 0 && { epochStartMs: origin }),
      droppedIterations: this.droppedIterationsByTarget(),
      droppedIterationsByScenario: new Map(this.droppedByScenario),
      unattributedRequests: this.unattributed,
      truncated: this.badLine !== undefined,
      withoutBlocked,
      warnings: this.warnings(incomplete, withoutStatus),
    };
  }

  /** `dropped_iterations` by the target each scenario belongs to (a scenario no request named is its own target). */
  private droppedIterationsByTarget(): Map<string, number> {
    const droppedIterations = new Map<string, number>();
    for (const [scenario, count] of this.droppedByScenario) {
      const target = this.scenarios.get(scenario) ?? scenario;
      droppedIterations.set(target, (droppedIterations.get(target) ?? 0) + count);
    }
    return droppedIterations;
  }

  /** What was skipped or read with a guess, for `K6Samples.warnings`. */
  private warnings(incomplete: number, withoutStatus: number): string[] {
    const warnings: string[] = [];
    if (this.unattributed > 0) {
      warnings.push(
        `${requestsText(this.unattributed)} made outside every scenario (without a \`scenario\` tag: setup(), teardown(); ` +
          `${this.unattributedFailed} failed) ${this.unattributed === 1 ? 'is' : 'are'} counted in no target`,
      );
    }
    if (incomplete > 0) {
      warnings.push(`${requestsText(incomplete)} without an http_req_duration point skipped`);
    }
    if (withoutStatus > 0) {
      warnings.push(
        `${requestsText(withoutStatus)} without a \`status\` tag (k6's --system-tags leave it out?): ` +
          'failed or not by http_req_failed, else counted as failed (other)',
      );
    }
    for (const [type, count] of this.unknownTypes) {
      warnings.push(`${count} line${count === 1 ? '' : 's'} of unknown type ${JSON.stringify(type)} skipped`);
    }
    if (this.badLine) {
      warnings.push(
        `${this.file === undefined ? '' : `${this.file}, `}line ${this.badLine.line}: the last line is cut off (k6 stopped while writing it?); nothing from it is counted`,
      );
    }
    return warnings;
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
    if (metric !== 'checks' && !REQUEST_METRICS.has(metric)) return;
    if (scenario === undefined) {
      // One http_req_duration point per request, in every k6 version.
      if (metric === 'http_req_duration') {
        this.unattributed++;
        if (outcomeOf(tags, undefined).error !== undefined) this.unattributedFailed++;
      }
      return;
    }
    const target = stringOf(tags.variant) ?? scenario;
    if (!this.scenarios.has(scenario)) this.scenarios.set(scenario, target);
    if (!this.targetOrder.has(target)) this.targetOrder.set(target, this.targetOrder.size);
    const metadata = isRecord(data.metadata) ? data.metadata : {};
    const request = stringOf(metadata.request);
    if (metric === 'checks') {
      const pod = stringOf(metadata.pod);
      if (pod !== undefined && request !== undefined) this.pods.set(podKey(target, request), pod);
      return;
    }
    const time = stringOf(data.time);
    const endEpochMs = time === undefined ? Number.NaN : parseTime(time);
    if (time === undefined || !Number.isFinite(endEpochMs)) {
      throw new K6OutputError(this.lineNumber, `a ${metric} point without a valid \`time\`: ${JSON.stringify(time)}`);
    }
    const pending = this.pendingFor(metric, tags, { target, time, endEpochMs, request, tags: requestTags(tags) });
    const value = numberOf(data.value);
    if (metric === 'http_req_duration') pending.durationMs = value;
    else if (metric === 'http_req_blocked') pending.blockedMs = value;
    else if (metric === 'http_req_failed') pending.failedValue = value;
  }

  /**
   * The request a point belongs to: the open one of its target when the point has the same tags, metadata
   * and time and its metric is new to it (and is not http_reqs, which starts every request), else a new one.
   */
  private pendingFor(metric: string, tags: Record<string, unknown>, point: Pending): Pending {
    const tagsKey = JSON.stringify(tags);
    const open = this.open.get(point.target);
    if (
      metric !== 'http_reqs' &&
      open !== undefined &&
      open.pending.time === point.time &&
      open.pending.request === point.request &&
      open.tagsKey === tagsKey &&
      !open.metrics.has(metric)
    ) {
      open.metrics.add(metric);
      return open.pending;
    }
    const pending: Pending = { ...point };
    this.requests.push(pending);
    this.open.set(point.target, { pending, tagsKey, metrics: new Set([metric]) });
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

function requestTags(tags: Record<string, unknown>): RequestTags {
  const { status, error_code, error, connection } = tags;
  return { status, error_code, error, connection };
}

/** A request's status and error kind from its tags; http_req_failed decides only without a `status` tag. */
function outcomeOf(
  tags: RequestTags,
  failedValue: number | undefined,
): { readonly status: number; readonly error: ErrorKind | undefined; readonly statusTagMissing: boolean } {
  const statusTag = stringOf(tags.status);
  const status = Number(statusTag ?? 0) || 0;
  const code = Number(stringOf(tags.error_code));
  const errorCode = Number.isInteger(code) && code > 0 ? code : undefined;
  if (statusTag === undefined && errorCode === undefined) {
    return { status, error: failedValue === 0 ? undefined : 'other', statusTagMissing: true };
  }
  return { status, error: classifyK6Error(status, errorCode, stringOf(tags.error)), statusTagMissing: false };
}

/** The error kind of a request from its points' tags (as `finish()` reads them), undefined for a success. */
export function requestError(tags: Readonly<Record<string, unknown>>): ErrorKind | undefined {
  return outcomeOf(requestTags(tags), undefined).error;
}

/** k6/rollout-load.js tags each request with its connection pattern. */
function connectionOf(tag: unknown): ConnectionPattern | undefined {
  return tag === 'reused' || tag === 'new' ? tag : undefined;
}

function podKey(target: string, request: string): string {
  return `${target}\n${request}`;
}

function requestsText(count: number): string {
  return `${count} request${count === 1 ? '' : 's'}`;
}

/** Why a line is not JSON, with its start (cut: a line may be huge). */
function notJson(line: string): string {
  // k6 gzips its output when the file name ends in .gz.
  if (line.startsWith('\u001f\u008b') || line.startsWith('\u001f\ufffd')) {
    return 'not JSON but gzip-compressed (k6 writes gzip to a file named *.gz): unzip it first';
  }
  const start = line.trim().replace(/\p{Cc}/gu, '?');
  return `not JSON: \`${start.length > 40 ? `${start.slice(0, 40)}…` : start}\``;
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
