import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ProcessSupervisor } from '../../../src/cluster/local/processes.js';
import { cookieName } from '../../../src/cluster/router/haproxy-config.js';
import { HaproxyRouter, parseShowProc, RouterError } from '../../../src/cluster/router/haproxy-router.js';
import { OPENSHIFT_ROUTER_TIMINGS, type RouterEndpoint } from '../../../src/cluster/router/router.js';

const available = await HaproxyRouter.available();
const missing = 'haproxy is not installed (apt-get install haproxy)';

interface Pod {
  readonly endpoint: RouterEndpoint;
  /** The Cookie header each request arrived with. */
  readonly cookies: string[];
  close(): Promise<void>;
}

/** A pod: answers 200 with `x-pod: <id>`, after `delayMs`. */
async function startPod(id: string, delayMs = 0): Promise<Pod> {
  const cookies: string[] = [];
  const server: Server = createServer((req, res) => {
    cookies.push(req.headers.cookie ?? '');
    setTimeout(() => res.writeHead(200, { 'x-pod': id }).end(id), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    endpoint: { id, host: '127.0.0.1', port: address.port },
    cookies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An endpoint whose port has nothing listening: connections are refused. */
async function refusingEndpoint(id: string): Promise<RouterEndpoint> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise((resolve) => server.close(resolve));
  return { id, host: '127.0.0.1', port: address.port };
}

interface Answer {
  readonly status: number;
  readonly pod: string | undefined;
  readonly setCookie: readonly string[];
}

/** One request on a new connection (no keep-alive), bounded. */
function get(port: number, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers, agent: false, timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        const pod = res.headers['x-pod'];
        resolve({
          status: res.statusCode ?? 0,
          pod: typeof pod === 'string' ? pod : undefined,
          setCookie: res.headers['set-cookie'] ?? [],
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe('parseShowProc', () => {
  test('reads the master, the current and the old workers (HAProxy 2.6)', () => {
    const text = [
      '#<PID>          <type>          <reloads>       <uptime>        <version>      ',
      '11850           master          2 [failed: 1]   0d00h10m11s     2.6.12-1+deb12u4',
      '# workers',
      '18361           worker          0               0d00h00m00s     2.6.12-1+deb12u4',
      '# old workers',
      '11853           worker          1               0d00h10m11s     2.6.12-1+deb12u4',
      '# programs',
      '',
    ].join('\n');
    expect(parseShowProc(text)).toEqual({
      master: { pid: 11850, reloads: 2, failed: 1 },
      workers: [{ pid: 18361, reloads: 0 }],
      oldWorkers: [{ pid: 11853, reloads: 1 }],
    });
    expect(parseShowProc('')).toBeUndefined();
  });
});

describe('HaproxyRouter without HAProxy', () => {
  test('start() says how to install it', async () => {
    const supervisor = new ProcessSupervisor();
    const workDir = await mkdtemp(join(tmpdir(), 'zdd-haproxy-'));
    try {
      const router = new HaproxyRouter({
        supervisor,
        timings: OPENSHIFT_ROUTER_TIMINGS,
        workDir,
        haproxyPath: join(workDir, 'no-such-haproxy'),
      });
      const error = await router.start(['web']).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RouterError);
      expect((error as Error).message).toMatch(/apt-get install haproxy, or use --router builtin/);
      expect(await HaproxyRouter.available(join(workDir, 'no-such-haproxy'))).toBe(false);
      await router.stop();
    } finally {
      supervisor.close();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!available)(`HaproxyRouter${available ? '' : ` — skipped: ${missing}`}`, () => {
  const supervisor = new ProcessSupervisor();
  let workDir = '';
  let router: HaproxyRouter;
  let port = 0;
  let pods: Pod[] = [];
  let a: Pod;
  let b: Pod;

  const apply = (...endpoints: RouterEndpoint[]) => router.apply(new Map([['web', endpoints]]));

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'zdd-haproxy-'));
    router = new HaproxyRouter({ supervisor, timings: OPENSHIFT_ROUTER_TIMINGS, workDir });
    a = await startPod('a');
    b = await startPod('b');
    pods = [a, b];
    const ports = await router.start(['web']);
    expect([...ports.keys()]).toEqual(['web']);
    port = ports.get('web') ?? 0;
  });

  afterAll(async () => {
    await router?.stop().catch(() => undefined);
    supervisor.close();
    await Promise.all(pods.map((pod) => pod.close()));
    await rm(workDir, { recursive: true, force: true });
  });

  test('no endpoints: 503', async () => {
    expect((await get(port)).status).toBe(503);
  });

  test('two endpoints: requests are spread over both', async () => {
    await apply(a.endpoint, b.endpoint);
    const seen = new Set<string | undefined>();
    for (let index = 0; index < 40; index += 1) {
      const answer = await get(port);
      expect(answer.status).toBe(200);
      seen.add(answer.pod);
    }
    expect([...seen].sort()).toEqual(['a', 'b']);
  });

  test("the route's cookie sticks to its server, and does not reach it (indirect)", async () => {
    const first = await get(port);
    const cookie = first.setCookie.find((line) => line.startsWith(`${cookieName('web')}=`));
    expect(cookie, 'Set-Cookie of the route').toBeDefined();
    const pair = (cookie ?? '').split(';')[0] ?? '';
    for (let index = 0; index < 10; index += 1) {
      const answer = await get(port, { cookie: pair });
      expect(answer).toMatchObject({ status: 200, pod: first.pod, setCookie: [] });
    }
    expect([...a.cookies, ...b.cookies].filter((line) => line.includes(cookieName('web')))).toEqual([]);
  });

  test('one endpoint: only it answers once apply() resolved', async () => {
    await apply(b.endpoint);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(port)));
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.pod}`))).toEqual(new Set(['200 b']));
  });

  test('a refusing endpoint next to a good one: every request succeeds (retries, redispatch)', async () => {
    await apply(await refusingEndpoint('gone'), a.endpoint);
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(port)));
    expect(answers.map((answer) => `${answer.status} ${answer.pod}`)).toEqual(Array(8).fill('200 a'));
  });

  test('only a refusing endpoint: 503', async () => {
    await apply(await refusingEndpoint('gone'));
    expect((await get(port)).status).toBe(503);
  });

  test('a request in flight during a reload completes', async () => {
    const slow = await startPod('slow', 300);
    pods.push(slow);
    await apply(slow.endpoint);
    const inFlight = get(port);
    await sleep(50);
    await apply(a.endpoint);
    expect(await inFlight).toMatchObject({ status: 200, pod: 'slow' });
    expect((await get(port)).pod).toBe('a');
  });

  test('stop() leaves no HAProxy process', async () => {
    const pids = supervisor.pids;
    expect(pids.length).toBe(1);
    const master = pids[0] as number;
    expect(router.pid).toBe(master);
    await router.stop();
    const deadline = Date.now() + 5000;
    while ((processExists(master) || processExists(-master)) && Date.now() < deadline) await sleep(20);
    expect(processExists(master), 'the master is gone').toBe(false);
    expect(processExists(-master), 'no process is left in its group (workers)').toBe(false);
    expect(supervisor.pids).toEqual([]);
    await expect(router.apply(new Map())).rejects.toThrow(RouterError);
  });
});
