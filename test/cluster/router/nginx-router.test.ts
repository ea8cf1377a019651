import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NginxRouter, NginxRouterError } from '../../../src/cluster/router/nginx-router.js';
import { OPENSHIFT_ROUTER_TIMINGS, type RouterEndpoint } from '../../../src/cluster/router/router.js';
import { isRunning } from '../../../src/runtime/is-running.js';
import { ProcessSupervisor } from '../../../src/runtime/processes.js';
import { get, type Pod, refusingEndpoint, sleep, startPod } from '../../helpers/router.js';

const available = await NginxRouter.available();
const missing = 'nginx is not installed (apt-get install nginx)';

describe('NginxRouter without nginx', () => {
  test('start() says how to install it', async () => {
    const supervisor = new ProcessSupervisor();
    const workDir = await mkdtemp(join(tmpdir(), 'zdd-nginx-'));
    try {
      const router = new NginxRouter({
        supervisor,
        timings: OPENSHIFT_ROUTER_TIMINGS,
        workDir,
        nginxPath: join(workDir, 'no-such-nginx'),
      });
      const error = await router.start(['web']).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NginxRouterError);
      expect((error as Error).message).toMatch(/apt-get install nginx, or use --router builtin/);
      expect(await NginxRouter.available(join(workDir, 'no-such-nginx'))).toBe(false);
      await router.stop();
    } finally {
      supervisor.close();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!available)(`NginxRouter${available ? '' : ` — skipped: ${missing}`}`, () => {
  const supervisor = new ProcessSupervisor();
  let workDir = '';
  let router: NginxRouter;
  let port = 0;
  let a: Pod;
  let b: Pod;
  const pods: Pod[] = [];
  const apply = (...endpoints: RouterEndpoint[]) => router.apply(new Map([['web', endpoints]]));

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'zdd-nginx-'));
    router = new NginxRouter({ supervisor, timings: OPENSHIFT_ROUTER_TIMINGS, workDir });
    a = await startPod('a');
    b = await startPod('b');
    pods.push(a, b);
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

  test("no endpoints: 503 with the OpenShift router's page", async () => {
    expect((await get(port)).status).toBe(503);
  });

  test('two endpoints: requests are spread over both', async () => {
    await apply(a.endpoint, b.endpoint);
    const answers = await Promise.all(Array.from({ length: 40 }, () => get(port)));
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
    expect([...new Set(answers.map((answer) => answer.pod))].sort()).toEqual(['a', 'b']);
  });

  test('a refusing endpoint next to a good one: every request succeeds at once (redispatch)', async () => {
    await apply(await refusingEndpoint('gone'), a.endpoint);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(port)));
    expect(answers.map((answer) => `${answer.status} ${answer.pod}`)).toEqual(Array(8).fill('200 a'));
    expect(Date.now() - started).toBeLessThan(900);
  });

  test('only a refusing endpoint: 502 at once (HAProxy: 503 after three retries)', async () => {
    await apply(await refusingEndpoint('gone'));
    const started = Date.now();
    expect(await get(port)).toMatchObject({ status: 502, pod: undefined });
    expect(Date.now() - started).toBeLessThan(900);
  });

  test("a server's 503 is passed through, never retried", async () => {
    const server = createServer((_req, res) => res.writeHead(503, { 'x-pod': 'warming' }).end('warming up'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      await apply({ id: 'warming', host: '127.0.0.1', port: address.port }, a.endpoint);
      const answers = await Promise.all(Array.from({ length: 20 }, () => get(port)));
      expect(answers.filter((answer) => answer.pod === 'warming').every((answer) => answer.status === 503)).toBe(true);
      expect(answers.some((answer) => answer.pod === 'warming')).toBe(true);
    } finally {
      server.close();
    }
  });

  test('apply() resolves once every new request reaches the new endpoints, reload after reload', async () => {
    for (let i = 0; i < 6; i++) {
      const pod = i % 2 === 0 ? a : b;
      await apply(pod.endpoint);
      const answers = await Promise.all(Array.from({ length: 5 }, () => get(port)));
      expect(answers.map((answer) => answer.pod)).toEqual(Array(5).fill(pod.endpoint.id));
    }
  });

  test('a request in flight during a reload completes on its server (the old worker drains)', async () => {
    const slow = await startPod('slow', 300);
    pods.push(slow);
    await apply(slow.endpoint);
    const inFlight = get(port);
    await sleep(50);
    await apply(a.endpoint);
    expect((await get(port)).pod).toBe('a');
    expect(await inFlight).toMatchObject({ status: 200, pod: 'slow' });
  });

  test('a configuration nginx rejects: apply() fails with its [emerg] line, the old one keeps serving', async () => {
    await apply(a.endpoint);
    // nginx resolves upstream host names when it loads a configuration; `.invalid` never resolves.
    const error = await apply({ id: 'lost', host: 'no-such-host.invalid', port: 80 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NginxRouterError);
    expect((error as Error).message).toMatch(
      /nginx rejected the new configuration .*\n.*\[emerg\].*no-such-host\.invalid/,
    );
    expect(await get(port)).toMatchObject({ status: 200, pod: 'a' });
    await apply(b.endpoint);
    expect(await get(port)).toMatchObject({ status: 200, pod: 'b' });
  });

  test('its error log records the reloads', async () => {
    const log = await readFile(router.errorLogPath, 'utf8');
    expect(log).toMatch(/signal 1 \(SIGHUP\) received/);
    expect(log).toMatch(/gracefully shutting down/);
  });

  test('stop() leaves no nginx process', async () => {
    const pids = supervisor.pids;
    expect(pids.length).toBe(1);
    const master = pids[0] as number;
    expect(router.pid).toBe(master);
    expect((await router.workers()).length).toBeGreaterThan(0);
    await router.stop();
    const deadline = Date.now() + 5000;
    while ((isRunning(master) || isRunning(-master)) && Date.now() < deadline) await sleep(20);
    expect(isRunning(master), 'the master is gone').toBe(false);
    expect(isRunning(-master), 'no process is left in its group (workers)').toBe(false);
    expect(supervisor.pids).toEqual([]);
    await expect(router.apply(new Map())).rejects.toThrow(NginxRouterError);
  });
});

describe.skipIf(!available)(`NginxRouter without retries${available ? '' : ` — skipped: ${missing}`}`, () => {
  test('a platform that does not retry (refusedConnection error): a refused connect is a 502 at once, as the emulation answers', async () => {
    const supervisor = new ProcessSupervisor();
    const workDir = await mkdtemp(join(tmpdir(), 'zdd-nginx-'));
    const good = await startPod('good');
    const router = new NginxRouter({
      supervisor,
      timings: OPENSHIFT_ROUTER_TIMINGS,
      workDir,
      refusedConnection: 'error',
    });
    try {
      const port = (await router.start(['web'])).get('web') ?? 0;
      await router.apply(new Map([['web', [good.endpoint, await refusingEndpoint('dead')]]]));
      const started = Date.now();
      const answers: string[] = [];
      for (let i = 0; i < 20; i++) {
        const answer = await get(port);
        answers.push(`${answer.status} ${answer.pod ?? '-'}`);
      }
      // `random two least_conn` over both: some requests meet the refusing one and are not sent to the other.
      expect([...new Set(answers)].sort()).toEqual(['200 good', '502 -']);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await router.stop().catch(() => undefined);
      supervisor.close();
      await good.close();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
