import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HaproxyRouter, parseShowProc, RouterError } from '../../../src/cluster/router/haproxy-router.js';
import { OPENSHIFT_ROUTER_TIMINGS } from '../../../src/cluster/router/router.js';
import { isRunning } from '../../../src/runtime/is-running.js';
import { ProcessSupervisor } from '../../../src/runtime/processes.js';
import { get, type Pod, sleep, startPod } from '../../helpers/router.js';

const available = await HaproxyRouter.available();
const missing = 'haproxy is not installed (apt-get install haproxy)';

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
  let pods: Pod[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'zdd-haproxy-'));
    router = new HaproxyRouter({ supervisor, timings: OPENSHIFT_ROUTER_TIMINGS, workDir });
    pods = [await startPod('a')];
    const ports = await router.start(['web']);
    expect([...ports.keys()]).toEqual(['web']);
    await router.apply(new Map([['web', pods.map((pod) => pod.endpoint)]]));
  });

  afterAll(async () => {
    await router?.stop().catch(() => undefined);
    supervisor.close();
    await Promise.all(pods.map((pod) => pod.close()));
    await rm(workDir, { recursive: true, force: true });
  });

  test('stop() leaves no HAProxy process', async () => {
    const pids = supervisor.pids;
    expect(pids.length).toBe(1);
    const master = pids[0] as number;
    expect(router.pid).toBe(master);
    await router.stop();
    const deadline = Date.now() + 5000;
    while ((isRunning(master) || isRunning(-master)) && Date.now() < deadline) await sleep(20);
    expect(isRunning(master), 'the master is gone').toBe(false);
    expect(isRunning(-master), 'no process is left in its group (workers)').toBe(false);
    expect(supervisor.pids).toEqual([]);
    await expect(router.apply(new Map())).rejects.toThrow(RouterError);
  });
});

describe.skipIf(!available)(`HaproxyRouter applying at run time${available ? '' : ` — skipped: ${missing}`}`, () => {
  test('after the first state, changes go through the stats socket: no reload, the worker routes to the new servers', async () => {
    const supervisor = new ProcessSupervisor();
    const workDir = await mkdtemp(join(tmpdir(), 'zdd-haproxy-'));
    const pods = [await startPod('a'), await startPod('b')];
    const [a, b] = pods as [Pod, Pod];
    const router = new HaproxyRouter({
      supervisor,
      timings: OPENSHIFT_ROUTER_TIMINGS,
      workDir,
      refusedConnection: 'error',
      applyBy: 'runtime',
    });
    try {
      const port = (await router.start(['web'])).get('web') ?? 0;
      await router.apply(new Map([['web', [a.endpoint]]]));
      const master = router.pid;
      const served = async () => {
        const pods = new Set<string>();
        for (let i = 0; i < 10; i++) pods.add((await get(port)).pod ?? '?');
        return [...pods].sort();
      };
      expect(await served()).toEqual(['a']);
      await router.apply(new Map([['web', [b.endpoint]]]));
      expect(await served()).toEqual(['b']);
      // a back: the same server, set ready again.
      await router.apply(new Map([['web', [a.endpoint, b.endpoint]]]));
      expect(await served()).toContain('a');
      expect(router.pid).toBe(master);
    } finally {
      await router.stop().catch(() => undefined);
      supervisor.close();
      await Promise.all(pods.map((pod) => pod.close()));
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
