/**
 * Durations in the local cluster. `scale` stretches every duration the
 * manifests, the router and the sample app define (probe periods, preStop
 * sleeps, grace periods, rollout intervals, the router's reload interval, the
 * app's boot) by one factor, so that a fast profile (e.g. 0.1) keeps every
 * ratio between them, which is what decides whether requests fail, while
 * running ten times faster. Timeouts are the exception (`timeout`).
 */
export class Timing {
  constructor(readonly scale = 1) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`timing scale must be a number > 0, got ${scale}`);
  }

  /** Manifest seconds → real milliseconds. */
  seconds(value: number): number {
    return value * 1000 * this.scale;
  }

  /** Nominal milliseconds → real milliseconds. */
  ms(value: number): number {
    return value * this.scale;
  }

  /**
   * A timeout, nominal milliseconds → real ones: stretched like every duration
   * above scale 1, never shortened below it. A timeout measures how long a
   * real process takes to answer (a probe, a connect, a request), which the
   * time scale does not speed up: shortened, it would count a busy machine's
   * slow answer as a failure that the real-speed run never sees.
   */
  timeoutMs(value: number): number {
    return value * Math.max(1, this.scale);
  }
}

/** setTimeout's longest delay (about 24.8 days); a longer one would fire after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

/** A promise that resolves after `ms` (at most about 24.8 days), or at once when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Resolves when `signal` aborts (at once if it has); never without a signal. */
export function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** True when `promise` settles within `ms`; no timer is left behind. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  const result = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return result;
}

/**
 * Ticks on a fixed grid, `startMs + k × intervalMs`, as Go's `time.Ticker`
 * (the kubelet's probe workers, the deployer's polls and the router's reload
 * timer all run on one): a tick missed while the caller was busy is dropped,
 * not made up, and a late tick does not shift the ones after it. A loop of
 * `delay(interval)` would drift by each timer's lateness — about a
 * millisecond each, tens on a busy machine — which the time scale does not
 * shrink: 29 polls of a 100 ms interval (a 1 s one at time scale 0.1) drifted
 * 145 ms, a whole 1.45 s of the real-speed run, and moved a pod's deletion
 * past a router reload.
 */
export class Ticker {
  private tick = 0;

  constructor(
    private readonly startMs: number,
    private readonly intervalMs: number,
  ) {
    if (!(intervalMs > 0)) throw new Error(`a ticker needs an interval > 0, got ${intervalMs}`);
  }

  /** When the next tick falls, epoch ms: the first one after the last tick that has not passed yet. */
  next(now = Date.now()): number {
    const due = Math.ceil((now - this.startMs) / this.intervalMs);
    this.tick = Math.max(this.tick + 1, due);
    return this.startMs + this.tick * this.intervalMs;
  }

  /** Waits for the next tick (see `next`); resolves at once when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    return delay(this.next(now) - now, signal);
  }
}

/**
 * Waits measured from one start rather than from each other: `after(ms)`
 * resolves `ms` after the previous wait was due — not after it ended — so
 * that a loop of sleeps (the deployer's `updatePeriodSeconds`, then its polls
 * every `intervalSeconds`) does not drift by each timer's lateness (see
 * `Ticker`, which drops missed ticks instead).
 */
export class Timeline {
  private due: number;

  constructor(startMs = Date.now()) {
    this.due = startMs;
  }

  /** Resolves `ms` after the previous wait was due (at once if that has passed), or when `signal` aborts. */
  after(ms: number, signal?: AbortSignal): Promise<void> {
    this.due += ms;
    return delay(this.due - Date.now(), signal);
  }
}
