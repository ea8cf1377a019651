import { afterEach, describe, expect, test } from 'vitest';
import type { LocalCluster } from '../../../src/cluster/local/local-cluster.js';
import { parseManifests } from '../../../src/cluster/local/objects.js';
import type { ClusterEvent } from '../../../src/runtime/events.js';
import { startCluster, synthObjects } from '../../helpers/local.js';

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/**
 * A Deployment of the sample app with a given pod spec tail, written by hand (zdd synth would refuse it). Its
 * tcpSocket readinessProbe passes once the app listens, by when it has installed its SIGTERM handler: without
 * the probe the pod counts as ready when its process starts (as on Kubernetes), and on a busy machine the
 * rollout's SIGTERM can reach the app before its handler exists.
 */
function deployment(options: { preStop: string; grace: number; replicas?: number }) {
  return parseManifests([
    {
      source: 'test.yaml',
      yaml: `
apiVersion: apps/v1
kind: Deployment
metadata: { name: slow-stop }
spec:
  replicas: ${options.replicas ?? 1}
  selector: { matchLabels: { app: slow-stop } }
  template:
    metadata: { labels: { app: slow-stop } }
    spec:
      terminationGracePeriodSeconds: ${options.grace}
      containers:
        - name: app
          image: zdd-sample-app:latest
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
          lifecycle: { preStop: ${options.preStop} }
`,
    },
  ]);
}

function of(events: readonly ClusterEvent[], type: ClusterEvent['type'], pod: string): ClusterEvent | undefined {
  return events.find((event) => event.type === type && event.object === pod);
}

describe('termination as the kubelet does it', () => {
  test('a preStop hook that outlasts the grace period: SIGKILL at the deadline, counted from deletion, and no SIGTERM', async () => {
    // Grace 20 s × 0.1 = 2 s; the hook sleeps 600 s × 0.1 = 60 s. A busy machine may fire the deadline's timer
    // late, but never early; the upper bound only has to tell the deadline from the hook's end.
    cluster = await startCluster(
      deployment({ preStop: '{ exec: { command: [/bin/sh, -c, "sleep 600"] } }', grace: 20 }),
    );
    const [pod] = cluster.pods('slow-stop');
    await cluster.rollout('slow-stop');
    await cluster.waitUntilReady(10_000);
    const events = cluster.events.all();
    const name = pod?.name ?? '';
    const deleted = of(events, 'pod-deleted', name);
    const killed = of(events, 'sigkill', name);
    const exited = of(events, 'pod-exited', name);
    expect(deleted && killed && exited).toBeTruthy();
    expect(of(events, 'sigterm', name)).toBeUndefined();
    expect((killed?.time ?? 0) - (deleted?.time ?? 0)).toBeGreaterThanOrEqual(1990);
    expect((killed?.time ?? 0) - (deleted?.time ?? 0)).toBeLessThan(5000);
    expect(exited?.detail).toMatch(/signal SIGKILL/);
    expect(of(events, 'prestop-finished', name)?.detail).toBe('cut off at the grace deadline');
  });

  test('a hook that ends in time: SIGTERM after the hook, the app exits on its own', async () => {
    cluster = await startCluster(deployment({ preStop: '{ sleep: { seconds: 2 } }', grace: 30 }));
    const [pod] = cluster.pods('slow-stop');
    await cluster.rollout('slow-stop');
    await cluster.waitUntilReady(10_000);
    const events = cluster.events.all();
    const name = pod?.name ?? '';
    const deleted = of(events, 'pod-deleted', name)?.time ?? 0;
    const term = of(events, 'sigterm', name)?.time ?? 0;
    expect(term - deleted).toBeGreaterThanOrEqual(195); // the native sleep action: 2 s × 0.1
    expect(of(events, 'sigkill', name)).toBeUndefined();
    expect(of(events, 'pod-exited', name)?.detail).toMatch(/code 0/);
  });

  test('on deletion the pod leaves the endpoints at the same moment its preStop hook starts', async () => {
    cluster = await startCluster(synthObjects({ replicas: 1 }));
    const [pod] = cluster.pods('zero-downtime-app');
    await cluster.rollout('zero-downtime-app');
    await cluster.waitUntilReady(10_000);
    const events = cluster.events.all();
    const name = pod?.name ?? '';
    const prestop = of(events, 'prestop-started', name)?.time ?? 0;
    const removed = events.find(
      (e) =>
        e.type === 'endpoints-changed' &&
        e.object === 'zero-downtime-app' &&
        e.time >= prestop - 5 &&
        !e.detail?.includes(name),
    );
    expect(removed).toBeDefined();
    expect(Math.abs((removed?.time ?? 0) - prestop)).toBeLessThan(10);
  });
});

