import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { KubeClient } from '../../src/kube/api-client.js';
import { Informer } from '../../src/kube/informer.js';
import type { ClusterEvent } from '../../src/runtime/events.js';
import { isRunning } from '../../src/runtime/is-running.js';
import type {
  ApiDeploymentConfig,
  ApiEndpointSlice,
  ApiPod,
  ApiReplicationController,
  ApiRoute,
} from '../../src/testbed/api-objects.js';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.js';
import { runProgram, zdd } from '../helpers/cli.js';
import { kubectl, NO_TESTBED, testbedTitle } from '../helpers/control-plane.js';
import { eventually, sleep, until } from '../helpers/wait.js';

const PODS = { apiVersion: 'v1', plural: 'pods' } as const;
const RCS = { apiVersion: 'v1', plural: 'replicationcontrollers' } as const;
const DCS = { apiVersion: 'apps.openshift.io/v1', plural: 'deploymentconfigs' } as const;
const ROUTES = { apiVersion: 'route.openshift.io/v1', plural: 'routes' } as const;
const SLICES = { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices' } as const;

interface Answer {
  readonly startedAt: number;
  readonly status: number;
  readonly pod: string | undefined;
  readonly body: string;
}

/** A GET through the test bed's router with `host` in the Host header, as `zdd compare --router-address` sends it. */
function get(bed: Testbed, host: string): Promise<Answer> {
  const [address, port] = bed.routerAddress.split(':');
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const req = request(
      { host: address, port: Number(port), path: '/', headers: { host }, agent: false, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          const pod = res.headers['x-pod'];
          resolve({ startedAt, status: res.statusCode ?? 0, pod: typeof pod === 'string' ? pod : undefined, body });
        });
        res.on('error', () => resolve({ startedAt, status: 0, pod: undefined, body: '' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ startedAt, status: 0, pod: undefined, body: error.message }));
    req.end();
  });
}

function isReady(pod: ApiPod): boolean {
  return (
    pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false
  );
}

/** Every state a set of pods went through, one snapshot after each watch event. */
class PodTimeline {
  readonly snapshots: Array<{ readonly time: number; readonly pods: readonly ApiPod[] }> = [];
  private readonly informer: Informer<ApiPod>;

  constructor(api: KubeClient, namespace: string, labelSelector: string) {
    this.informer = new Informer<ApiPod>(api, { ...PODS, namespace }, { labelSelector });
    this.informer.onEvent(() => this.snapshots.push({ time: Date.now(), pods: this.informer.values() }));
    this.informer.start();
  }

  /** Pods not being deleted, at each step from `from` on (the watch's first list arrives one pod at a time). */
  active(from: number): number[] {
    return this.snapshots
      .slice(from)
      .map(({ pods }) => pods.filter((pod) => pod.metadata.deletionTimestamp === undefined).length);
  }

  /** Of those, the Ready ones. */
  readyActive(from: number): number[] {
    return this.snapshots
      .slice(from)
      .map(({ pods }) => pods.filter((pod) => pod.metadata.deletionTimestamp === undefined && isReady(pod)).length);
  }

  /** The step at which `test` first held for some pod whose name starts with `prefix`, in order of the pods. */
  firsts(prefix: string, test: (pod: ApiPod) => boolean): Map<string, number> {
    const found = new Map<string, number>();
    for (const [index, { pods }] of this.snapshots.entries()) {
      for (const pod of pods) {
        const name = pod.metadata.name ?? '';
        if (name.startsWith(prefix) && !found.has(name) && test(pod)) found.set(name, index);
      }
    }
    return found;
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }
}

/** The milliseconds between deletion and exit that pod.ts reports for a pod (`code 0, 10050 ms after deletion`). */
function exitAfterDeletion(events: readonly ClusterEvent[], pod: string): { code: string; ms: number } | undefined {
  const detail = events.find((event) => event.type === 'pod-exited' && event.object === pod)?.detail ?? '';
  const match = /^(code \d+|signal \w+), (\d+) ms after deletion/.exec(detail);
  return match ? { code: match[1] as string, ms: Number(match[2]) } : undefined;
}

