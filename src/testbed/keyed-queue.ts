/**
 * A controller's work queue: `add(key)` runs `work(key)`, one run per key at
 * a time; keys added while their run is going run once more afterwards (any
 * number of adds in between fold into one). A failed run is retried after
 * `retryMs`.
 */
export class KeyedQueue {
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly work: (key: string) => Promise<void>,
    private readonly onError: (error: unknown, key: string) => void,
    private readonly retryMs = 1000,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    this.running.add(key);
    void this.loop(key);
  }

  /** Stops taking work; runs in progress finish. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async loop(key: string): Promise<void> {
    do {
      this.again.delete(key);
      try {
        await this.work(key);
      } catch (error) {
        if (this.stopped) break;
        this.onError(error, key);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.add(key);
        }, this.retryMs);
        this.timers.add(timer);
      }
    } while (this.again.has(key) && !this.stopped);
    this.running.delete(key);
  }
}
