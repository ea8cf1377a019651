import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { KubeApiError, KubeConnectionError } from '../../src/kube/errors.js';
import type { KubeList, KubeObject } from '../../src/kube/resources.js';
import { relistEvents, type WatchEvent, type WatchSource, watchResource } from '../../src/kube/watch.js';

// The reflector loop with a scripted server: a real API server does not forget a version on demand
// (its watch cache keeps minutes of history), so 410 Gone and broken streams are played here.

function object(name: string, resourceVersion: string, uid = `uid-${name}`): KubeObject {
  return { kind: 'Pod', metadata: { name, namespace: 'ns', uid, resourceVersion } };
}

function list(resourceVersion: string, ...items: KubeObject[]): KubeList {
  return { metadata: { resourceVersion }, items };
}

type Answer = Readable | Error;

/** A source whose lists and streams are scripted; it records the version each stream was opened from. */
function scripted(lists: Array<KubeList | Error>, streams: Answer[]) {
  const opened: string[] = [];
  let listed = 0;
  const source: WatchSource<KubeObject> = {
    describe: 'GET /api/v1/namespaces/ns/pods?watch=true',
    async list() {
      listed += 1;
      const next = lists.shift();
      if (next === undefined) throw new Error('no more lists scripted');
      if (next instanceof Error) throw next;
      return next;
    },
    async open(resourceVersion) {
      opened.push(resourceVersion);
      const next = streams.shift();
      // Past the script: a stream that stays open until the consumer stops.
      if (next === undefined) return new Readable({ read() {} });
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { source, opened, listed: () => listed };
}

function stream(...events: Array<{ type: string; object: unknown }>): Readable {
  // Split mid-line to check that lines are reassembled across chunks.
  const text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
  return Readable.from([Buffer.from(text.slice(0, 7)), Buffer.from(text.slice(7))], { objectMode: false });
}

async function take(events: AsyncGenerator<WatchEvent>, count: number): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of events) {
    seen.push(`${event.type} ${event.object.metadata?.name}@${event.object.metadata?.resourceVersion}`);
    if (seen.length === count) break;
  }
  return seen;
}

describe('watchResource', () => {
  test('lists first, then streams from the list version, and reopens from the last version it saw', async () => {
    const { source, opened } = scripted(
      [list('10', object('a', '9'))],
      [
        stream(
          { type: 'ADDED', object: object('b', '11') },
          { type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } },
        ),
        stream({ type: 'MODIFIED', object: object('a', '16') }),
      ],
    );
    expect(await take(watchResource(source, { retryForMs: 0 }), 3)).toEqual([
      'ADDED a@9',
      'ADDED b@11',
      'MODIFIED a@16',
    ]);
    expect(opened).toEqual(['10', '15']);
  });

  test('a 410 Gone ERROR event makes it list again and yield only the difference', async () => {
    const { source, opened } = scripted(
      [
        list('10', object('a', '9'), object('b', '9'), object('c', '9')),
        // b deleted, c replaced by a new object of the same name, a unchanged, d new.
        list('30', object('a', '9'), object('c', '25', 'uid-c2'), object('d', '28')),
      ],
      [
        stream({
          type: 'ERROR',
          object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' },
        }),
        stream({ type: 'DELETED', object: object('a', '31') }),
      ],
    );
    const seen = await take(watchResource(source), 8);
    expect(seen).toEqual([
      ...['ADDED a@9', 'ADDED b@9', 'ADDED c@9'],
      ...['DELETED b@9', 'DELETED c@9', 'ADDED c@25', 'ADDED d@28'],
      'DELETED a@31',
    ]);
    expect(opened).toEqual(['10', '30']);
  });

  test('a 410 when opening the stream, from a version the caller gave, relists too', async () => {
    const gone = new KubeApiError('GET', '/x', 410, 'Gone', 'too old resource version: 1 (20)');
    const { source, opened, listed } = scripted(
      [list('20', object('a', '19'))],
      [gone, stream({ type: 'MODIFIED', object: object('a', '21') })],
    );
    expect(await take(watchResource(source, { resourceVersion: '1' }), 2)).toEqual(['ADDED a@19', 'MODIFIED a@21']);
    expect(listed()).toBe(1);
    expect(opened).toEqual(['1', '20']);
  });

  test('retries an unreachable server, then goes on from where it was', async () => {
    const refused = new KubeConnectionError('GET', 'https://127.0.0.1:1/x', {
      cause: new Error('connect ECONNREFUSED'),
    });
    const { source, opened } = scripted(
      [list('5')],
      [
        refused,
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
        stream({ type: 'ADDED', object: object('a', '6') }),
      ],
    );
    expect(await take(watchResource(source), 1)).toEqual(['ADDED a@6']);
    expect(opened).toEqual(['5', '5', '5']);
  });

  test('gives up after retryForMs without a success, with the connection error', async () => {
    const refused = new KubeConnectionError('GET', 'https://127.0.0.1:1/x', {
      cause: new Error('connect ECONNREFUSED'),
    });
    const { source } = scripted([list('5')], [refused, refused, refused, refused, refused, refused]);
    await expect(take(watchResource(source, { retryForMs: 250 }), 1)).rejects.toBe(refused);
  });

  test('an ERROR event other than 410 ends the watch with a KubeApiError', async () => {
    const { source } = scripted(
      [list('5')],
      [stream({ type: 'ERROR', object: { kind: 'Status', code: 403, reason: 'Forbidden', message: 'no' } })],
    );
    await expect(take(watchResource(source), 1)).rejects.toThrow(
      'GET /api/v1/namespaces/ns/pods?watch=true: 403 Forbidden: no',
    );
  });

  test('aborting the signal ends the iteration without an error', async () => {
    const { source } = scripted([list('5', object('a', '4'))], []);
    const stop = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of watchResource(source, { signal: stop.signal })) seen.push(event.type);
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    await done;
    expect(seen).toEqual(['ADDED']);
  });
});

describe('relistEvents', () => {
  test('nothing changed: no events', () => {
    const known = new Map([['ns/a', object('a', '1')]]);
    expect(relistEvents(known, [object('a', '1')])).toEqual([]);
  });

  test('moved versions are MODIFIED; a cluster-scoped object is keyed by name alone', () => {
    const node = { kind: 'Node', metadata: { name: 'n', uid: 'u', resourceVersion: '1' } };
    const known = new Map([['n', node]]);
    const now = { ...node, metadata: { ...node.metadata, resourceVersion: '2' } };
    expect(relistEvents(known, [now])).toEqual([{ type: 'MODIFIED', object: now }]);
  });
});
