import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BuiltinRouter } from '../../../src/cluster/router/builtin-router.js';
import { cookieName } from '../../../src/cluster/router/haproxy-config.js';
import { HaproxyRouter } from '../../../src/cluster/router/haproxy-router.js';
import {
  OPENSHIFT_ROUTER_TIMINGS,
  type RouterBackend,
  type RouterEndpoint,
} from '../../../src/cluster/router/router.js';
import { ProcessSupervisor } from '../../../src/runtime/processes.js';
import { get, type Pod, refusingEndpoint, sleep, startPod } from '../../helpers/router.js';

/**
 * The same behaviour, checked on both routers: the built-in one must do what
 * the real HAProxy does with OpenShift's backend settings.
 */
const haproxy = await HaproxyRouter.available();
const supervisor = new ProcessSupervisor();
let workDir = '';

const BACKENDS: Array<{ name: string; skip: boolean; make: () => RouterBackend }> = [
  { name: 'builtin', skip: false, make: () => new BuiltinRouter({ timings: OPENSHIFT_ROUTER_TIMINGS }) },
  {
    name: haproxy ? 'haproxy' : 'haproxy — skipped: haproxy is not installed (apt-get install haproxy)',
    skip: !haproxy,
    make: () =>
      new HaproxyRouter({ supervisor, timings: OPENSHIFT_ROUTER_TIMINGS, workDir: join(workDir, String(Date.now())) }),
  },
];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'zdd-router-'));
});
afterAll(async () => {
  supervisor.close();
  await rm(workDir, { recursive: true, force: true });
});

/** A pod that accepts the connection and closes it without answering. */
async function breakingEndpoint(id: string): Promise<{ endpoint: RouterEndpoint; close: () => void }> {
  const server = createServer((req) => req.socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { endpoint: { id, host: '127.0.0.1', port: address.port }, close: () => server.close() };
}

/** A pod that answers 503, as a warming-up app does. */
async function unavailableEndpoint(id: string): Promise<{ endpoint: RouterEndpoint; close: () => void }> {
  const server = createServer((_req, res) => res.writeHead(503, { 'x-pod': id }).end('warming up'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { endpoint: { id, host: '127.0.0.1', port: address.port }, close: () => server.close() };
}

describe.each(BACKENDS)('router: $name', ({ skip, make }) => {
  let router: RouterBackend;
  let port = 0;
  let a: Pod;
  let b: Pod;
  const pods: Pod[] = [];
  const apply = (...endpoints: RouterEndpoint[]) => router.apply(new Map([['web', endpoints]]));

  beforeAll(async () => {
    if (skip) return;
    router = make();
    a = await startPod('a');
    b = await startPod('b');
    pods.push(a, b);
    port = (await router.start(['web'])).get('web') ?? 0;
  });
  afterAll(async () => {
    if (skip) return;
    await router.stop();
    await Promise.all(pods.map((pod) => pod.close()));
  });

  test.skipIf(skip)('no endpoints: 503', async () => {
    expect((await get(port)).status).toBe(503);
  });

  test.skipIf(skip)('two endpoints: requests are spread over both', async () => {
    await apply(a.endpoint, b.endpoint);
    const answers = await Promise.all(Array.from({ length: 40 }, () => get(port)));
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
    expect([...new Set(answers.map((answer) => answer.pod))].sort()).toEqual(['a', 'b']);
  });

  test.skipIf(skip)("the route's cookie sticks to its server and does not reach it", async () => {
    const first = await get(port);
    const cookie = first.setCookie.find((line) => line.startsWith(`${cookieName('web')}=`));
    expect(cookie).toMatch(/^[0-9a-f]{32}=[0-9a-f]{32}; path=\/; HttpOnly$/);
    const pair = (cookie ?? '').split(';')[0] ?? '';
    for (let i = 0; i < 10; i++)
      expect(await get(port, { cookie: pair })).toMatchObject({ status: 200, pod: first.pod, setCookie: [] });
    expect([...a.cookies, ...b.cookies].filter((line) => line.includes(cookieName('web')))).toEqual([]);
  });

  test.skipIf(skip)('a refusing endpoint next to a good one: every request succeeds at once (redispatch)', async () => {
    await apply(await refusingEndpoint('gone'), a.endpoint);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(port)));
    expect(answers.map((answer) => `${answer.status} ${answer.pod}`)).toEqual(Array(8).fill('200 a'));
    expect(Date.now() - started).toBeLessThan(900); // no 1 s turn-around
  });

  test.skipIf(skip)('only a refusing endpoint: 503 after three retries with a 1 s turn-around', async () => {
    await apply(await refusingEndpoint('gone'));
    const started = Date.now();
    const answer = await get(port);
    expect(answer.status).toBe(503);
    expect(answer.pod).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });

  test.skipIf(skip)("a server's 503 is passed through, never retried", async () => {
    const warming = await unavailableEndpoint('warming');
    try {
      await apply(warming.endpoint);
      expect(await get(port)).toMatchObject({ status: 503, pod: 'warming' });
    } finally {
      warming.close();
    }
  });

  test.skipIf(skip)('a server that breaks off: 502 on a new client connection, not retried elsewhere', async () => {
    const breaking = await breakingEndpoint('broken');
    try {
      await apply(breaking.endpoint);
      const answers = await Promise.all(Array.from({ length: 4 }, () => get(port)));
      expect(answers.map((answer) => answer.status)).toEqual([502, 502, 502, 502]);
    } finally {
      breaking.close();
    }
  });

  test.skipIf(skip)('a request in flight during a reload completes on its server', async () => {
    const slow = await startPod('slow', 300);
    pods.push(slow);
    await apply(slow.endpoint);
    const inFlight = get(port);
    await sleep(50);
    await apply(a.endpoint);
    expect(await inFlight).toMatchObject({ status: 200, pod: 'slow' });
    expect((await get(port)).pod).toBe('a');
  });
});
