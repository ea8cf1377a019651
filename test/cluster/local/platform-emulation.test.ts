import { afterEach, describe, expect, test } from 'vitest';
import type { LocalCluster } from '../../../src/cluster/local/local-cluster.js';
import { parseManifests } from '../../../src/cluster/local/objects.js';
import { istioSidecar } from '../../../src/platforms/istio-sidecar.js';
import { kubeProxy } from '../../../src/platforms/kube-proxy.js';
import { canConnect } from '../../../src/runtime/can-connect.js';
import type { ClusterEvent } from '../../../src/runtime/events.js';
import { startCluster } from '../../helpers/local.js';
import { sleep } from '../../helpers/wait.js';

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** One pod of the sample app behind a Service and a Route; its preStop hook sleeps `preStopSeconds`. */
function app(options: { strategy: 'Recreate' | 'RollingUpdate'; preStopSeconds: number; annotations?: string }) {
  return parseManifests([
    {
      source: 'test.yaml',
      yaml: `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  strategy: { type: ${options.strategy} }
  selector: { matchLabels: { app: web } }
  template:
    metadata:
      labels: { app: web }
      annotations: ${options.annotations ?? '{}'}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: app
          image: zdd-sample-app:latest
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
          lifecycle: { preStop: { sleep: { seconds: ${options.preStopSeconds} } } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 8080, targetPort: 8080 }] }
---
apiVersion: route.openshift.io/v1
kind: Route
metadata: { name: web }
spec: { to: { kind: Service, name: web } }
`,
    },
  ]);
}

function of(events: readonly ClusterEvent[], type: ClusterEvent['type'], object: string): ClusterEvent | undefined {
  return events.find((event) => event.type === type && event.object === object);
}

describe('terminating traffic', () => {
  test('kube-proxy (when-no-ready): the only pod stays an endpoint while it terminates and still serves', async () => {
    // Recreate: no new pod is ready while the old one sleeps in its preStop hook (30 s × 0.1 = 3 s).
    cluster = await startCluster(app({ strategy: 'Recreate', preStopSeconds: 30 }), { platform: kubeProxy });
    const [old] = cluster.pods('web');
    const rollout = cluster.rollout('web');
    await sleep(1500);
    const events = cluster.events.all();
    const deleted = of(events, 'pod-deleted', old?.name ?? '')?.time ?? 0;
    expect(deleted).toBeGreaterThan(0);
    // Still serving half way through the hook: the endpoints have not changed since it was deleted.
    expect(events.filter((e) => e.type === 'endpoints-changed' && e.time >= deleted)).toEqual([]);
    expect(old?.serving).toBe(true);
    await rollout;
  });

  test('the OpenShift router (never): the pod leaves the endpoints when it is deleted', async () => {
    cluster = await startCluster(app({ strategy: 'Recreate', preStopSeconds: 30 }));
    const [old] = cluster.pods('web');
    const rollout = cluster.rollout('web');
    await sleep(1500);
    const events = cluster.events.all();
    const deleted = of(events, 'pod-deleted', old?.name ?? '')?.time ?? 0;
    const left = events.find((e) => e.type === 'endpoints-changed' && e.time >= deleted);
    expect(left?.detail).toBe('none');
    await rollout;
  });
});

describe('a sidecar (istio-sidecar)', () => {
  test("stops accepting at SIGTERM + its drain while the app's preStop hook still runs", async () => {
    cluster = await startCluster(
      app({
        strategy: 'RollingUpdate',
        preStopSeconds: 60,
        annotations: `{ proxy.istio.io/config: "terminationDrainDuration: 10s" }`,
      }),
      { platform: istioSidecar },
    );
    const [old] = cluster.pods('web');
    if (old === undefined) throw new Error('no pod');
    const traffic = old.trafficPort(8080) ?? 0;
    const app_ = old.hostPort(8080) ?? 0;
    expect(traffic).not.toBe(app_);
    expect(await canConnect('127.0.0.1', traffic, 1000)).toBe(true);
    await cluster.rollout('web');
    // The drain (10 s × 0.1 = 1 s) is over long before the hook (6 s).
    for (let i = 0; i < 50 && !of(cluster.events.all(), 'sidecar-stopped', old.name); i++) await sleep(100);
    const events = cluster.events.all();
    const stopped = of(events, 'sidecar-stopped', old.name)?.time ?? 0;
    const deleted = of(events, 'pod-deleted', old.name)?.time ?? 0;
    expect(stopped - deleted).toBeGreaterThanOrEqual(990);
    expect(of(events, 'prestop-finished', old.name)).toBeUndefined();
    expect(await canConnect('127.0.0.1', traffic, 1000)).toBe(false);
    expect(await canConnect('127.0.0.1', app_, 1000)).toBe(true);
  });
});