describe.skipIf(NO_TESTBED)(
  testbedTitle('the test bed: a real control plane with zdd’s node agent, DeploymentConfig controller and router'),
  () => {
    let bed: Testbed;
    let api: KubeClient;
    const errors: string[] = [];
    const seenPids = new Set<number>();
    let synthDir: string | undefined;

    beforeAll(async () => {
      bed = await startTestbed({
        imageMappings: [{ image: 'crash:*', command: ['node', '-e', 'process.exit(3)'], portEnv: 'PORT' }],
        onError: (component, error) => errors.push(`${component}: ${String(error)}`),
      });
      api = KubeClient.fromKubeconfig(bed.kubeconfig);
      bed.events.follow(() => {
        for (const { pid } of bed.nodeAgent.processes) seenPids.add(pid);
      });
    }, 120_000);

    afterAll(async () => {
      api?.close();
      await bed?.stop();
      if (synthDir) rmSync(synthDir, { recursive: true, force: true });
    });

    test('kubectl apply -f dist/: both DeploymentConfigs roll out version 1, pods run Ready on zdd-node with 10.244 addresses in their EndpointSlices, and each Route’s host answers 200 from the sample app through the router', async () => {
      expect((await kubectl(bed.controlPlane, ['create', 'namespace', 'dc'])).exitCode).toBe(0);
      const applied = await kubectl(bed.controlPlane, ['apply', '-n', 'dc', '-f', 'dist/']);
      expect(applied.exitCode, applied.stderr).toBe(0);

      for (const name of ['default-app', 'zero-downtime-app']) {
        const rc = await eventually(
          `${name}-1 Complete`,
          async () => {
            const found = await api.get<ApiReplicationController>({ ...RCS, namespace: 'dc' }, `${name}-1`);
            return found.metadata.annotations?.['openshift.io/deployment.phase'] === 'Complete' ? found : undefined;
          },
          90_000,
        );
        expect(rc.spec?.replicas).toBe(2);
        expect(rc.metadata.labels?.['openshift.io/deployment-config.name']).toBe(name);
        const config = await eventually(
          `${name} status`,
          async () => {
            const found = await api.get<ApiDeploymentConfig>({ ...DCS, namespace: 'dc' }, name);
            return found.status?.availableReplicas === 2 ? found : undefined;
          },
          30_000,
        );
        expect(config.status).toMatchObject({ latestVersion: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 2 });
        expect(config.status?.conditions?.map(({ type, status, reason }) => ({ type, status, reason }))).toEqual([
          { type: 'Available', status: 'True', reason: undefined },
          { type: 'Progressing', status: 'True', reason: 'NewReplicationControllerAvailable' },
        ]);

        const pods = (
          await api.list<ApiPod>({ ...PODS, namespace: 'dc' }, { labelSelector: `deploymentconfig=${name}` })
        ).items;
        expect(pods).toHaveLength(2);
        for (const pod of pods) {
          expect(pod.metadata.labels?.deployment).toBe(`${name}-1`);
          expect(pod.spec?.nodeName).toBe('zdd-node');
          expect(pod.status).toMatchObject({ phase: 'Running', hostIP: '127.0.0.1' });
          expect(pod.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
          expect(isReady(pod)).toBe(true);
          expect(pod.status?.containerStatuses).toMatchObject([{ name: 'app', ready: true, restartCount: 0 }]);
        }
        const addresses = await eventually(
          `${name}'s EndpointSlice`,
          async () => {
            const slices = await api.list<ApiEndpointSlice>(
              { ...SLICES, namespace: 'dc' },
              { labelSelector: `kubernetes.io/service-name=${name}` },
            );
            const ready = slices.items.flatMap((slice) =>
              (slice.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses),
            );
            return ready.length === 2 ? ready.sort() : undefined;
          },
          30_000,
        );
        expect(addresses).toEqual(pods.map((pod) => pod.status?.podIP).sort());

        const route = await api.get<ApiRoute>({ ...ROUTES, namespace: 'dc' }, name);
        const host = `${name}-dc.apps.testbed.zdd`;
        expect(route.status?.ingress).toMatchObject([
          { host, routerName: 'default', conditions: [{ type: 'Admitted', status: 'True' }] },
        ]);
        // The router applies the new endpoints at its next reload (every 5 s).
        const answer = await eventually(
          `${host} to answer 200`,
          async () => {
            const got = await get(bed, host);
            return got.status === 200 ? got : undefined;
          },
          30_000,
        );
        expect(pods.map((pod) => pod.metadata.name)).toContain(answer.pod);
        expect(JSON.parse(answer.body)).toMatchObject({ pod: answer.pod, path: '/' });
      }
      const unknown = await get(bed, 'nobody.apps.testbed.zdd');
      expect(unknown.status).toBe(503);
      expect(unknown.body).toContain('Application is not available');
    }, 180_000);

    test('a pod template patch rolls out zero-downtime-app-2 as Rolling does with maxSurge 1 / maxUnavailable 0, ends Complete, and the old pods run their preStop (sleep 10; shutdown.js) and are removed', async () => {
      const timeline = new PodTimeline(api, 'dc', 'deploymentconfig=zero-downtime-app');
      try {
        await until(() => timeline.snapshots.length >= 2, 10_000);
        const start = timeline.snapshots.length;
        const startedAt = Date.now();
        const patched = await kubectl(bed.controlPlane, [
          'patch',
          '-n',
          'dc',
          'deploymentconfig/zero-downtime-app',
          '--type',
          'merge',
          '--patch',
          JSON.stringify({ spec: { template: { metadata: { annotations: { 'zdd/restarted-at': 'now' } } } } }),
        ]);
        expect(patched.exitCode, patched.stderr).toBe(0);
        const rc = await eventually(
          'zero-downtime-app-2 Complete',
          async () => {
            const found = await api.get<ApiReplicationController>({ ...RCS, namespace: 'dc' }, 'zero-downtime-app-2');
            return found.metadata.annotations?.['openshift.io/deployment.phase'] === 'Complete' ? found : undefined;
          },
          120_000,
        );
        const completedAt = Date.now();
        expect(rc.spec?.template?.metadata?.labels).toMatchObject({
          deployment: 'zero-downtime-app-2',
          deploymentconfig: 'zero-downtime-app',
        });
        expect(rc.metadata.annotations?.['openshift.io/deployment-config.latest-version']).toBe('2');
        const old = await api.get<ApiReplicationController>({ ...RCS, namespace: 'dc' }, 'zero-downtime-app-1');
        expect(old.spec?.replicas).toBe(0);
        const config = await api.get<ApiDeploymentConfig>({ ...DCS, namespace: 'dc' }, 'zero-downtime-app');
        expect(config.status?.latestVersion).toBe(2);
        expect(config.status?.details?.causes).toEqual([{ type: 'ConfigChange' }]);

        // The old pods leave once their preStop has slept 10 s and shutdown.js has drained the app.
        await eventually(
          'the old pods to be removed',
          async () => {
            const pods = await api.list<ApiPod>(
              { ...PODS, namespace: 'dc' },
              { labelSelector: 'deployment=zero-downtime-app-1' },
            );
            return pods.items.length === 0 ? true : undefined;
          },
          60_000,
        );
        await until(() => timeline.active(start).at(-1) === 2 && timeline.readyActive(start).at(-1) === 2, 10_000);
        // At most replicas + maxSurge pods, never fewer than replicas ready (maxUnavailable 0).
        expect(Math.max(...timeline.active(start))).toBe(3);
        expect(Math.min(...timeline.readyActive(start))).toBe(2);
        // A new pod was Ready before each old one was deleted, one at a time.
        const newReady = [...timeline.firsts('zero-downtime-app-2-', isReady).values()];
        const oldDeleted = [
          ...timeline.firsts('zero-downtime-app-1-', (pod) => pod.metadata.deletionTimestamp !== undefined).entries(),
        ];
        expect(newReady).toHaveLength(2);
        expect(oldDeleted).toHaveLength(2);
        expect(newReady[0]).toBeLessThan(oldDeleted[0]?.[1] as number);
        expect(newReady[1]).toBeLessThan(oldDeleted[1]?.[1] as number);
        for (const [pod] of oldDeleted) {
          expect(bed.events.all().some((event) => event.type === 'prestop-started' && event.object === pod)).toBe(true);
          const exit = exitAfterDeletion(bed.events.all(), pod);
          expect(exit?.code, pod).toBe('code 0');
          expect(exit?.ms).toBeGreaterThanOrEqual(9_500);
        }
        // Measured on 2 idle cores: ≈ 20 s (two pods, each booting 8 s, plus intervals).
        expect(completedAt - startedAt).toBeLessThan(90_000);
        const answers = await Promise.all(
          Array.from({ length: 6 }, () => get(bed, 'zero-downtime-app-dc.apps.testbed.zdd')),
        );
        await eventually(
          'the router to serve only version 2',
          async () => {
            const got = await get(bed, 'zero-downtime-app-dc.apps.testbed.zdd');
            return got.status === 200 && got.pod?.startsWith('zero-downtime-app-2-') ? true : undefined;
          },
          15_000,
        );
        expect(answers.every((answer) => answer.status === 200)).toBe(true);
      } finally {
        await timeline.stop();
      }
    }, 240_000);

    test('a DeploymentConfig whose new version never gets available fails after timeoutSeconds and rolls back to the previous one', async () => {
      const config = {
        apiVersion: 'apps.openshift.io/v1',
        kind: 'DeploymentConfig',
        metadata: { name: 'stuck', namespace: 'dc' },
        spec: {
          replicas: 1,
          selector: { app: 'stuck' },
          strategy: { type: 'Rolling', rollingParams: { timeoutSeconds: 5 } },
          template: {
            metadata: { labels: { app: 'stuck' } },
            spec: { containers: [{ name: 'app', image: 'zdd-sample-app:latest' }] },
          },
        },
      };
      await api.create({ ...DCS, namespace: 'dc' }, config);
      await eventually(
        'stuck-1 Complete',
        async () => {
          const rc = await api.get<ApiReplicationController>({ ...RCS, namespace: 'dc' }, 'stuck-1');
          return rc.metadata.annotations?.['openshift.io/deployment.phase'] === 'Complete' ? rc : undefined;
        },
        60_000,
      );
      await api.patch(
        { ...DCS, namespace: 'dc' },
        'stuck',
        { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.example/missing:1' }] } } } },
        { type: 'merge' },
      );
      const failed = await eventually(
        'stuck-2 Failed',
        async () => {
          const rc = await api.get<ApiReplicationController>({ ...RCS, namespace: 'dc' }, 'stuck-2');
          return rc.metadata.annotations?.['openshift.io/deployment.phase'] === 'Failed' ? rc : undefined;
        },
        60_000,
      );
      expect(failed.metadata.annotations?.['openshift.io/deployment.status-reason']).toBe(
        'not complete after timeoutSeconds (5000 ms)',
      );
      const status = await eventually(
        'the DeploymentConfig to say so',
        async () => {
          const found = await api.get<ApiDeploymentConfig>({ ...DCS, namespace: 'dc' }, 'stuck');
          const progressing = found.status?.conditions?.find((condition) => condition.type === 'Progressing');
          return progressing?.status === 'False' ? progressing : undefined;
        },
        30_000,
      );
      expect(status).toMatchObject({
        reason: 'ProgressDeadlineExceeded',
        message: 'replication controller "stuck-2" has failed progressing',
      });
      const rolledBack = await api.get<ApiReplicationController>({ ...RCS, namespace: 'dc' }, 'stuck-1');
      expect(rolledBack.spec?.replicas).toBe(1);
      expect((await api.get<ApiReplicationController>({ ...RCS, namespace: 'dc' }, 'stuck-2')).spec?.replicas).toBe(0);
      const pulling = bed.events
        .all()
        .find((event) => event.type === 'pod-waiting' && event.object.startsWith('stuck-2-'));
      expect(pulling?.detail).toContain(
        'ErrImagePull: the zdd test bed runs only images mapped to local commands, and none is mapped for "registry.example/missing:1"',
      );
      await api.delete({ ...DCS, namespace: 'dc' }, 'stuck', { propagationPolicy: 'Foreground' });
    }, 120_000);

    test('an image without a local command waits in ErrImagePull naming the mapping it needs; a container that exits shows its exit code and is restarted', async () => {
      const pods = { ...PODS, namespace: 'dc' };
      await api.create(pods, {
        metadata: { name: 'unmapped' },
        spec: { containers: [{ name: 'app', image: 'shop:1.2' }] },
      });
      await api.create(pods, {
        metadata: { name: 'crasher' },
        spec: { containers: [{ name: 'app', image: 'crash:1' }] },
      });
      const waiting = await eventually(
        'unmapped to wait',
        async () =>
          (await api.get<ApiPod>(pods, 'unmapped')).status?.containerStatuses?.[0] as
            | Record<string, unknown>
            | undefined,
        20_000,
      );
      expect(waiting).toMatchObject({
        ready: false,
        state: {
          waiting: {
            reason: 'ErrImagePull',
            message:
              'the zdd test bed runs only images mapped to local commands, and none is mapped for "shop:1.2"; map it as --image-command does: "shop:1.2=COMMAND ARGS…" (the command gets its port in $PORT)',
          },
        },
      });
      expect((await api.get<ApiPod>(pods, 'unmapped')).status?.phase).toBe('Pending');
      const crashed = await eventually(
        'crasher to have exited',
        async () => {
          const status = (await api.get<ApiPod>(pods, 'crasher')).status?.containerStatuses?.[0] as
            | { restartCount?: number }
            | undefined;
          return (status?.restartCount ?? 0) >= 1 ? status : undefined;
        },
        20_000,
      );
      expect(crashed).toMatchObject({
        ready: false,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 3, reason: 'Error' } },
      });
      // Neither has a running container: nothing to stop, so neither waits out its 30 s grace period.
      await Promise.all([api.delete(pods, 'unmapped'), api.delete(pods, 'crasher')]);
      await eventually(
        'both pods to be gone',
        async () => {
          const left = (await api.list<ApiPod>(pods)).items.filter((pod) =>
            ['unmapped', 'crasher'].includes(pod.metadata.name ?? ''),
          );
          return left.length === 0 ? true : undefined;
        },
        10_000,
      );
    }, 90_000);

    test('kubectl rollout restart of a Deployment (2 replicas, maxSurge 1, maxUnavailable 0), with the real controllers: one new pod, Ready, then the old ReplicaSet goes down one pod at a time; terminating pods are ready=false serving=true terminating=true in the EndpointSlice and the router stops sending to them', async () => {
      synthDir = mkdtempSync(join(tmpdir(), 'zdd-testbed-synth-'));
      const synth = await zdd(['synth', '--workload', 'deployment', '--out', synthDir], { timeout: 60_000 });
      expect(synth.exitCode, synth.stderr).toBe(0);
      expect((await kubectl(bed.controlPlane, ['create', 'namespace', 'deploy'])).exitCode).toBe(0);
      const applied = await kubectl(bed.controlPlane, ['apply', '-n', 'deploy', '-f', synthDir]);
      expect(applied.exitCode, applied.stderr).toBe(0);
      const ready = await kubectl(bed.controlPlane, [
        'rollout',
        'status',
        '-n',
        'deploy',
        'deployment/zero-downtime-app',
        '--timeout=90s',
      ]);
      expect(ready.exitCode, ready.stdout + ready.stderr).toBe(0);
      const host = 'zero-downtime-app-deploy.apps.testbed.zdd';
      await eventually(
        'the route to answer 200',
        async () => ((await get(bed, host)).status === 200 ? true : undefined),
        30_000,
      );

      const timeline = new PodTimeline(api, 'deploy', 'app.kubernetes.io/name=zero-downtime-app');
      const terminatingEndpoints = new Set<string>();
      const slices = new Informer<ApiEndpointSlice>(
        api,
        { ...SLICES, namespace: 'deploy' },
        {
          labelSelector: 'kubernetes.io/service-name=zero-downtime-app',
        },
      );
      slices.onEvent(({ object }) => {
        for (const endpoint of object.endpoints ?? []) {
          const { ready: isReadyEndpoint, serving, terminating } = endpoint.conditions ?? {};
          if (isReadyEndpoint === false && serving === true && terminating === true) {
            terminatingEndpoints.add(endpoint.targetRef?.name ?? '');
          }
        }
      });
      slices.start();
      const answers: Answer[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          answers.push(await get(bed, host));
          await sleep(100);
        }
      })();
      try {
        await until(() => timeline.snapshots.length >= 2, 10_000);
        const old = new Set(timeline.snapshots.at(-1)?.pods.map((pod) => pod.metadata.name ?? ''));
        const start = timeline.snapshots.length;
        const restartedAt = Date.now();
        const restart = await kubectl(bed.controlPlane, [
          'rollout',
          'restart',
          '-n',
          'deploy',
          'deployment/zero-downtime-app',
        ]);
        expect(restart.exitCode, restart.stderr).toBe(0);
        const status = await kubectl(bed.controlPlane, [
          'rollout',
          'status',
          '-n',
          'deploy',
          'deployment/zero-downtime-app',
          '--timeout=120s',
        ]);
        expect(status.exitCode, status.stdout + status.stderr).toBe(0);
        const rolledOutMs = Date.now() - restartedAt;
        await until(
          () => timeline.snapshots.at(-1)?.pods.every((pod) => !old.has(pod.metadata.name ?? '')) ?? false,
          60_000,
        );
        await sleep(500);
        polling = false;
        await poller;

        expect(Math.max(...timeline.active(start))).toBe(3);
        expect(Math.min(...timeline.readyActive(start))).toBe(2);
        const isOld = (name: string) => old.has(name);
        const newReady = [
          ...timeline.firsts('zero-downtime-app-', (pod) => !isOld(pod.metadata.name ?? '') && isReady(pod)).values(),
        ];
        const oldDeleted = [
          ...timeline
            .firsts(
              'zero-downtime-app-',
              (pod) => isOld(pod.metadata.name ?? '') && pod.metadata.deletionTimestamp !== undefined,
            )
            .entries(),
        ];
        expect(newReady).toHaveLength(2);
        expect(oldDeleted).toHaveLength(2);
        // One new pod, ready, then one old pod goes; the second new pod, ready, then the second old pod.
        expect(newReady[0]).toBeLessThan(oldDeleted[0]?.[1] as number);
        expect(oldDeleted[0]?.[1]).toBeLessThan(newReady[1] as number);
        expect(newReady[1]).toBeLessThan(oldDeleted[1]?.[1] as number);
        expect([...terminatingEndpoints].sort()).toEqual([...old].sort());

        // Each old pod leaves the router at a reload while it still runs its preStop, and gets no request after.
        const events = bed.events.all();
        for (const pod of old) {
          const deleted = events.find((event) => event.type === 'pod-deleted' && event.object === pod)?.time ?? 0;
          const exited = events.find((event) => event.type === 'pod-exited' && event.object === pod)?.time ?? 0;
          const reload = events.find(
            (event) =>
              event.type === 'router-reloaded' &&
              event.object === 'route:deploy/zero-downtime-app' &&
              event.time >= deleted &&
              !(event.detail ?? '').includes(pod),
          );
          expect(reload, `a reload without ${pod}`).toBeDefined();
          expect(reload?.time).toBeLessThan(exited);
          expect(answers.filter((answer) => answer.pod === pod && answer.startedAt > (reload?.time ?? 0) + 50)).toEqual(
            [],
          );
        }
        // The zero-downtime variant: no request failed during the rollout.
        expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
        expect(answers.length).toBeGreaterThan(50);
        // Measured on 2 idle cores: ≈ 17 s (two pods booting 8 s each).
        expect(rolledOutMs).toBeLessThan(90_000);
      } finally {
        polling = false;
        await poller;
        await slices.stop();
        await timeline.stop();
      }
    }, 240_000);

    test('deleting everything leaves no pod and no process', async () => {
      expect(seenPids.size).toBeGreaterThanOrEqual(8);
      const deletes = await Promise.all([
        kubectl(bed.controlPlane, ['delete', '-n', 'dc', '-f', 'dist/']),
        kubectl(bed.controlPlane, ['delete', '-n', 'deploy', '-f', synthDir ?? 'none']),
      ]);
      for (const deleted of deletes) expect(deleted.exitCode, deleted.stderr).toBe(0);
      await eventually(
        'every pod to be gone',
        async () => ((await api.list<ApiPod>(PODS)).items.length === 0 ? true : undefined),
        60_000,
      );
      expect(await until(() => bed.nodeAgent.processGroups.length === 0, 10_000)).toBe(true);
      // A killed process lingers until it is reaped (a busy machine takes its time): wait for that, bounded.
      await until(() => [...seenPids].filter(isRunning).length === 0, 10_000);
      expect([...seenPids].filter(isRunning)).toEqual([]);
      expect(errors).toEqual([]);
    }, 120_000);

    test('stop() stops every component and removes every folder', async () => {
      const pids = bed.controlPlane.components.map((component) => component.pid);
      const dirs = [bed.controlPlane.dir, bed.nodeAgent.podsDir];
      expect(dirs.every((dir) => existsSync(dir))).toBe(true);
      api.close();
      await bed.stop();
      expect(pids.filter(isRunning)).toEqual([]);
      expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
    });
  },
);

