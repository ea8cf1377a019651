import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { LoadOptionError, RequestTimeoutError } from '../../src/load/errors.js';
import { type OpenModelOptions, runOpenModel } from '../../src/load/open-model.js';
import { classifyNetworkError, classifyStatus, type Sample } from '../../src/load/sample.js';

interface TestServer {
  readonly url: string;
  /** Requests the server has received. */
  readonly requests: () => number;
}

const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

/** A server on 127.0.0.1 and a free port, closed after each test. */
async function startServer(handler: http.RequestListener): Promise<TestServer> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests: () => requests };
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port that nothing listens on: listen on 0, then close. */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

function answer(status: number, pod?: string): http.RequestListener {
  return (_req, res) => {
    res.writeHead(status, pod === undefined ? {} : { 'x-pod': pod });
    res.end('body');
  };
}

function byTarget(samples: readonly Sample[], target: string): Sample[] {
  return samples.filter((sample) => sample.target === target);
}

describe('runOpenModel: the schedule', () => {
  test('rate 100/s for 1 s: exactly 100 requests, 10 ms apart, started on time', async () => {
    const server = await startServer(answer(200, 'pod-a'));
    const before = Date.now();
    const result = await runOpenModel({ targets: [{ name: 'a', url: server.url }], rate: 100, durationMs: 1000 });

    expect(result.samples).toHaveLength(100);
    expect(server.requests()).toBe(100);
    result.samples.forEach((sample, index) => {
      expect(sample.scheduledMs).toBeCloseTo(index * 10, 6);
      expect(sample.startMs).toBeGreaterThanOrEqual(sample.scheduledMs);
      expect(sample).toMatchObject({ target: 'a', status: 200, pod: 'pod-a' });
      expect(sample.error).toBeUndefined();
      expect(sample.epochMs).toBeCloseTo(result.epochStartMs + sample.startMs, 6);
    });
    // A busy machine delays a tick now and then; a scheduler that drifts or cannot keep up is late throughout.
    expect(result.lateStarts).toBeLessThanOrEqual(20);
    expect(result.epochStartMs).toBeGreaterThanOrEqual(before);
    const lags = result.samples.map((sample) => sample.startMs - sample.scheduledMs).sort((a, b) => a - b);
    expect(lags[50]).toBeLessThan(5);
  });

  test('every target gets the same number of requests on the same schedule', async () => {
    const a = await startServer(answer(200));
    const b = await startServer(answer(200));
    const result = await runOpenModel({
      targets: [
        { name: 'default', url: a.url },
        { name: 'zero-downtime', url: b.url },
      ],
      rate: 50,
      durationMs: 400,
    });

    const first = byTarget(result.samples, 'default');
    const second = byTarget(result.samples, 'zero-downtime');
    expect(first).toHaveLength(20);
    expect(second).toHaveLength(20);
    expect(second.map((sample) => sample.scheduledMs)).toEqual(first.map((sample) => sample.scheduledMs));
    // Sorted by target, then by schedule.
    expect(result.samples).toEqual([...first, ...second]);
    expect([a.requests(), b.requests()]).toEqual([20, 20]);
  });

  test('an abort stops scheduling early; requests in flight still complete', async () => {
    const server = await startServer(answer(200));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();
    const result = await runOpenModel({
      targets: [{ name: 'a', url: server.url }],
      rate: 100,
      durationMs: 10_000,
      signal: controller.signal,
    });

    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.samples.length).toBeGreaterThan(5);
    expect(result.samples.length).toBeLessThan(100);
    expect(result.samples.every((sample) => sample.status === 200)).toBe(true);
    expect(server.requests()).toBe(result.samples.length);
  });

  test('an aborted signal sends nothing', async () => {
    const server = await startServer(answer(200));
    const result = await runOpenModel({
      targets: [{ name: 'a', url: server.url }],
      rate: 100,
      durationMs: 1000,
      signal: AbortSignal.abort(),
    });
    expect(result.samples).toEqual([]);
    expect(server.requests()).toBe(0);
  });

  test('onSample sees every sample as it completes', async () => {
    const server = await startServer(answer(200));
    const seen: Sample[] = [];
    const result = await runOpenModel({
      targets: [{ name: 'a', url: server.url }],
      rate: 100,
      durationMs: 100,
      onSample: (sample) => seen.push(sample),
    });
    expect(seen).toHaveLength(10);
    expect(new Set(seen)).toEqual(new Set(result.samples));
  });

  test('what onSample throws stops the load and is rethrown', async () => {
    const server = await startServer(answer(200));
    const failure = new Error('progress display broke');
    const run = runOpenModel({
      targets: [{ name: 'a', url: server.url }],
      rate: 100,
      durationMs: 5000,
      onSample: () => {
        throw failure;
      },
    });
    await expect(run).rejects.toBe(failure);
    expect(server.requests()).toBeLessThan(50);
  });

  test('leaves no timer or socket behind', async () => {
    const baseline = activeHandles();
    const slow = await startServer((req, res) => setTimeout(() => answer(200)(req, res), 50));
    const fast = await startServer(answer(200));
    // A per-request timer left running would outlast the wait below.
    await runOpenModel({
      targets: [
        { name: 'slow', url: slow.url },
        { name: 'fast', url: fast.url },
      ],
      rate: 20,
      durationMs: 100,
      timeoutMs: 5000,
    });
    // The servers stay open: a keep-alive socket left open by the client would stay open too.
    // Handles go away a moment after they are closed, so wait up to 1 s.
    for (let wait = 0; wait < 100 && !withinBaseline(activeHandles(), baseline); wait++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(withinBaseline(activeHandles(), baseline), JSON.stringify(activeHandles())).toBe(true);
  });
});

