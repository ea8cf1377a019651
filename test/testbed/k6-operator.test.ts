import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeClient } from '../../src/kube/api-client.js';
import type { KubeObject } from '../../src/kube/resources.js';
import { DEFAULT_RUNNER_IMAGE, k6OperatorObjects } from '../../src/load/k6-operator/test-run.js';
import { SetupError } from '../../src/runtime/errors.js';
import { isRunning } from '../../src/runtime/is-running.js';
import { COMPONENTS, type ControlPlane, defaultBinDir, startControlPlane } from '../../src/testbed/control-plane.js';
import { k6OperatorBuild } from '../../src/testbed/k6-operator.js';
import { createNamespace, kubectl, NO_TESTBED, NO_TESTBED_REASON } from '../helpers/control-plane.js';
import { eventually } from '../helpers/wait.js';

/**
 * The real grafana/k6-operator (testbed/build.sh builds it from its Go module) on the test bed's control plane,
 * with the real Job controller: the TestRun zdd writes (src/load/k6-operator/test-run.ts) becomes runner Jobs, one per execution segment, and
 * Services, as on any cluster with the operator installed.
 */
const BUILD = k6OperatorBuild(defaultBinDir());
const why = NO_TESTBED
  ? ` (${NO_TESTBED_REASON})`
  : BUILD === undefined
    ? ' (skipped: no k6-operator in testbed/bin/k6-operator; run testbed/build.sh)'
    : '';
const TEST_RUNS = { apiVersion: 'k6.io/v1alpha1', plural: 'testruns' } as const;
const SCRIPT = `import http from 'k6/http';
export const options = { scenarios: { load: { executor: 'constant-arrival-rate', rate: 30, duration: '5s', preAllocatedVUs: 6 } } };
export default function () { http.get('http://127.0.0.1:9/'); }
`;

test('a test bed asked for the k6-operator when it is not built: a SetupError that says to run testbed/build.sh', async () => {
  const binDir = mkdtempSync(join(tmpdir(), 'zdd-test-bin-'));
  try {
    for (const name of COMPONENTS) symlinkSync(join(defaultBinDir(), name), join(binDir, name));
    const error = await startControlPlane({ binDir, k6Operator: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toBe(
      `the test bed's k6-operator is not built in ${binDir}/k6-operator: run testbed/build.sh to build it (Go 1.25+; about 3 minutes the first time)`,
    );
  } finally {
    rmSync(binDir, { recursive: true, force: true });
  }
});

describe.skipIf(NO_TESTBED || BUILD === undefined)(`the k6-operator on the test bed${why}`, () => {
  let plane: ControlPlane;
  let api: KubeClient;

  beforeAll(async () => {
    plane = await startControlPlane({ k6Operator: true, timeoutMs: 90_000 });
    api = KubeClient.fromKubeconfig(plane.kubeconfig);
  }, 120_000);

  afterAll(async () => {
    api?.close();
    await plane?.stop();
  });

  test('a TestRun with parallelism 3: three paused runner Jobs, one execution segment each, their Services and pods', async () => {
    expect(plane.k6OperatorVersion).toBe('v1.5.0');
    await createNamespace(api, 'load');
    // zdd's own objects, applied as strictly as the API server can check them against the operator's CRD.
    const { configMap, testRun: object } = k6OperatorObjects({
      name: 'zdd-load',
      namespace: 'load',
      runId: 'r1',
      script: SCRIPT,
      parallelism: 3,
      runner: {
        resources: { requests: { cpu: '100m' }, limits: { memory: '256Mi' } },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'load', operator: 'Exists', effect: 'NoSchedule' }],
        serviceAccountName: 'default',
      },
    });
    // The first runs skip the operator's initializer (it reads a pod's log in-cluster only).
    (object.spec as Record<string, unknown>).initializer = { disabled: true };
    const applied = await kubectl(plane, ['apply', '--validate=strict', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [configMap, object] }),
    });
    expect(applied.exitCode, applied.stderr).toBe(0);

    const testRun = await eventually(
      'the TestRun to reach stage created',
      async () => {
        const object = await api.get({ ...TEST_RUNS, namespace: 'load' }, 'zdd-load');
        return (object.status as { stage?: string } | undefined)?.stage === 'created' ? object : undefined;
      },
      60_000,
    );
    expect(testRun.metadata?.name).toBe('zdd-load');

    const jobs = (await api.list({ apiVersion: 'batch/v1', plural: 'jobs', namespace: 'load' })).items;
    expect(jobs.map((job) => job.metadata?.name).sort()).toEqual(['zdd-load-1', 'zdd-load-2', 'zdd-load-3']);
    const commands = Object.fromEntries(jobs.map((job) => [job.metadata?.name, containerCommand(job)]));
    for (const [index, segment] of ['0:1/3', '1/3:2/3', '2/3:1'].entries()) {
      const command = commands[`zdd-load-${index + 1}`] ?? [];
      expect(command.slice(0, 2)).toEqual(['k6', 'run']);
      expect(command).toContain(`--execution-segment=${segment}`);
      expect(command).toContain('--execution-segment-sequence=0,1/3,2/3,1');
      expect(command).toContain('/test/rollout-load.js');
      expect(command).toContain('--paused');
    }
    for (const job of jobs) {
      const pod = (job.spec as { template: { metadata: KubeObject['metadata']; spec: Record<string, unknown> } })
        .template;
      expect(pod.metadata?.labels?.['zdd/run-id']).toBe('r1');
      expect(pod.spec).toMatchObject({
        containers: [
          {
            image: DEFAULT_RUNNER_IMAGE,
            resources: { requests: { cpu: '100m' }, limits: { memory: '256Mi' } },
          },
        ],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'load', operator: 'Exists', effect: 'NoSchedule' }],
        serviceAccountName: 'default',
      });
    }

    const services = (await api.list({ apiVersion: 'v1', plural: 'services', namespace: 'load' })).items;
    expect(services.map((service) => service.metadata?.name).sort()).toEqual([
      'zdd-load-service-1',
      'zdd-load-service-2',
      'zdd-load-service-3',
    ]);
    for (const service of services) {
      expect((service.spec as { clusterIP?: string }).clusterIP).toMatch(/^10\.0\.0\.\d+$/);
    }

    // The Job controller makes each Job's pod (the pods stay Pending: no node agent in this test).
    const pods = await eventually(
      'a pod for each runner Job',
      async () => {
        const items = (await api.list({ apiVersion: 'v1', plural: 'pods', namespace: 'load' })).items;
        return items.length === 3 ? items : undefined;
      },
      60_000,
    );
    expect(pods.map((pod) => pod.metadata?.labels?.['job-name']).sort()).toEqual([
      'zdd-load-1',
      'zdd-load-2',
      'zdd-load-3',
    ]);
  });

  test('stop() stops the operator with the rest', async () => {
    const operator = plane.components.find((component) => component.name === 'k6-operator');
    expect(operator && isRunning(operator.pid)).toBe(true);
    await plane.stop();
    expect(plane.components.filter((component) => isRunning(component.pid))).toEqual([]);
  });
});

function containerCommand(job: KubeObject): string[] {
  const spec = job.spec as { template: { spec: { containers: Array<{ command?: string[] }> } } };
  return spec.template.spec.containers[0]?.command ?? [];
}
