import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeClient } from '../../src/kube/api-client.js';
import { findK6 } from '../../src/load/k6/find-k6.js';
import { k6OperatorObjects } from '../../src/load/k6-operator/test-run.js';
import { isRunning } from '../../src/runtime/is-running.js';
import type { ApiPod } from '../../src/testbed/api-objects.js';
import { defaultBinDir } from '../../src/testbed/control-plane.js';
import { k6OperatorBuild } from '../../src/testbed/k6-operator.js';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.js';
import { createNamespace, kubectl, NO_TESTBED, NO_TESTBED_REASON } from '../helpers/control-plane.js';
import { eventually } from '../helpers/wait.js';

/**
 * A TestRun run to its end by the real k6-operator on the test bed: its runner pods (the local k6) and its starter
 * (sh and curl) run in sandboxes on the test bed's cluster network, the operator reaches the runners through their
 * Services' ClusterIPs, and the runners send their segments of the load to an app through the router's Service.
 */
const K6 = findK6();
const BUILD = k6OperatorBuild(defaultBinDir());
const why = NO_TESTBED
  ? ` (${NO_TESTBED_REASON})`
  : BUILD === undefined
    ? ' (skipped: no k6-operator in testbed/bin/k6-operator; run testbed/build.sh)'
    : K6 === undefined
      ? ' (skipped: no k6 on PATH or in GOPATH/bin)'
      : '';
const TEST_RUNS = { apiVersion: 'k6.io/v1alpha1', plural: 'testruns', namespace: 'load' } as const;
const HOST = 'web-load.apps.testbed.zdd';
/** 150 requests at 30/s, split by the operator into three execution segments of 50. */
const script = (router: string) => `import http from 'k6/http';
import { check } from 'k6';
export const options = {
  scenarios: { load: { executor: 'constant-arrival-rate', rate: 30, timeUnit: '1s', duration: '5s', preAllocatedVUs: 15 } },
};
export default function () {
  const response = http.get('http://${router}/', { headers: { Host: '${HOST}' } });
  check(response, { 'served by the app': (r) => r.status === 200 });
}
`;

const APP = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'load' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'zdd-sample-app:latest', ports: [{ containerPort: 8080 }] }] },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'load' },
    spec: { selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 8080 }] },
  },
  {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'web', namespace: 'load' },
    spec: { to: { kind: 'Service', name: 'web' } },
  },
];

