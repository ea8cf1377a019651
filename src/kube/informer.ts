import { delay } from '../runtime/timing.js';
import type { KubeClient, WatchEvent } from './api-client.js';
import { type KubeObject, objectKey, type Resource } from './resources.js';

export interface InformerOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Told about a watch that failed for good (it restarts after `retryMs`). @default ignore */
  readonly onError?: (error: unknown) => void;
  /** @default 1000 */
  readonly retryMs?: number;
}

/**
 * A cache of one kind of object kept current by a watch (client-go's
 * informer, minus the work queue): `get`/`values` read it, listeners hear
 * every change after the cache has it. Keys are `namespace/name`.
 *
 * When the watch gives up (the API server gone for longer than the client's
 * retry window) it starts again; before, it lists, so that objects deleted
 * meanwhile are reported DELETED rather than kept forever.
 */
export class Informer<T extends KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly listeners = new Set<(event: WatchEvent<T>) => void>();
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly api: KubeClient,
    private readonly resource: Resource,
    private readonly options: InformerOptions = {},
  ) {}

  /** Starts watching; returns this. */
  start(): this {
    this.running ??= this.run();
    return this;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  values(): T[] {
    return [...this.objects.values()];
  }

  /** Calls `listener` after each change; returns a function that stops it. */
  onEvent(listener: (event: WatchEvent<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the watch; resolves once it has. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    const selectors = {
      ...(this.options.labelSelector !== undefined && { labelSelector: this.options.labelSelector }),
      ...(this.options.fieldSelector !== undefined && { fieldSelector: this.options.fieldSelector }),
    };
    let restart = false;
    while (!signal.aborted) {
      try {
        if (restart) await this.forgetDeleted(selectors, signal);
        for await (const event of this.api.watch<T>(this.resource, { ...selectors, signal })) this.apply(event);
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
        await delay(this.options.retryMs ?? 1000, signal);
      }
      restart = true;
    }
  }

  /** After a failed watch: DELETED for every cached object the API no longer has. */
  private async forgetDeleted(selectors: { labelSelector?: string; fieldSelector?: string }, signal: AbortSignal) {
    const list = await this.api.list<T>(this.resource, { ...selectors, signal });
    const present = new Set(list.items.map((item) => objectKey(item)));
    for (const [key, object] of this.objects) if (!present.has(key)) this.apply({ type: 'DELETED', object });
  }

  private apply(event: WatchEvent<T>): void {
    const key = objectKey(event.object);
    if (event.type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, event.object);
    for (const listener of this.listeners) listener(event);
  }
}
