import { delay } from '../runtime/timing.js';

/** Sends a pod's status one request at a time; changes during a request are sent once it is done, together. */
export class StatusSender {
  private pending = false;
  private sending: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly send: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): void {
    if (this.closed) return;
    this.pending = true;
    this.sending ??= this.loop().finally(() => {
      this.sending = undefined;
    });
  }

  /** Resolves when every requested status has been sent (or failed). */
  async flushed(): Promise<void> {
    while (this.sending) await this.sending;
  }

  close(): void {
    this.closed = true;
    this.pending = false;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.pending && !this.closed) {
      this.pending = false;
      try {
        await this.send();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.onError(error);
        // Try again with the state of then, a few times: a status lost for good would leave the pod stuck.
        if (failures < 5) {
          this.pending = true;
          await delay(500 * failures);
        }
      }
    }
  }
}