describe.skipIf(NO_TESTBED)(testbedTitle('a program that started a test bed with a pod running'), () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  test('killed with SIGKILL: no control plane process, no pod process survives, and the folders are gone', async () => {
    // The built library (npm run build), as `zdd testbed up` would run it.
    const script = `
      import { startTestbed } from './lib/src/testbed/testbed.js';
      import { KubeClient } from './lib/src/kube/api-client.js';
      import { ProcessSupervisor } from './lib/src/runtime/processes.js';
      const bed = await startTestbed();
      const api = KubeClient.fromKubeconfig(bed.kubeconfig);
      await api.create({ apiVersion: 'v1', plural: 'pods', namespace: 'default' },
        { metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'zdd-sample-app:latest' }] } });
      while (bed.nodeAgent.processes.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      console.log(JSON.stringify({
        pids: [...bed.controlPlane.components.map((c) => c.pid), ...bed.nodeAgent.processes.map((p) => p.pid)],
        dirs: [bed.controlPlane.dir, bed.nodeAgent.podsDir],
        watchdog: new ProcessSupervisor().watchdogPid,
      }));
      setInterval(() => {}, 1000);
    `;
    const {
      child: started,
      first,
      stderr,
    } = await runProgram<{ pids: number[]; dirs: string[]; watchdog: number }>(script);
    child = started;
    expect(first, stderr).toHaveProperty('pids');
    const seen = first as { pids: number[]; dirs: string[]; watchdog: number };
    expect(seen.pids).toHaveLength(4);
    expect(seen.pids.every(isRunning)).toBe(true);
    expect(seen.dirs.every((dir) => existsSync(dir))).toBe(true);

    started.kill('SIGKILL');
    await until(
      () => !seen.pids.some(isRunning) && !isRunning(seen.watchdog) && !seen.dirs.some((dir) => existsSync(dir)),
      15_000,
    );
    expect({
      alive: seen.pids.filter(isRunning),
      watchdog: isRunning(seen.watchdog),
      dirs: seen.dirs.filter((dir) => existsSync(dir)),
    }).toEqual({ alive: [], watchdog: false, dirs: [] });
  }, 120_000);
});
