/**
 * The built-in open-model HTTP load generator: request i to every target starts
 * at i / rate seconds after the start, whether or not earlier requests have
 * finished, so a slow or dead target cannot slow the load down (no coordinated
 * omission).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ConnectionPattern } from './connections.js';
import { LoadOptionError, RequestTimeoutError } from './errors.js';
import { classifyNetworkError, classifyStatus, type ErrorKind, type Sample } from './sample.js';
import { checkHostHeader, checkTargetUrl } from './target-url.js';

/** Where to send load. */
export interface LoadTarget {
  /** Names the target's samples, e.g. the variant "default". Unique among the targets with the same `connection`. */
  readonly name: string;
  /** An http:// URL on 127.0.0.1, localhost or [::1] (any host with `allowRemote`). */
  readonly url: string;
  /**
   * The Host header, when `url` is a router's address rather than the route's
   * own host (as `curl --resolve` does).
   * @default - the URL's host
   */
  readonly host?: string;
  /**
   * `reused`: keep-alive connections, reused by later requests; `new`: a new
   * connection for every request (`Connection: close`).
   * @default 'reused'
   */
  readonly connection?: ConnectionPattern;
}

/** What `runOpenModel` does. */
export interface OpenModelOptions {
  readonly targets: readonly LoadTarget[];
  /** Requests per second per target. Must be > 0. */
  readonly rate: number;
  /** How long to schedule requests, ms. The run ends when the last scheduled request has finished or timed out. */
  readonly durationMs: number;
  /** Per-request timeout, ms. @default 10000 */
  readonly timeoutMs?: number;
  /** Stops scheduling new requests early (in-flight ones still complete or time out). @default none */
  readonly signal?: AbortSignal;
  /** Called for every sample as it completes (for live progress). @default none */
  readonly onSample?: (sample: Sample) => void;
  /**
   * The most requests per target; the schedule ends there (`capped` in the
   * result), bounding memory (one sample per request).
   * @default 1000000
   */
  readonly maxRequestsPerTarget?: number;
  /** Targets may be on other hosts than loopback (a real cluster's routes). @default false */
  readonly allowRemote?: boolean;
}

/** How well one target's schedule was kept. */
export interface TargetDelivery {
  readonly name: string;
  readonly connection: ConnectionPattern;
  /** Requests started. */
  readonly sent: number;
  /**
   * Requests started later than `lateAfterMs(rate)` after their scheduled
   * time: more than one interval of the schedule (and 100 ms), so that in at
   * least one interval the target got less load than asked.
   */
  readonly late: number;
}