describe('restarts', () => {
  test('a pod whose container exited, deleted while it waits for its restart, still goes', async () => {
    cluster = await startCluster(deployment({ preStop: '{ sleep: { seconds: 1 } }', grace: 30 }));
    const [pod] = cluster.pods('slow-stop');
    if (pod?.pid) process.kill(pod.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Deleted during the 1 s (10 s × 0.1) restart back-off:
    await cluster.rollout('slow-stop');
    await cluster.waitUntilReady(5000);
    const events = cluster.events.all();
    expect(of(events, 'container-restarted', pod?.name ?? '')?.detail).toMatch(/exited with signal SIGKILL/);
    expect(of(events, 'pod-exited', pod?.name ?? '')?.detail).toBe('the container was not running');
    // As the kubelet does: no preStop hook for a container that is not running, and no wait for the grace period.
    expect(of(events, 'prestop-started', pod?.name ?? '')).toBeUndefined();
    const deleted = of(events, 'pod-deleted', pod?.name ?? '')?.time ?? 0;
    expect((of(events, 'pod-exited', pod?.name ?? '')?.time ?? 0) - deleted).toBeLessThan(1000); // grace: 3000 ms
  });
});

describe('rolling parameters', () => {
  /** The fewest ready, non-terminating pods of `workload` at any moment after `from`, replayed from the event log. */
  function fewestReady(events: readonly ClusterEvent[], workload: string, from: number): number {
    const ready = new Set<string>();
    let fewest = Number.POSITIVE_INFINITY;
    for (const event of events) {
      if (event.workload !== workload) continue;
      if (event.type === 'pod-ready') ready.add(event.object);
      if (event.type === 'pod-unready' || event.type === 'pod-deleted' || event.type === 'pod-exited')
        ready.delete(event.object);
      if (event.time >= from) fewest = Math.min(fewest, ready.size);
    }
    return fewest;
  }

  test('with maxUnavailable 0 the ready pods never drop below replicas; with 25 % of 4 they drop to 3', async () => {
    cluster = await startCluster(synthObjects({ replicas: 4 }));
    const started = Date.now();
    await Promise.all([cluster.rollout('zero-downtime-app'), cluster.rollout('default-app')]);
    await cluster.waitUntilReady(20_000);
    const events = cluster.events.all();
    expect(fewestReady(events, 'zero-downtime-app', started)).toBe(4);
    // The default variant's 25 % rounds down to 1 pod of 4 (and its pods count as ready while they boot).
    expect(fewestReady(events, 'default-app', started)).toBe(3);
  });

  test('Recreate stops every old pod before it starts new ones', async () => {
    const objects = deployment({ preStop: '{ sleep: { seconds: 1 } }', grace: 30, replicas: 2 });
    const workload = objects.workloads[0];
    if (workload?.kind !== 'Deployment') throw new Error('expected a Deployment');
    workload.spec.strategy.type = 'Recreate';
    cluster = await startCluster(objects);
    const old = cluster.pods('slow-stop').map((pod) => pod.name);
    await cluster.rollout('slow-stop');
    await cluster.waitUntilReady(10_000);
    const events = cluster.events.all();
    const lastOldExit = Math.max(
      ...old.map((name) => of(events, 'pod-exited', name)?.time ?? Number.POSITIVE_INFINITY),
    );
    const firstNew = events.find(
      (e) => e.type === 'pod-created' && e.workload === 'slow-stop' && !old.includes(e.object),
    );
    expect(firstNew?.time).toBeGreaterThanOrEqual(lastOldExit);
  });
});