describe.skipIf(NO_TESTBED || BUILD === undefined || K6 === undefined)(
  `a k6-operator TestRun on the test bed's cluster network${why}`,
  () => {
    let bed: Testbed;
    let api: KubeClient;

    beforeAll(async () => {
      bed = await startTestbed({ k6Operator: true, ...(K6 && { k6: K6 }) });
      api = KubeClient.fromKubeconfig(bed.kubeconfig);
    }, 120_000);

    afterAll(async () => {
      api?.close();
      await bed?.stop();
    });

    test('parallelism 3: the starter releases the paused runners, each sends its segment through the router, the TestRun finishes', async () => {
      expect(bed.routerServiceAddress).toMatch(/^10\.0\.0\.\d+:80$/);
      await createNamespace(api, 'load');
      const app = await kubectl(bed.controlPlane, ['apply', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: APP }),
      });
      expect(app.exitCode, app.stderr).toBe(0);
      await eventually(
        'the app to serve through the router',
        async () => ((await get(bed)) === 200 ? true : undefined),
        60_000,
      );

      const { configMap, testRun } = k6OperatorObjects({
        name: 'zdd-load',
        namespace: 'load',
        runId: 'r1',
        script: script(bed.routerServiceAddress ?? ''),
        parallelism: 3,
        arguments: ['--no-usage-report'],
      });
      (testRun.spec as Record<string, unknown>).initializer = { disabled: true };
      const applied = await kubectl(bed.controlPlane, ['apply', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [configMap, testRun] }),
      });
      expect(applied.exitCode, applied.stderr).toBe(0);

      // `kubectl logs -f` from the moment a runner runs (paused) until it ends: the node serves its log.
      const first = await eventually(
        'runner 1 to run',
        async () => {
          const pods = await api.list<ApiPod>(
            { apiVersion: 'v1', plural: 'pods', namespace: 'load' },
            { labelSelector: 'job-name=zdd-load-1' },
          );
          return pods.items.find((pod) => pod.status?.phase === 'Running');
        },
        60_000,
      );
      const followed = kubectl(bed.controlPlane, ['logs', '-f', '-n', 'load', first.metadata.name ?? '']);

      const stages = new Set<string>();
      await eventually(
        'the TestRun to finish',
        async () => {
          const object = await api.get(TEST_RUNS, 'zdd-load');
          const stage = (object.status as { stage?: string } | undefined)?.stage ?? '';
          stages.add(stage);
          return stage === 'finished' || stage === 'error' ? stage : undefined;
        },
        120_000,
      );
      expect([...stages]).not.toContain('error');

      const pods = (
        await api.list<ApiPod>(
          { apiVersion: 'v1', plural: 'pods', namespace: 'load' },
          { labelSelector: 'k6_cr=zdd-load' },
        )
      ).items;
      const runners = pods.filter((pod) => pod.metadata.labels?.runner === 'true');
      const starter = pods.find((pod) => pod.metadata.labels?.['job-name'] === 'zdd-load-starter');
      expect(runners.map((pod) => pod.status?.phase)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
      expect(starter?.status?.phase).toBe('Succeeded');
      // Each runner on an address of the pod network, and each sent its third of the requests, all answered 200.
      const requests: number[] = [];
      for (const pod of runners) {
        expect(pod.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
        const logs = await kubectl(bed.controlPlane, ['logs', '-n', 'load', pod.metadata.name ?? '']);
        expect(logs.exitCode, logs.stderr).toBe(0);
        expect(logs.stdout).toMatch(/✓ served by the app/);
        requests.push(Number(/http_reqs\.*:\s*(\d+)/.exec(logs.stdout)?.[1]));
        if (pod.metadata.name === first.metadata.name) {
          // The follower ended by itself when the runner did, with every line of its log.
          const whole = await followed;
          expect(whole.exitCode, whole.stderr).toBe(0);
          expect(whole.stdout).toBe(logs.stdout);
          const tail = await kubectl(bed.controlPlane, ['logs', '--tail=2', '-n', 'load', pod.metadata.name ?? '']);
          expect(tail.stdout).toBe(logs.stdout.split('\n').slice(-2).join('\n'));
        }
      }
      // Split, not multiplied: together what one k6 sends with the whole script, a third each (give or take the
      // iteration due at the last instant, which each k6 may or may not start).
      const whole = await wholeRun(bed);
      const sum = requests.reduce((total, count) => total + count, 0);
      expect(Math.abs(sum - whole), `${JSON.stringify(requests)} against ${whole}`).toBeLessThanOrEqual(3);
      for (const count of requests) expect(Math.abs(count - whole / 3)).toBeLessThanOrEqual(2);
    }, 240_000);

    test('stop() leaves no pod sandbox, no forwarder and no operator behind', async () => {
      const pids = bed.nodeAgent.processGroups;
      const components = bed.controlPlane.components.map((component) => component.pid);
      const forwarder = bed.controlPlane.network?.pid;
      expect(forwarder && isRunning(forwarder)).toBe(true);
      await bed.stop();
      await eventually(
        'every process to be gone',
        async () => ([...pids, ...components].some(isRunning) ? undefined : true),
        15_000,
      );
    });
  },
);

/** The same script run by one local k6 through the router's loopback listener: its http_reqs. */
async function wholeRun(bed: Testbed): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'zdd-test-k6-whole-'));
  try {
    writeFileSync(join(dir, 'load.js'), script(bed.routerAddress));
    const run = await execa(K6 ?? 'k6', ['run', '--quiet', '--no-usage-report', join(dir, 'load.js')], {
      reject: false,
      timeout: 60_000,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    return Number(/http_reqs\.*:\s*(\d+)/.exec(run.stdout)?.[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function get(bed: Testbed): Promise<number> {
  const [host, port] = bed.routerAddress.split(':');
  return new Promise((resolve) => {
    const req = request(
      { host, port: Number(port), path: '/', headers: { host: HOST }, agent: false, timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}
