import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeClient } from '../../src/kube/api-client.js';
import type { CompareSummary } from '../../src/report/results.js';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.js';
import { BIN, REPO, zdd } from '../helpers/cli.js';
import { createNamespace, NO_TESTBED, testbedTitle } from '../helpers/control-plane.js';
import { until } from '../helpers/wait.js';

/**
 * `zdd compare --target cluster` through the real CLI and the real kubectl, on a real Kubernetes control plane
 * (testbed/build.sh) with zdd's node agent, DeploymentConfig controller and router standing in for a node and
 * for OpenShift. Real timings: each run takes about a minute.
 */
const SLOW = 240_000;
let bed: Testbed;
let api: KubeClient;
const scratch = mkdtempSync(join(tmpdir(), 'zdd-test-cluster-compare-'));
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (NO_TESTBED) return;
  // A quiet router (coalesced reloads), on both sides of the fidelity test below: a change is applied at once
  // when the router has not reloaded within the interval, so runs repeat to a few requests.
  bed = await startTestbed({ reloads: 'coalesced' });
  api = KubeClient.fromKubeconfig(bed.kubeconfig);
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  api?.close();
  await bed?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

let namespaces = 0;
async function namespace(): Promise<string> {
  const name = `zdd-e2e-${++namespaces}`;
  await createNamespace(api, name);
  return name;
}

/** kubectl keeps its discovery cache under $HOME: a home of the test's own. */
function env(): Record<string, string> {
  return { ...(process.env as Record<string, string>), HOME: scratch, NO_COLOR: '1' };
}

function clusterArgs(ns: string, kubeconfig = bed.kubeconfig, warmup = '5'): string[] {
  return [
    'compare',
    '--target',
    'cluster',
    '--kubeconfig',
    kubeconfig,
    '--namespace',
    ns,
    '--router-address',
    bed.routerAddress,
    '--load',
    'builtin',
    '--warmup',
    warmup,
    '--cooldown',
    '5',
    '--results',
    join(scratch, 'results'),
  ];
}