/** Timers and TCP sockets that keep the process alive, by kind. */
function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = { Timeout: 0, TCPSocketWrap: 0 };
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

function withinBaseline(counts: Record<string, number>, baseline: Record<string, number>): boolean {
  return Object.entries(counts).every(([kind, count]) => count <= (baseline[kind] ?? 0));
}

describe('runOpenModel: failures, through the real client', () => {
  test('refused, reset, timeout, 503 and 404 are told apart', async () => {
    const port = await freePort();
    const reset = await startServer((req) => req.socket.destroy());
    const silent = await startServer(() => {});
    const unavailable = await startServer(answer(503));
    const missing = await startServer(answer(404, 'pod-b'));
    const ok = await startServer(answer(200));
    const result = await runOpenModel({
      targets: [
        { name: 'refused', url: `http://127.0.0.1:${port}/` },
        { name: 'reset', url: reset.url },
        { name: 'timeout', url: silent.url },
        { name: '503', url: unavailable.url },
        { name: '404', url: missing.url },
        { name: 'ok', url: ok.url },
      ],
      rate: 10,
      durationMs: 200,
      timeoutMs: 200,
    });

    const expected: Record<string, Partial<Sample>> = {
      refused: { status: 0, error: 'refused' },
      reset: { status: 0, error: 'reset' },
      timeout: { status: 0, error: 'timeout' },
      '503': { status: 503, error: 'http_5xx' },
      '404': { status: 404, error: 'http_4xx', pod: 'pod-b' },
      ok: { status: 200 },
    };
    for (const [target, outcome] of Object.entries(expected)) {
      const samples = byTarget(result.samples, target);
      expect(samples, target).toHaveLength(2);
      for (const sample of samples) expect(sample, target).toMatchObject(outcome);
    }
    for (const sample of byTarget(result.samples, 'timeout')) {
      expect(sample.latencyMs).toBeGreaterThanOrEqual(195);
      expect(sample.latencyMs).toBeLessThan(1000);
    }
    for (const sample of byTarget(result.samples, 'ok')) {
      expect(sample.error).toBeUndefined();
      // No x-pod header: a router-generated answer.
      expect(sample).not.toHaveProperty('pod');
    }
  });
});

