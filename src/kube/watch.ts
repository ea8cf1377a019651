import type { Readable } from 'node:stream';
import { delay } from '../runtime/timing.js';
import { isKubeApiError, KubeApiError, KubeConnectionError, type KubeStatus } from './errors.js';
import { type KubeList, type KubeObject, objectKey } from './resources.js';

export interface WatchEvent<T = KubeObject> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** For DELETED, the object's last state (after a relist: the last state this watch saw). */
  readonly object: T;
}

export interface WatchOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /**
   * Yield only changes after this version (e.g. a list's
   * `metadata.resourceVersion`). Unset: list first, yield every object as ADDED.
   */
  readonly resourceVersion?: string;
  /** Ends the iteration (without an error). */
  readonly signal?: AbortSignal;
  /**
   * How long the server keeps each watch connection open before closing it
   * (the watch then reopens from where it was). @default 300–600, at random
   */
  readonly timeoutSeconds?: number;
  /** How long to keep reconnecting while the API server cannot be reached or answers 429/5xx. @default 30000 */
  readonly retryForMs?: number;
}

/** What a watch needs from the client: a list, and a stream of newline-delimited JSON events. */
export interface WatchSource<T> {
  list(signal: AbortSignal | undefined): Promise<KubeList<T>>;
  open(resourceVersion: string, timeoutSeconds: number, signal: AbortSignal | undefined): Promise<Readable>;
  /** The request, for error messages. */
  readonly describe: string;
}

interface RawEvent {
  readonly type: string;
  readonly object: KubeObject;
}

