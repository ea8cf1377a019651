import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeClient } from '../../src/kube/api-client.js';
import { mergeRunnerLogs, readRunnerLog } from '../../src/load/k6-operator/runner-log.js';
import { k6OperatorObjects } from '../../src/load/k6-operator/test-run.js';
import { isRunning } from '../../src/runtime/is-running.js';
import type { ApiPod } from '../../src/testbed/api-objects.js';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.js';
import { REPO } from '../helpers/cli.js';
import { createNamespace, kubectl } from '../helpers/control-plane.js';
import { K6, NO_K6_OPERATOR, NO_K6_OPERATOR_REASON } from '../helpers/k6-operator.js';
import { eventually } from '../helpers/wait.js';

/**
 * A TestRun run to its end by the real k6-operator on the test bed: its runner pods (the local k6) and its starter
 * (sh and curl) run in sandboxes on the test bed's cluster network, the operator reaches the runners through their
 * Services' ClusterIPs, and the runners send their segments of the load to an app through the router's Service.
 */
const TEST_RUNS = { apiVersion: 'k6.io/v1alpha1', plural: 'testruns', namespace: 'load' } as const;
const HOST = 'web-load.apps.testbed.zdd';
/** zdd's load script, 30 requests a second for 5 s through the router, each logged (SAMPLES=log). */
const SCRIPT = readFileSync(join(REPO, 'k6', 'rollout-load.js'), 'utf8');
const loadArguments = (router: string) => [
  '--no-usage-report',
  '--log-format=raw',
  ...['-e', 'SAMPLES=log', '-e', 'RATE=30', '-e', 'DURATION=5s'],
  ...['-e', `TARGETS=${JSON.stringify([{ name: 'app', url: `http://${router}/`, host: HOST }])}`],
];

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

describe.skipIf(NO_K6_OPERATOR)(
  `a k6-operator TestRun on the test bed's cluster network${NO_K6_OPERATOR_REASON}`,
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

    test("parallelism 3: each runner sends its segment of zdd's load through the router; their logs, followed from the start, merge into one run that accounts for every request", async () => {
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
        script: SCRIPT,
        parallelism: 3,
        arguments: loadArguments(bed.routerServiceAddress ?? ''),
      });
      const applied = await kubectl(bed.controlPlane, ['apply', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [configMap, testRun] }),
      });
      expect(applied.exitCode, applied.stderr).toBe(0);

      // Each runner's log followed (`kubectl logs -f`) from the moment it runs, paused, until it ends.
      const followers = await Promise.all(
        [1, 2, 3].map(async (index) => {
          const pod = await eventually(
            `runner ${index} to run`,
            async () => {
              const pods = await api.list<ApiPod>(
                { apiVersion: 'v1', plural: 'pods', namespace: 'load' },
                { labelSelector: `job-name=zdd-load-${index}` },
              );
              return pods.items.find((candidate) => candidate.status?.phase === 'Running');
            },
            60_000,
          );
          const command = (pod.spec?.containers?.[0] as { command?: string[] } | undefined)?.command ?? [];
          const segment = command.find((part) => part.startsWith('--execution-segment='))?.split('=')[1];
          const log = kubectl(bed.controlPlane, ['logs', '-f', '-n', 'load', pod.metadata.name ?? '']);
          return { pod, segment, log };
        }),
      );

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
      expect(runners.map((pod) => pod.status?.phase)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
      expect(pods.find((pod) => pod.metadata.labels?.['job-name'] === 'zdd-load-starter')?.status?.phase).toBe(
        'Succeeded',
      );
      for (const pod of runners) expect(pod.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);

      // The followers ended by themselves with the runners; their logs merge into one run, every request of
      // every runner accounted for against that runner's own http_reqs.
      const logs = [];
      for (const { pod, segment, log } of followers) {
        const followed = await log;
        expect(followed.exitCode, followed.stderr).toBe(0);
        logs.push({
          runner: pod.metadata.name ?? '',
          ...(segment !== undefined && { segment }),
          text: followed.stdout,
        });
      }
      const merged = mergeRunnerLogs(logs, { targets: ['app'] });
      expect(merged.problems).toEqual([]);
      expect(merged.runners.map((runner) => runner.segment)).toEqual(['0:1/3', '1/3:2/3', '2/3:1']);
      const counts = merged.runners.map((runner) => runner.httpReqs ?? 0);
      expect(merged.samples).toHaveLength(counts.reduce((total, count) => total + count, 0));
      expect(merged.samples.filter((sample) => sample.status !== 200)).toEqual([]);
      expect(new Set(merged.samples.map((sample) => sample.pod))).toEqual(new Set([expect.stringMatching(/^web-/)]));

      // Split, not multiplied: together what one k6 sends with the whole script, a third each (give or take the
      // iteration due at the last instant, which each k6 may or may not start).
      const whole = await wholeRun(bed);
      expect(Math.abs(merged.samples.length - whole), `${JSON.stringify(counts)} against ${whole}`).toBeLessThanOrEqual(
        3,
      );
      for (const count of counts) expect(Math.abs(count - whole / 3)).toBeLessThanOrEqual(2);

      // kubectl logs --tail, as a kubelet serves it.
      const name = runners[0]?.metadata.name ?? '';
      const all = await kubectl(bed.controlPlane, ['logs', '-n', 'load', name]);
      const tail = await kubectl(bed.controlPlane, ['logs', '--tail=2', '-n', 'load', name]);
      expect(tail.stdout).toBe(all.stdout.split('\n').slice(-2).join('\n'));
    }, 240_000);

    test('stop() leaves no pod sandbox, no forwarder and no operator behind', async () => {
      const pids = bed.nodeAgent.processGroups;
      const components = bed.controlPlane.components.map((component) => component.pid);
      const forwarder = bed.controlPlane.network?.pid;
      expect(forwarder && isRunning(forwarder)).toBe(true);
      await bed.stop();
      await eventually(
        'every process to be gone',
        async () => ([...pids, ...components, forwarder ?? 0].some(isRunning) ? undefined : true),
        15_000,
      );
    });
  },
);

/** The same load run by one local k6 through the router's loopback listener: its http_reqs. */
async function wholeRun(bed: Testbed): Promise<number> {
  const run = await execa(
    K6 ?? 'k6',
    ['run', '--quiet', ...loadArguments(bed.routerAddress), join(REPO, 'k6', 'rollout-load.js')],
    { reject: false, all: true, timeout: 60_000 },
  );
  expect(run.exitCode, run.all).toBe(0);
  return readRunnerLog(run.all ?? '').httpReqs ?? Number.NaN;
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
