import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ClusterEvent } from '../../src/runtime/events.js';
import { freePort } from '../../src/runtime/free-port.js';
import { isRunning } from '../../src/runtime/is-running.js';
import { REPO, zdd } from '../helpers/cli.js';
import { until } from '../helpers/wait.js';

const BIN = fileURLToPath(new URL('../../bin/zdd.js', import.meta.url));

interface Status {
  routes: Array<{ name: string; url: string }>;
  workloads: Array<{ name: string; pods: Array<{ name: string; pid?: number; port: number; ready: boolean }> }>;
  processes: { groups: number[]; watchdog?: number };
}

let child: ChildProcess | undefined;
afterEach(() => {
  // Whatever a failed test left: kill it by PID.
  if (child?.pid && child.exitCode === null && isRunning(child.pid)) process.kill(child.pid, 'SIGKILL');
  child = undefined;
});

/** Starts `zdd local up` (fast profile) and resolves once it serves. */
async function up(
  controlPort: number,
  extra: readonly string[] = [],
): Promise<{ child: ChildProcess; output: () => string }> {
  const started = spawn(
    process.execPath,
    [BIN, 'local', 'up', '--manifests', 'dist', '--time-scale', '0.1', '--control-port', String(controlPort), ...extra],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child = started;
  let text = '';
  started.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  started.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  await until(() => text.includes('press Ctrl-C') || started.exitCode !== null, 20_000);
  if (!text.includes('press Ctrl-C')) throw new Error(`zdd local up did not start:\n${text}`);
  return { child: started, output: () => text };
}

async function status(controlPort: number): Promise<Status> {
  const response = await fetch(`http://127.0.0.1:${controlPort}/status`);
  return (await response.json()) as Status;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Every pod process, the watchdog, and every pod and route port. */
function leftovers(before: Status) {
  const pids = [
    ...before.workloads.flatMap((w) => w.pods.map((p) => p.pid ?? 0)).filter((pid) => pid > 0),
    ...before.processes.groups,
    ...(before.processes.watchdog ? [before.processes.watchdog] : []),
  ];
  const ports = [
    ...before.workloads.flatMap((w) => w.pods.map((p) => p.port)),
    ...before.routes.map((r) => Number(new URL(r.url).port)),
  ];
  return async () => {
    const pidsLeft = pids.filter(isRunning);
    const portsLeft = (await Promise.all(ports.map(async (port) => ((await listening(port)) ? port : 0)))).filter(
      Boolean,
    );
    return { pidsLeft, portsLeft };
  };
}

async function expectNothingLeft(check: ReturnType<typeof leftovers>): Promise<void> {
  await until(async () => {
    const { pidsLeft, portsLeft } = await check();
    return pidsLeft.length === 0 && portsLeft.length === 0;
  }, 5000);
  expect(await check()).toEqual({ pidsLeft: [], portsLeft: [] });
}

describe('zdd local', () => {
  test('up prints each route, rollout rolls out from another terminal, events prints the log', async () => {
    const port = await freePort();
    const { output } = await up(port);
    expect(output()).toMatch(/route default-app\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(output()).toMatch(/route zero-downtime-app\s+http:\/\/127\.0\.0\.1:\d+\//);
    const before = await status(port);
    const route = before.routes.find((r) => r.name === 'zero-downtime-app');
    const answer = await fetch(route?.url ?? '');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-pod')).toMatch(/^zero-downtime-app-1-/);

    const rollout = await zdd(['local', 'rollout', 'default-app', 'zero-downtime-app', '--control-port', String(port)]);
    expect(rollout.exitCode, rollout.stderr).toBe(0);
    expect(rollout.stdout).toMatch(/default-app: rollout to default-app-2 completed in \d+ ms/);
    expect(rollout.stdout).toMatch(/zero-downtime-app: rollout to zero-downtime-app-2 completed in \d+ ms/);

    // The router drops the old pods at its next reload, up to an interval after the rollout completed: wait for
    // that event rather than for a time.
    const reloaded = /router-reloaded\s+zero-downtime-app\s+endpoints: zero-downtime-app-2-\w+, zero-downtime-app-2-/;
    let events = await zdd(['local', 'events', '--control-port', String(port)]);
    await until(async () => {
      events = await zdd(['local', 'events', '--control-port', String(port)]);
      return reloaded.test(events.stdout);
    }, 30_000);
    expect(events.exitCode).toBe(0);
    expect(events.stdout).toMatch(/rollout-started\s+default-app\/default-app-2/);
    expect(events.stdout).toMatch(
      /prestop-started\s+zero-downtime-app\/zero-downtime-app-1-\w+\s+exec \/bin\/sh -c sleep 10/,
    );
    expect(events.stdout).toMatch(reloaded);

    const unknown = await zdd(['local', 'rollout', 'no-such-app', '--control-port', String(port)]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain(
      'no workload named "no-such-app"; the local cluster runs default-app, zero-downtime-app',
    );
  });

  test('up --platform ingress-nginx: a new endpoint reaches the router 6 s (0.6 s at 0.1) after it changed', async () => {
    const port = await freePort();
    const { child: cli, output } = await up(port, ['--platform', 'ingress-nginx']);
    expect(output()).toContain(
      'platform ingress-nginx emulated on router builtin (endpoints leave 6 s and join 6 s after they change)',
    );
    const events = await zdd(['local', 'events', '--json', '--control-port', String(port)]);
    expect(events.exitCode, events.stderr).toBe(0);
    const log = events.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ClusterEvent);
    const first = (type: ClusterEvent['type'], none: string) =>
      log.find((event) => event.type === type && event.object === 'default-app' && event.detail !== none)?.time ?? 0;
    const changed = first('endpoints-changed', 'none');
    const routed = first('router-reloaded', 'endpoints: none');
    expect(changed).toBeGreaterThan(0);
    // The OpenShift router's periodic reloads (0.5 s at 0.1) would have applied it sooner.
    expect(routed - changed).toBeGreaterThanOrEqual(590);
    cli.kill('SIGINT');
    await until(() => cli.exitCode !== null, 10_000);
  });

  test("up refuses an unknown platform, and the OpenShift router's flags with another one", async () => {
    const unknown = await zdd(['local', 'up', '--platform', 'nowhere']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--platform');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const interval = await zdd(['local', 'up', '--platform', 'ingress-nginx', '--reload-interval', '2']);
    expect(interval.exitCode).toBe(2);
    expect(interval.stderr).toContain('--reload-interval: only when the local cluster emulates openshift-router');
    expect(interval.stderr).not.toMatch(/\n\s+at /);
  });

  test('rollout without a running cluster says how to start one', async () => {
    const result = await zdd(['local', 'rollout', 'default-app', '--control-port', String(await freePort())]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no local cluster answers on 127\.0\.0\.1:\d+; start one with "zdd local up"/);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('%s stops everything, then exit 130', async (signal) => {
    const port = await freePort();
    const { child: cli, output } = await up(port);
    const check = leftovers(await status(port));
    cli.kill(signal);
    await until(() => cli.exitCode !== null, 10_000);
    expect(cli.exitCode).toBe(130);
    expect(output()).toContain('stopping the local cluster');
    expect(output()).toContain(`zdd: stopped by ${signal}; everything zdd started was stopped`);
    await expectNothingLeft(check);
  });

  test('kill -9 of the CLI: the watchdog kills every pod', async () => {
    const port = await freePort();
    const { child: cli } = await up(port);
    const check = leftovers(await status(port));
    cli.kill('SIGKILL');
    await expectNothingLeft(check);
  });

  test('an exception in a program using the local cluster: nothing left either', async () => {
    const script = `
      import { LocalCluster } from './lib/src/cluster/local/local-cluster.js';
      import { readManifests } from './lib/src/cluster/local/read-manifests.js';
      const cluster = await LocalCluster.create({ timeScale: 0.1 });
      await cluster.apply(await readManifests(['dist']));
      await cluster.waitUntilReady(20000);
      const pods = cluster.listWorkloads().flatMap((w) => cluster.pods(w)).map((p) => ({ pid: p.pid, port: p.endpointPort }));
      console.log(JSON.stringify({ pods, routes: cluster.listRoutes(), processes: cluster.processIds }));
      setTimeout(() => { throw new Error('boom'); }, 50);
    `;
    const crashing = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = crashing;
    let out = '';
    let err = '';
    crashing.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    crashing.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    await until(() => crashing.exitCode !== null, 20_000);
    expect(crashing.exitCode).not.toBe(0);
    expect(err).toContain('boom');
    const seen = JSON.parse(out) as {
      pods: Array<{ pid: number; port: number }>;
      routes: Status['routes'];
      processes: Status['processes'];
    };
    const check = leftovers({
      routes: seen.routes,
      workloads: [
        { name: 'all', pods: seen.pods.map((p, i) => ({ name: String(i), pid: p.pid, port: p.port, ready: true })) },
      ],
      processes: seen.processes,
    });
    await expectNothingLeft(check);
  });
});

describe('zdd local rollout and events against one running cluster', () => {
  let port = 0;
  let cluster: ChildProcess | undefined;
  beforeAll(async () => {
    port = await freePort();
    cluster = (await up(port)).child;
    // The afterEach above is for the tests that start their own.
    child = undefined;
  });
  afterAll(async () => {
    if (cluster?.pid && cluster.exitCode === null) cluster.kill('SIGINT');
    await until(() => cluster?.exitCode !== null, 10_000);
  });

  /** How often each workload has started a rollout so far. */
  async function rolloutsStarted(): Promise<Record<string, number>> {
    const response = await fetch(`http://127.0.0.1:${port}/events`);
    const counts: Record<string, number> = {};
    for (const event of (await response.json()) as Array<{ type: string; workload?: string }>) {
      if (event.type === 'rollout-started') counts[event.workload ?? ''] = (counts[event.workload ?? ''] ?? 0) + 1;
    }
    return counts;
  }

  test('every name is checked before any rollout starts', async () => {
    const result = await zdd(['local', 'rollout', 'default-app', 'nosuch', 'other', '--control-port', String(port)]);
    expect(result.stderr.split('\n')[0]).toBe(
      'zdd: no workloads named "nosuch", "other"; the local cluster runs default-app, zero-downtime-app',
    );
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(await rolloutsStarted()).toEqual({});
  });

  test('a name given twice is one rollout, and a note says so', async () => {
    const before = (await rolloutsStarted())['default-app'] ?? 0;
    const result = await zdd(['local', 'rollout', 'default-app', 'default-app', '--control-port', String(port)]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('zdd: default-app is named 2 times; it is rolled out once');
    expect(result.stdout).toMatch(/^default-app: rollout to default-app-\d+ completed in \d+ ms$/);
    expect((await rolloutsStarted())['default-app']).toBe(before + 1);
  });

  test('the control API says what is missing or unknown', async () => {
    for (const path of ['/rollout/', '/rollout']) {
      const answer = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST' });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({
        error:
          'the workload to roll out is missing: POST /rollout/<workload>; the local cluster runs default-app, zero-downtime-app',
      });
    }
    const other = await fetch(`http://127.0.0.1:${port}/deploy`, { method: 'POST' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: string }).error).toBe(
      'no such endpoint: POST /deploy; the control API of "zdd local up" has GET /status, POST /rollout/<workload> and GET /events?since=N',
    );
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('events -f: %s ends it with exit 130', async (signal) => {
    const follower = spawn(process.execPath, [BIN, 'local', 'events', '-f', '--control-port', String(port)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = follower;
    let out = '';
    let err = '';
    follower.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    follower.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
    await until(() => out.includes('pod-ready') || follower.exitCode !== null, 20_000);
    expect(out).toContain('pod-ready');
    follower.kill(signal);
    expect(await exited).toBe(130);
    expect(err).toContain(`zdd: stopped by ${signal}; everything zdd started was stopped`);
    // Its process group is empty: nothing it started runs on.
    expect(await until(() => !groupAlive(follower.pid ?? 0), 5000)).toBe(true);
  });
});

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
