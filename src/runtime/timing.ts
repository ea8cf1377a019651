/**
 * Durations in the local cluster. `scale` stretches every duration the
 * manifests and the router define (probe periods, preStop sleeps, grace
 * periods, rollout intervals, the router's reload interval) by one factor, so
 * that a fast profile (e.g. 0.1) keeps every ratio between them, which is what
 * decides whether requests fail, while running ten times faster.
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