async function summaryOf(stdout: string): Promise<CompareSummary> {
  const folder = /results: (\S+)\/ \(/.exec(stdout)?.[1] ?? '';
  return JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as CompareSummary;
}

/** Names of the objects of `kinds` labelled by any zdd run, in a namespace. */
async function labelled(ns: string): Promise<string[]> {
  const kinds = [
    { apiVersion: 'apps/v1', plural: 'deployments' },
    { apiVersion: 'apps.openshift.io/v1', plural: 'deploymentconfigs' },
    { apiVersion: 'v1', plural: 'services' },
    { apiVersion: 'route.openshift.io/v1', plural: 'routes' },
    { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets' },
  ];
  const names: string[] = [];
  for (const kind of kinds) {
    const list = await api.list<{ metadata: { name: string } }>(
      { ...kind, namespace: ns },
      { labelSelector: 'zdd/run-id' },
    );
    names.push(...list.items.map((item) => `${kind.plural}/${item.metadata.name}`));
  }
  return names;
}

describe.skipIf(NO_TESTBED)(testbedTitle('zdd compare --target cluster on a real control plane'), () => {
  test(
    'DeploymentConfigs: the default variant drops requests, the zero-downtime one none; PASS; another namespace untouched',
    async () => {
      const ns = await namespace();
      const other = await namespace();
      await api.create(
        { apiVersion: 'v1', plural: 'configmaps', namespace: other },
        { metadata: { name: 'keep' }, data: { a: '1' } },
      );
      const configMaps = async () =>
        (await api.list({ apiVersion: 'v1', plural: 'configmaps', namespace: other })).items;
      const before = await configMaps();
      const result = await zdd(clusterArgs(ns), { env: env() });
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/rollout round\(s\) on the current context, namespace zdd-e2e-\d+ \(kubectl\)/);
      const summary = await summaryOf(result.stdout);
      const [defaults, zd] = summary.variants;
      expect(defaults?.failed).toBeGreaterThan(0);
      expect(zd?.failed).toBe(0);
      expect(summary.verdict.outcome).toBe('pass');
      expect(summary.rounds[0]?.rollouts.map((r) => [r.revision, r.outcome])).toEqual([
        ['default-app-2', 'completed'],
        ['zero-downtime-app-2', 'completed'],
      ]);
      // The same events.json shape as the local target, from kubectl --watch.
      const folder = /results: (\S+)\/ \(/.exec(result.stdout)?.[1] ?? '';
      const events = JSON.parse(readFileSync(join(folder, 'events.json'), 'utf8')) as Array<{ type: string }>;
      const types = new Set(events.map((event) => event.type));
      for (const type of [
        'pod-created',
        'pod-ready',
        'pod-deleted',
        'endpoints-changed',
        'rollout-started',
        'rollout-completed',
        'scaled',
      ]) {
        expect(types, type).toContain(type);
      }
      // Without --cleanup the objects stay, and the last line says how to remove them.
      expect(result.stderr).toMatch(
        /the variants stay in namespace zdd-e2e-\d+; remove them with: kubectl .* delete .* --selector zdd\/run-id=/,
      );
      expect((await labelled(ns)).length).toBe(7);
      expect(await configMaps()).toEqual(before);
    },
    SLOW,
  );

  test(
    'Deployments with --cleanup: the same verdict, and nothing labelled is left',
    async () => {
      const ns = await namespace();
      const result = await zdd([...clusterArgs(ns), '--workload', 'deployment', '--cleanup'], { env: env() });
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
      const summary = await summaryOf(result.stdout);
      expect(summary.variants[0]?.failed).toBeGreaterThan(0);
      expect(summary.variants[1]?.failed).toBe(0);
      expect(await labelled(ns)).toEqual([]);
    },
    SLOW,
  );

  test(
    '--cleanup after Ctrl-C: exit 130, the load stopped, nothing labelled left',
    async () => {
      const ns = await namespace();
      const child = spawn(
        process.execPath,
        [BIN, ...clusterArgs(ns, bed.kubeconfig, '600'), '--workload', 'deployment', '--cleanup'],
        {
          cwd: REPO,
          env: env(),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.push(child);
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      expect(await until(() => output.includes('warm-up'), 120_000), output).toBe(true);
      expect((await labelled(ns)).length).toBe(7);
      child.kill('SIGINT');
      expect(await exited, output).toBe(130);
      expect(output).toContain('removing what this run applied');
      expect(await labelled(ns)).toEqual([]);
    },
    SLOW,
  );

  test(
    'a rollout that does not complete within --timeout: INCONCLUSIVE, exit 3, the rollout named',
    async () => {
      const ns = await namespace();
      // The zero-downtime variant needs about 30 s to roll out (two pods, 8 s start-up each, a 10 s preStop).
      const result = await zdd([...clusterArgs(ns), '--timeout', '20', '--cleanup'], { env: env() });
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(3);
      expect(result.stdout).toMatch(
        /INCONCLUSIVE: .*the rollout of zero-downtime-app to zero-downtime-app-2 failed \(not complete within --timeout \(20 s\)/,
      );
      expect(await labelled(ns)).toEqual([]);
    },
    SLOW,
  );

  test(
    'fidelity: the local cluster’s Deployment controller and the real one, same manifests and load: failed counts within ±10 %',
    async () => {
      const ns = await namespace();
      const same = ['--workload', 'deployment', '--rounds', '2', '--connections', 'reused'];
      const onCluster = await zdd([...clusterArgs(ns), ...same, '--cleanup'], { env: env() });
      expect(onCluster.exitCode, onCluster.stderr).toBe(0);
      const local = await zdd(
        [
          'compare',
          ...same,
          '--load',
          'builtin',
          '--router-reloads',
          'coalesced',
          '--warmup',
          '5',
          '--cooldown',
          '5',
          '--results',
          join(scratch, 'results'),
        ],
        { env: env() },
      );
      expect(local.exitCode, local.stderr).toBe(0);
      const failed = async (stdout: string) => (await summaryOf(stdout)).variants[0]?.failed ?? 0;
      const [real, modelled] = [await failed(onCluster.stdout), await failed(local.stdout)];
      expect(real).toBeGreaterThan(0);
      expect(Math.abs(modelled - real) / real, `local ${modelled}, real controllers ${real}`).toBeLessThanOrEqual(0.1);
    },
    2 * SLOW,
  );

  test('refuses to overwrite an object zdd did not create; applies nothing', async () => {
    const ns = await namespace();
    await api.create(
      { apiVersion: 'v1', plural: 'services', namespace: ns },
      { metadata: { name: 'default-app' }, spec: { ports: [{ port: 80 }], selector: { app: 'theirs' } } },
    );
    const result = await zdd(clusterArgs(ns), { env: env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `Service/default-app already exists in namespace ${ns} and zdd did not create it (no app.kubernetes.io/managed-by=zdd label)`,
    );
    expect(await labelled(ns)).toEqual([]);
  });

  test('a user without the rights: the verb and the resource it lacks, before anything is applied', async () => {
    const result = await zdd(clusterArgs('restricted', bed.restrictedKubeconfig), { env: env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /the cluster forbids this user to create deploymentconfigs\.apps\.openshift\.io in namespace restricted/,
    );
  });

  test(
    'an image the node cannot pull: exit 2 within seconds, naming the pod and the reason',
    async () => {
      const ns = await namespace();
      const started = Date.now();
      const result = await zdd([...clusterArgs(ns), '--image', 'nosuch/app:1', '--cleanup'], { env: env() });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/pod default-app-1-\w+ of default-app cannot start: ErrImagePull/);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(await labelled(ns)).toEqual([]);
    },
    SLOW,
  );

  test(
    'a route that never answers: exit 2 after --timeout, naming the URL',
    async () => {
      const ns = await namespace();
      const result = await zdd(
        [
          ...clusterArgs(ns),
          '--no-readiness-probe',
          '--timeout',
          '15',
          '--route-url',
          'zero-downtime-app=http://127.0.0.1:9/',
          '--cleanup',
        ],
        { env: env() },
      );
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/zero-downtime-app never answered at http:\/\/127\.0\.0\.1:9\/ within 15 s/);
      expect(await labelled(ns)).toEqual([]);
    },
    SLOW,
  );
});