describe('runOpenModel: options', () => {
  const url = 'http://127.0.0.1:9/';
  const valid: OpenModelOptions = { targets: [{ name: 'a', url }], rate: 10, durationMs: 1000 };
  const loopbackRule = 'an http:// URL on 127.0.0.1, localhost or [::1]';

  test.each<[string, Partial<OpenModelOptions>, string]>([
    ['rate < 0', { rate: -1 }, 'Expected the `rate` option to be a number > 0, got -1 (number)'],
    ['rate 0', { rate: 0 }, 'Expected the `rate` option to be a number > 0, got 0 (number)'],
    ['rate NaN', { rate: Number.NaN }, 'Expected the `rate` option to be a number > 0, got NaN (number)'],
    ['durationMs 0', { durationMs: 0 }, 'Expected the `durationMs` option to be a number > 0, got 0 (number)'],
    [
      'timeoutMs 0',
      { timeoutMs: 0 },
      'Expected the `timeoutMs` option to be a number > 0 and at most 2147483647, got 0 (number)',
    ],
    [
      'no request in the duration',
      { rate: 0.5, durationMs: 1000 },
      'Expected the `durationMs` option to be long enough for at least 1 request at rate 0.5/s, got 1000 (number)',
    ],
    ['no targets', { targets: [] }, 'Expected the `targets` option to be a non-empty array, got [] (array)'],
    [
      'a duplicate name',
      {
        targets: [
          { name: 'a', url },
          { name: 'a', url },
        ],
      },
      'Expected the `targets[1].name` option to be a name no other target with its connection has, got "a" (string)',
    ],
    [
      'a non-loopback host',
      { targets: [{ name: 'a', url: 'http://10.0.0.1/' }] },
      `Expected the \`targets[0].url\` option to be ${loopbackRule}, got "http://10.0.0.1/" (string)`,
    ],
    [
      'https',
      { targets: [{ name: 'a', url: 'https://127.0.0.1/' }] },
      `Expected the \`targets[0].url\` option to be ${loopbackRule}, got "https://127.0.0.1/" (string)`,
    ],
    [
      'a name that merely starts with localhost',
      { targets: [{ name: 'a', url: 'http://localhost.example.com/' }] },
      `Expected the \`targets[0].url\` option to be ${loopbackRule}, got "http://localhost.example.com/" (string)`,
    ],
    [
      'not a URL',
      { targets: [{ name: 'a', url: '127.0.0.1:8080' }] },
      `Expected the \`targets[0].url\` option to be ${loopbackRule}, got "127.0.0.1:8080" (string)`,
    ],
  ])('%s', async (_, change, message) => {
    const run = runOpenModel({ ...valid, ...change });
    await expect(run).rejects.toBeInstanceOf(LoadOptionError);
    await expect(run).rejects.toMatchObject({ name: 'LoadOptionError', message });
  });

  test('accepts 127.0.0.1, localhost and [::1]', async () => {
    const port = await freePort();
    const result = await runOpenModel({
      targets: [
        { name: 'v4', url: `http://127.0.0.1:${port}/` },
        { name: 'name', url: `http://localhost:${port}/x?y=1` },
        { name: 'v6', url: `http://[::1]:${port}/` },
      ],
      rate: 10,
      durationMs: 100,
      timeoutMs: 1000,
    });
    // Nothing listens there: each request fails, but none was refused by the options.
    expect(result.samples.map((sample) => [sample.target, sample.status])).toEqual([
      ['v4', 0],
      ['name', 0],
      ['v6', 0],
    ]);
  });

  test('a non-loopback target is rejected before any request is sent', async () => {
    const server = await startServer(answer(200));
    const run = runOpenModel({
      targets: [
        { name: 'local', url: server.url },
        { name: 'remote', url: 'http://10.0.0.1/' },
      ],
      rate: 100,
      durationMs: 100,
    });
    await expect(run).rejects.toThrow(
      `Expected the \`targets[1].url\` option to be ${loopbackRule}, got "http://10.0.0.1/" (string)`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests()).toBe(0);
  });
});

describe('classifyStatus', () => {
  test.each([
    [200, undefined],
    [302, undefined],
    [399, undefined],
    [400, 'http_4xx'],
    [404, 'http_4xx'],
    [499, 'http_4xx'],
    [500, 'http_5xx'],
    [503, 'http_5xx'],
  ])('%i → %s', (status, kind) => {
    expect(classifyStatus(status)).toBe(kind);
  });
});

describe('classifyNetworkError', () => {
  const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
  test.each<[string, unknown, string]>([
    ['ECONNREFUSED', withCode('ECONNREFUSED'), 'refused'],
    ['ECONNRESET', withCode('ECONNRESET'), 'reset'],
    ['socket hang up', withCode('ECONNRESET', 'socket hang up'), 'reset'],
    ['EPIPE', withCode('EPIPE'), 'reset'],
    ['fetch: cause UND_ERR_SOCKET', new TypeError('fetch failed', { cause: withCode('UND_ERR_SOCKET') }), 'reset'],
    ['fetch: cause ECONNREFUSED', new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }), 'refused'],
    ['ETIMEDOUT', withCode('ETIMEDOUT'), 'timeout'],
    ['our own timeout', new RequestTimeoutError(200), 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', withCode('UND_ERR_HEADERS_TIMEOUT'), 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', withCode('UND_ERR_CONNECT_TIMEOUT'), 'timeout'],
    ['AbortSignal.timeout()', new DOMException('timed out', 'TimeoutError'), 'timeout'],
    ['ENOTFOUND', withCode('ENOTFOUND'), 'other'],
    ['no code', new Error('boom'), 'other'],
    ['not an error', 'boom', 'other'],
    ['null', null, 'other'],
  ])('%s', (_, error, kind) => {
    expect(classifyNetworkError(error)).toBe(kind);
  });
});