/** The reflector loop behind `KubeClient.watch`: list, watch, reopen, relist on 410 Gone. */
export async function* watchResource<T extends KubeObject>(
  source: WatchSource<T>,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent<T>> {
  const { signal } = options;
  const retry = new Retry(options.retryForMs ?? 30_000, source.describe);
  const known = new Map<string, T>();
  let resourceVersion = options.resourceVersion;

  async function* relist(): AsyncGenerator<WatchEvent<T>> {
    for (;;) {
      try {
        const list = await source.list(signal);
        retry.succeeded();
        const events = relistEvents(known, list.items);
        known.clear();
        for (const item of list.items) known.set(objectKey(item), item);
        resourceVersion = list.metadata.resourceVersion;
        yield* events;
        return;
      } catch (error) {
        if (signal?.aborted) return;
        await retry.after(error, signal);
      }
    }
  }

  // Ends a stream that waits for data when the signal aborts, whether or not the source watches the signal.
  let stream: Readable | undefined;
  const onAbort = () => stream?.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (resourceVersion === undefined) yield* relist();
    while (!signal?.aborted) {
      yield* watchOnce();
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }

  async function* watchOnce(): AsyncGenerator<WatchEvent<T>> {
    let gone = false;
    const openedAt = Date.now();
    try {
      // The server ends each watch after timeoutSeconds; spread them so that many watches do not reopen together.
      const timeoutSeconds = options.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
      stream = await source.open(resourceVersion ?? '', timeoutSeconds, signal);
      for await (const line of lines(stream)) {
        const read = readStreamLine<T>(line, source.describe);
        if (read.kind === 'gone') {
          gone = true;
          break;
        }
        if (read.kind === 'other') continue;
        if (read.version) resourceVersion = read.version;
        if (read.kind === 'bookmark') continue;
        const { event } = read;
        if (event.type === 'DELETED') known.delete(objectKey(event.object));
        else known.set(objectKey(event.object), event.object);
        retry.succeeded();
        yield event;
      }
      retry.succeeded();
      // A server that ends every watch at once must not make this loop spin.
      if (!gone && Date.now() - openedAt < 1_000) await delay(1_000, signal);
    } catch (error) {
      if (signal?.aborted) return;
      if (isKubeApiError(error, 410)) gone = true;
      else await retry.after(error, signal);
    } finally {
      stream?.destroy();
      stream = undefined;
    }
    if (gone) yield* relist();
  }
}

/** One line of a watch stream: a change, a bookmark, the 410 Gone that asks for a relist, or another type. */
type StreamLine<T> =
  | { readonly kind: 'change'; readonly event: WatchEvent<T>; readonly version: string | undefined }
  | { readonly kind: 'bookmark'; readonly version: string | undefined }
  | { readonly kind: 'gone' }
  | { readonly kind: 'other' };

/** Reads one line of a watch stream; an ERROR event other than 410 Gone throws as the KubeApiError it carries. */
function readStreamLine<T extends KubeObject>(line: string, describe: string): StreamLine<T> {
  const event = JSON.parse(line) as RawEvent;
  const version = event.object.metadata?.resourceVersion;
  if (event.type === 'BOOKMARK') return { kind: 'bookmark', version };
  if (event.type === 'ERROR') {
    const status = event.object as KubeStatus;
    if (status.code === 410) return { kind: 'gone' };
    throw new KubeApiError(
      'GET',
      describe,
      status.code ?? 500,
      status.reason || 'Unknown',
      status.message || 'the watch failed',
      status,
    );
  }
  if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return { kind: 'other' };
  return { kind: 'change', event: { type: event.type, object: event.object as T }, version };
}

/**
 * What changed between what a watch knew and a fresh list: DELETED for objects
 * no longer there (or replaced by a new object of the same name), ADDED for
 * new ones, MODIFIED for those whose resourceVersion moved.
 */
export function relistEvents<T extends KubeObject>(
  known: ReadonlyMap<string, T>,
  items: readonly T[],
): WatchEvent<T>[] {
  const events: WatchEvent<T>[] = [];
  const listed = new Map(items.map((item) => [objectKey(item), item]));
  for (const [key, object] of known) {
    const now = listed.get(key);
    if (now === undefined || now.metadata?.uid !== object.metadata?.uid) events.push({ type: 'DELETED', object });
  }
  for (const [key, object] of listed) {
    const before = known.get(key);
    if (before === undefined || before.metadata?.uid !== object.metadata?.uid) events.push({ type: 'ADDED', object });
    else if (before.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
      events.push({ type: 'MODIFIED', object });
    }
  }
  return events;
}

/** Splits a stream into its non-empty lines. */
async function* lines(stream: Readable): AsyncGenerator<string> {
  stream.setEncoding('utf8');
  let buffer = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    buffer += chunk;
    let end = buffer.indexOf('\n');
    while (end >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (line !== '') yield line;
      end = buffer.indexOf('\n');
    }
  }
  if (buffer.trim() !== '') yield buffer.trim();
}

/**
 * Backoff while the server is unreachable, overloaded or the stream broke (a
 * Node error with a `code`, e.g. ECONNRESET); gives up after `forMs` without
 * a success.
 */
class Retry {
  private failingSince: number | undefined;
  private wait = 100;

  constructor(
    private readonly forMs: number,
    private readonly describe: string,
  ) {}

  succeeded(): void {
    this.failingSince = undefined;
    this.wait = 100;
  }

  /** Waits before the next attempt, or throws when `error` is not worth retrying or the time is up. */
  async after(error: unknown, signal: AbortSignal | undefined): Promise<void> {
    const transient =
      error instanceof KubeConnectionError ||
      (error instanceof KubeApiError && (error.statusCode === 429 || error.statusCode >= 500)) ||
      // A stream that broke mid-way (reset, closed by a restarting server).
      (!(error instanceof KubeApiError) && typeof (error as { code?: unknown } | undefined)?.code === 'string');
    if (!transient) throw error;
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince >= this.forMs) {
      throw error instanceof KubeConnectionError
        ? error
        : new KubeConnectionError('GET', this.describe, { cause: error });
    }
    await delay(this.wait, signal);
    this.wait = Math.min(this.wait * 2, 2_000);
  }
}