/** What a run recorded. */
export interface OpenModelResult {
  /** One per request, in the order of `targets`, then by `scheduledMs`. */
  readonly samples: Sample[];
  /** Requests that started more than 10 ms after their scheduled time (a sign the generator could not keep up). */
  readonly lateStarts: number;
  /** Per target, in the order of `targets`. */
  readonly delivery: readonly TargetDelivery[];
  /** True when the schedule ended at `maxRequestsPerTarget` before `durationMs` or the signal ended it. */
  readonly capped: boolean;
  /** Wall-clock epoch ms of the start of the load (scheduledMs 0). */
  readonly epochStartMs: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
export const LATE_START_MS = 10;
// setTimeout's largest delay; a longer one fires at once.
const MAX_TIMEOUT_MS = 2_147_483_647;
/** Bounds memory (one sample per request, about 200 bytes each). */
export const MAX_REQUESTS_PER_TARGET = 1_000_000;

/**
 * Puts the same open-model load on every target: `floor(rate × durationMs / 1000)`
 * requests each, on one shared schedule. Resolves when every started request
 * has completed, failed or timed out. Throws `LoadOptionError` before sending
 * anything when an option is unusable; rethrows what `onSample` throws, after
 * the requests in flight have finished.
 */
export async function runOpenModel(options: OpenModelOptions): Promise<OpenModelResult> {
  const { targets, rate, count, capped, timeoutMs } = validateOptions(options);
  // One keep-alive pool per target, so targets never share a connection; none for `new` (agent: false opens a
  // connection per request and sends `Connection: close`); no cookie jar.
  const agents = targets.map((target) => (target.connection === 'new' ? false : new http.Agent({ keepAlive: true })));
  const late = targets.map(() => 0);
  const sent = targets.map(() => 0);
  const lateAfter = lateAfterMs(rate);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const samples: Sample[][] = targets.map(() => []);
  const inFlight: Promise<void>[] = [];
  let lateStarts = 0;
  let callbackFailure: { readonly error: unknown } | undefined;

  const epochStartMs = Date.now();
  const origin = performance.now();
  const clock = () => performance.now() - origin;

  const startSlot = (slot: number): void => {
    const scheduledMs = slotTime(slot, rate);
    for (const [index, target] of targets.entries()) {
      const startMs = clock();
      sent[index] = (sent[index] ?? 0) + 1;
      if (startMs - scheduledMs > LATE_START_MS) lateStarts++;
      if (startMs - scheduledMs > lateAfter) late[index] = (late[index] ?? 0) + 1;
      const connection = target.connection ?? 'reused';
      const request = send(target.url, target.host, agents[index] ?? false, timeoutMs).then((outcome) => {
        const sample = toSample(target.name, connection, scheduledMs, startMs, epochStartMs + startMs, outcome);
        samples[index][slot] = sample;
        try {
          options.onSample?.(sample);
        } catch (error) {
          callbackFailure ??= { error };
          stop.abort();
        }
      });
      inFlight.push(request);
    }
  };

  let started = 0;
  try {
    started = await runSchedule(count, rate, clock, startSlot, signal);
  } finally {
    // Requests never reject and each one ends within timeoutMs.
    await Promise.all(inFlight);
    for (const agent of agents) if (agent) agent.destroy();
  }
  if (callbackFailure) throw callbackFailure.error;
  const delivery = targets.map((target, index) => ({
    name: target.name,
    connection: target.connection ?? 'reused',
    sent: sent[index] ?? 0,
    late: late[index] ?? 0,
  }));
  return {
    samples: samples.flat(),
    lateStarts,
    delivery,
    capped: capped && started >= count,
    epochStartMs,
  };
}

interface Plan {
  readonly targets: readonly LoadTarget[];
  readonly rate: number;
  /** Requests per target. */
  readonly count: number;
  /** True when `maxRequestsPerTarget` cut the schedule short. */
  readonly capped: boolean;
  readonly timeoutMs: number;
}

/** Checks every option (also for callers without types) and derives the plan. */
function validateOptions(options: OpenModelOptions): Plan {
  if (typeof options !== 'object' || options === null) throw new LoadOptionError('options', 'an object', options);
  const {
    targets,
    rate,
    durationMs,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    signal,
    onSample,
    maxRequestsPerTarget = MAX_REQUESTS_PER_TARGET,
  } = options;
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new LoadOptionError('targets', 'a non-empty array', targets);
  }
  const names = new Set<string>();
  for (const [index, target] of targets.entries()) {
    const name: unknown = target?.name;
    if (typeof name !== 'string' || name === '') {
      throw new LoadOptionError(`targets[${index}].name`, 'a non-empty string', name);
    }
    const connection: unknown = target.connection ?? 'reused';
    if (connection !== 'reused' && connection !== 'new') {
      throw new LoadOptionError(`targets[${index}].connection`, '"reused" or "new"', connection);
    }
    const key = `${name}\n${connection}`;
    if (names.has(key)) {
      throw new LoadOptionError(`targets[${index}].name`, 'a name no other target with its connection has', name);
    }
    names.add(key);
    checkTargetUrl(`targets[${index}].url`, target.url, options.allowRemote);
    checkHostHeader(`targets[${index}].host`, target.host);
  }
  if (!isPositive(rate)) throw new LoadOptionError('rate', 'a number > 0', rate);
  if (!isPositive(durationMs)) throw new LoadOptionError('durationMs', 'a number > 0', durationMs);
  if (!isPositive(timeoutMs) || timeoutMs > MAX_TIMEOUT_MS) {
    throw new LoadOptionError('timeoutMs', `a number > 0 and at most ${MAX_TIMEOUT_MS}`, timeoutMs);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new LoadOptionError('signal', 'an AbortSignal', signal);
  }
  if (onSample !== undefined && typeof onSample !== 'function') {
    throw new LoadOptionError('onSample', 'a function', onSample);
  }
  if (!Number.isInteger(maxRequestsPerTarget) || maxRequestsPerTarget < 1) {
    throw new LoadOptionError('maxRequestsPerTarget', 'an integer ≥ 1', maxRequestsPerTarget);
  }
  // The epsilon keeps e.g. 0.3/s × 10 s at 3 requests despite floating point.
  const scheduled = Math.floor((rate * durationMs) / 1000 + 1e-9);
  if (scheduled < 1) {
    throw new LoadOptionError('durationMs', `long enough for at least 1 request at rate ${rate}/s`, durationMs);
  }
  const count = Math.min(scheduled, maxRequestsPerTarget);
  return { targets, rate, count, capped: scheduled > count, timeoutMs };
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Scheduled start of a slot, ms since the start. Computed from the slot, so errors do not add up. */
function slotTime(slot: number, rate: number): number {
  return (slot * 1000) / rate;
}

/**
 * Calls `startSlot` for slots 0 to count - 1, each at its scheduled time.
 * One timer at a time, set to the next due slot (no busy-waiting); each tick
 * starts every slot that is due, so a late tick catches up instead of shifting
 * the rest of the schedule. Resolves with the number of slots started when all
 * are started or `signal` aborts; no timer is left behind.
 */
function runSchedule(
  count: number,
  rate: number,
  clock: () => number,
  startSlot: (slot: number) => void,
  signal: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (error?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(next);
      else reject(error);
    };
    const onAbort = (): void => finish();
    const tick = (): void => {
      timer = undefined;
      try {
        const now = clock();
        while (next < count && !signal.aborted && slotTime(next, rate) <= now) {
          startSlot(next);
          next++;
        }
      } catch (error) {
        finish(error);
        return;
      }
      if (next >= count || signal.aborted) {
        finish();
        return;
      }
      // Node fires timers at 1 ms granularity, possibly a little early: the next tick rechecks.
      timer = setTimeout(tick, Math.max(1, slotTime(next, rate) - clock()));
    };
    if (signal.aborted) {
      finish();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}

/**
 * When a request counts as late in `TargetDelivery`: more than one interval of
 * the schedule, and more than 100 ms — a stall long enough to leave a gap in
 * the load, where a few milliseconds of scheduling noise on a busy machine do not.
 */
export function lateAfterMs(rate: number): number {
  return Math.max(100, 1000 / rate);
}

/** What one request got back. */
interface Outcome {
  readonly latencyMs: number;
  readonly status: number;
  readonly error?: ErrorKind;
  readonly pod?: string;
}

/**
 * One GET, to the end of the response body (the full latency, and it frees the
 * socket for reuse). Never rejects: a failure is an outcome. Ends within
 * `timeoutMs`, counted from the start of the request.
 */
function send(url: string, host: string | undefined, agent: http.Agent | false, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let status = 0;
    let pod: string | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (error: ErrorKind | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome(performance.now() - started, status, error, pod));
    };
    const request = http.request(url, { agent, method: 'GET', ...(host && { headers: { host } }) }, (response) => {
      status = response.statusCode ?? 0;
      pod = headerValue(response.headers['x-pod']);
      response.on('end', () => settle(classifyStatus(status)));
      response.on('error', (error) => settle(classifyNetworkError(error)));
      // A body cut short: the connection closed before 'end'.
      response.on('close', () => settle(response.complete ? classifyStatus(status) : 'reset'));
      response.resume();
    });
    // Listened to for the request's whole life, so that destroy() below never throws.
    request.on('error', (error) => settle(classifyNetworkError(error)));
    timer = setTimeout(() => {
      settle('timeout');
      request.destroy(new RequestTimeoutError(timeoutMs));
    }, timeoutMs);
    request.end();
  });
}

function outcome(latencyMs: number, status: number, error: ErrorKind | undefined, pod: string | undefined): Outcome {
  return { latencyMs, status, ...(error && { error }), ...(pod !== undefined && { pod }) };
}

function toSample(
  target: string,
  connection: ConnectionPattern,
  scheduledMs: number,
  startMs: number,
  epochMs: number,
  result: Outcome,
): Sample {
  return { target, connection, scheduledMs, startMs, epochMs, ...result };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
