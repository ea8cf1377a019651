import { afterEach, describe, expect, test } from 'vitest';
import type { LocalCluster } from '../../../src/cluster/local/local-cluster.js';
import { parseManifests } from '../../../src/cluster/local/objects.js';
import type { ClusterEvent } from '../../../src/runtime/events.js';
import { startCluster } from '../../helpers/local.js';
import { until } from '../../helpers/wait.js';

/** Probes, restarts and a failing rollout on hand-written manifests of the sample app (fast profile). */
let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

function manifest(kind: 'Deployment' | 'DeploymentConfig', spec: string, container: string) {
  const selector = kind === 'Deployment' ? 'selector: { matchLabels: { app: probe } }' : 'selector: { app: probe }';
  return parseManifests([
    {
      source: 'probe.yaml',
      yaml: `
apiVersion: ${kind === 'Deployment' ? 'apps/v1' : 'apps.openshift.io/v1'}
kind: ${kind}
metadata: { name: probe }
spec:
  replicas: 1
  ${selector}
${spec}
  template:
    metadata: { labels: { app: probe } }
    spec:
      containers:
        - name: app
          image: zdd-sample-app:latest
          ports: [{ name: http, containerPort: 8080 }]
${container}
`,
    },
  ]);
}

function types(events: readonly ClusterEvent[], pod?: string): string[] {
  return events.filter((e) => e.workload === 'probe' && (pod === undefined || e.object === pod)).map((e) => e.type);
}

describe('probes', () => {
  test('tcpSocket readiness: ready once the port is open (boot 200 ms), before the app serves', async () => {
    cluster = await startCluster(
      manifest('Deployment', '', '          readinessProbe: { tcpSocket: { port: http }, periodSeconds: 1 }'),
    );
    const events = cluster.events.all();
    const started = events.find((e) => e.type === 'pod-started')?.time ?? 0;
    const ready = events.find((e) => e.type === 'pod-ready');
    expect(ready?.detail).toBe('readinessProbe');
    expect((ready?.time ?? 0) - started).toBeGreaterThanOrEqual(200);
    expect((ready?.time ?? 0) - started).toBeLessThan(700);
  });

  test('exec readiness runs the mapped command in the pod', async () => {
    cluster = await startCluster(
      manifest(
        'Deployment',
        '',
        '          readinessProbe: { exec: { command: [/bin/sh, -c, "test -n \\"$POD_NAME\\""] }, periodSeconds: 1 }',
      ),
    );
    expect(types(cluster.events.all())).toContain('pod-ready');
  });

  test('a failing livenessProbe restarts the container', async () => {
    cluster = await startCluster(
      manifest(
        'Deployment',
        '',
        '          livenessProbe: { httpGet: { path: /healthz, port: 8080 }, initialDelaySeconds: 20, periodSeconds: 1, failureThreshold: 1 }',
      ),
    );
    // The app serves /healthz after 800 ms; the first liveness check, at 2 s, passes. Force a failure:
    const [pod] = cluster.pods('probe');
    if (pod?.pid) process.kill(pod.pid, 'SIGSTOP'); // a hung app: the probe times out
    const restarted = await until(() => types(cluster?.events.all() ?? []).includes('container-restarted'), 10_000);
    if (pod?.pid) process.kill(pod.pid, 'SIGCONT');
    expect(restarted).toBe(true);
    expect(types(cluster.events.all())).toEqual(expect.arrayContaining(['sigterm', 'container-restarted']));
  });

  test('a startupProbe holds the readinessProbe back until it succeeds', async () => {
    cluster = await startCluster(
      manifest(
        'Deployment',
        '',
        `          startupProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 1, failureThreshold: 30 }
          readinessProbe: { tcpSocket: { port: http }, periodSeconds: 1 }`,
      ),
    );
    const events = cluster.events.all();
    const started = events.find((e) => e.type === 'pod-started')?.time ?? 0;
    const ready = events.find((e) => e.type === 'pod-ready')?.time ?? 0;
    // tcpSocket alone would pass at 200 ms; the startup probe waits for /healthz (800 ms).
    expect(ready - started).toBeGreaterThanOrEqual(800);
  });
});

describe('rollouts that fail', () => {
  test('a DeploymentConfig whose new pods never get ready rolls back after timeoutSeconds', async () => {
    cluster = await startCluster(
      manifest(
        'DeploymentConfig',
        `  strategy:
    type: Rolling
    rollingParams: { maxSurge: 1, maxUnavailable: 0, timeoutSeconds: 30 }`,
        '          readinessProbe: { httpGet: { path: /healthz, port: 8080 }, periodSeconds: 1 }',
      ),
    );
    const [old] = cluster.pods('probe');
    // The next revision's pods are not ready within 3 s (30 s × 0.1): make every new pod hang.
    const stopNew = setInterval(() => {
      for (const pod of cluster?.pods('probe') ?? []) if (pod !== old && pod.pid) process.kill(pod.pid, 'SIGSTOP');
    }, 5);
    const result = await cluster.rollout('probe');
    clearInterval(stopNew);
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/timeoutSeconds/);
    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(2900);
    const failed = cluster.events.all().find((e) => e.type === 'rollout-failed');
    expect(failed?.detail).toMatch(/rolled back/);
    // The old pod served throughout and still does.
    expect(
      cluster
        .pods('probe')
        .filter((pod) => pod.deletedAt === undefined)
        .map((pod) => pod.name),
    ).toEqual([old?.name]);
  });

  test('minReadySeconds: a new pod counts only after being ready that long', async () => {
    cluster = await startCluster(manifest('Deployment', '  minReadySeconds: 5', ''));
    const [old] = cluster.pods('probe');
    await cluster.rollout('probe');
    const events = cluster.events.all();
    const newReady = events.find((e) => e.type === 'pod-ready' && e.object !== old?.name)?.time ?? 0;
    const oldDeleted = events.find((e) => e.type === 'pod-deleted' && e.object === old?.name)?.time ?? 0;
    expect(oldDeleted - newReady).toBeGreaterThanOrEqual(490);
  });
});
