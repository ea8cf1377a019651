import { delay } from './timing.js';

/** Lets controllers wait for "something changed" (a pod became ready, exited, …). */
export class Changes {
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next change, or after `maxMs` at the latest. */
  next(maxMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      this.waiters.push(finish);
      void delay(maxMs, signal).then(finish);
    });
  }

  /** Waits until `condition()` holds, re-checking on every change; false on timeout or abort. */
  async until(condition: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return false;
      await this.next(Math.min(left, 250), signal);
    }
    return true;
  }
}
