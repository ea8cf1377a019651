import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeClient } from '../../src/kube/api-client.js';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { findOnPath } from '../../src/runtime/executables.js';
import { freePort } from '../../src/runtime/free-port.js';
import { isRunning } from '../../src/runtime/is-running.js';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.js';
import { BIN, REPO, zdd } from '../helpers/cli.js';
import { createNamespace, NO_TESTBED, testbedTitle } from '../helpers/control-plane.js';
import { NO_GATEWAY_API, NO_GATEWAY_API_REASON } from '../helpers/gateway-api-schema.js';
import { judgedRun } from '../helpers/judged-run.js';
import { flat } from '../helpers/terminal-text.js';
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
  // A quiet router (coalesced reloads): a change is applied at once when the router has not reloaded within the
  // interval. The fidelity test (fidelity.e2e.test.ts) runs a router of its own, reloading periodically.
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

/** A run with a verdict (judgedRun), each attempt in a fresh namespace. */
async function judgedInNamespace(args: (ns: string) => string[]) {
  let ns = '';
  const result = await judgedRun('a PASS run', async () => {
    ns = await namespace();
    return zdd(args(ns), { env: env() });
  });
  return { ns, result };
}

/** kubectl keeps its discovery cache under $HOME: a home of the test's own. */
function env(): Record<string, string> {
  return { ...(process.env as Record<string, string>), HOME: scratch, NO_COLOR: '1' };
}

function clusterArgs(
  ns: string | undefined,
  kubeconfig = bed.kubeconfig,
  warmup = '5',
  results = `results-${ns ?? 'context'}`,
): string[] {
  return [
    'compare',
    '--target',
    'cluster',
    '--kubeconfig',
    kubeconfig,
    ...(ns === undefined ? [] : ['--namespace', ns]),
    '--router-address',
    bed.routerAddress,
    '--load',
    'builtin',
    '--warmup',
    warmup,
    '--cooldown',
    '5',
    '--results',
    join(scratch, results),
  ];
}

/** The real kubectl as the admin of the test bed. */
function kubectlAdmin(args: readonly string[]) {
  return execa('kubectl', ['--kubeconfig', bed.kubeconfig, ...args], { env: env(), reject: false, stdin: 'ignore' });
}

/** A command line zdd printed, run as a person would paste it into a shell. */
function typed(command: string) {
  return execa('sh', ['-c', command], { env: env(), reject: false, stdin: 'ignore' });
}

/**
 * A host name that cannot resolve, and is refused before any DNS query is sent (a label longer than 63
 * characters: Go's and glibc's resolvers both reject it locally), so the test sends nothing off this machine.
 */
const UNRESOLVABLE = `${'a'.repeat(64)}.invalid`;

/** A PATH whose `oc` is the real kubectl under oc's name (they share `auth can-i`), for the oc-only checks. */
function pathWithOc(): string {
  const dir = join(scratch, 'oc-bin');
  const kubectl = findOnPath('kubectl');
  if (kubectl && !existsSync(join(dir, 'oc'))) {
    mkdirSync(dir, { recursive: true });
    symlinkSync(kubectl, join(dir, 'oc'));
  }
  return `${dir}${delimiter}${process.env.PATH ?? ''}`;
}

async function summaryOf(stdout: string): Promise<CompareSummary> {
  const folder = /results:\s+(\S+)\/\s+\(/.exec(stdout)?.[1] ?? '';
  return JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as CompareSummary;
}

/** The objects of the variants' kinds in a namespace (with `selector`), each with its labels and generation. */
async function objectsIn(
  ns: string,
  selector?: string,
): Promise<Array<{ name: string; labels: Record<string, string>; generation?: number }>> {
  const kinds = [
    { apiVersion: 'apps/v1', plural: 'deployments' },
    { apiVersion: 'apps.openshift.io/v1', plural: 'deploymentconfigs' },
    { apiVersion: 'v1', plural: 'services' },
    { apiVersion: 'route.openshift.io/v1', plural: 'routes' },
    { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets' },
  ];
  const objects: Array<{ name: string; labels: Record<string, string>; generation?: number }> = [];
  for (const kind of kinds) {
    const list = await api.list<{ metadata: { name: string; labels?: Record<string, string>; generation?: number } }>(
      { ...kind, namespace: ns },
      selector === undefined ? {} : { labelSelector: selector },
    );
    objects.push(
      ...list.items.map((item) => ({
        name: `${kind.plural}/${item.metadata.name}`,
        labels: item.metadata.labels ?? {},
        ...(item.metadata.generation !== undefined && { generation: item.metadata.generation }),
      })),
    );
  }
  return objects;
}

/** Names of the objects of the variants' kinds labelled by any zdd run, in a namespace. */
async function labelled(ns: string): Promise<string[]> {
  return (await objectsIn(ns, 'zdd/run-id')).map((object) => object.name);
}

/** The run id a run printed before it created anything. */
function printedRunId(stderr: string): string {
  return /run id (\S+): every object it creates is labelled/.exec(stderr)?.[1] ?? '(none printed)';
}

describe.skipIf(NO_TESTBED)(testbedTitle('zdd compare --target cluster on a real control plane'), () => {
  // The runs that must PASS go one at a time, alone in this file: two full loads would share the cores, and a load
  // generator that cannot keep up makes the verdict INCONCLUSIVE on a busy machine.
  describe('runs that PASS, one at a time', () => {
    test(
      'DeploymentConfigs: the default variant drops requests, the zero-downtime one none; PASS; another namespace untouched',
      async () => {
        const other = await namespace();
        await api.create(
          { apiVersion: 'v1', plural: 'configmaps', namespace: other },
          { metadata: { name: 'keep' }, data: { a: '1' } },
        );
        const configMaps = async () =>
          (await api.list({ apiVersion: 'v1', plural: 'configmaps', namespace: other })).items;
        const before = await configMaps();
        const { ns, result } = await judgedInNamespace((fresh) => clusterArgs(fresh));
        expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
        expect(flat(result.stdout)).toMatch(
          /rollout round\(s\) on the current context, namespace zdd-e2e-\d+ \(kubectl\)/,
        );
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
        const folder = /results:\s+(\S+)\/\s+\(/.exec(result.stdout)?.[1] ?? '';
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
        // The disruption controller computes the zero-downtime variant's PodDisruptionBudget, as on a real cluster.
        const pdb = async () =>
          (
            await api.get<{ status?: { disruptionsAllowed?: number; expectedPods?: number; currentHealthy?: number } }>(
              { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespace: ns },
              'zero-downtime-app',
            )
          ).status;
        expect(
          await until(async () => (await pdb())?.disruptionsAllowed === 1, 60_000),
          JSON.stringify(await pdb()),
        ).toBe(true);
        expect(await pdb()).toMatchObject({ expectedPods: 2, currentHealthy: 2 });
        // A second run in the same namespace: these objects are the first run's, not its own.
        const firstRun = printedRunId(result.stderr);
        const again = await zdd([...clusterArgs(ns), '--cleanup'], { env: env() });
        expect(again.exitCode, again.stderr).toBe(2);
        expect(again.stderr).toContain(
          `DeploymentConfig/default-app already exists in namespace ${ns} and this run did not create it (it carries zdd/run-id=${firstRun}: another zdd run's)`,
        );
        expect(again.stderr).toContain(`or run over them with --run-id ${firstRun}`);
        expect((await labelled(ns)).length).toBe(7);
      },
      SLOW,
    );

    test(
      'Deployments with --cleanup: the same verdict, and nothing labelled is left',
      async () => {
        const { ns, result } = await judgedInNamespace((fresh) => [
          ...clusterArgs(fresh),
          '--workload',
          'deployment',
          '--cleanup',
        ]);
        expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
        const summary = await summaryOf(result.stdout);
        expect(summary.variants[0]?.failed).toBeGreaterThan(0);
        expect(summary.variants[1]?.failed).toBe(0);
        expect(await labelled(ns)).toEqual([]);
      },
      SLOW,
    );

    test(
      '--dry-run prints a create a person can type; --run-id then runs over those objects, and --cleanup removes them',
      async () => {
        const ns = await namespace();
        const dry = await zdd([...clusterArgs(ns), '--workload', 'deployment', '--dry-run'], { env: env() });
        expect(dry.exitCode, dry.stderr).toBe(0);
        const runId = /--selector zdd\/run-id=(\S+)/.exec(dry.stdout)?.[1] ?? '';
        const create = dry.stdout.split('\n').find((line) => line.includes(' create --save-config --filename '));
        expect(create, dry.stdout).toBeDefined();
        const created = await typed(create ?? '');
        expect(created.exitCode, created.stderr).toBe(0);
        expect((await labelled(ns)).length).toBe(7);
        const result = await zdd([...clusterArgs(ns), '--workload', 'deployment', '--run-id', runId, '--cleanup'], {
          env: env(),
        });
        expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stderr).toContain(`applying 7 objects over run ${runId}'s in namespace ${ns}`);
        expect(await labelled(ns)).toEqual([]);
      },
      SLOW,
    );

    test.skipIf(NO_GATEWAY_API)(
      `--expose gateway: synth's HTTPRoutes apply (the API server runs the CRD's own validation) and are Accepted; compare runs through them${NO_GATEWAY_API ? ` (${NO_GATEWAY_API_REASON})` : ''}`,
      async () => {
        const gateway = ['--expose', 'gateway', '--gateway', 'gw/infra', '--domain', 'apps.example'];
        const byHand = await namespace();
        const out = join(scratch, 'gateway-dist');
        const synth = await zdd(['synth', '--workload', 'deployment', ...gateway, '--out', out]);
        expect(synth.exitCode, synth.stderr).toBe(0);
        const applied = await kubectlAdmin([
          'apply',
          '--namespace',
          byHand,
          '--filename',
          join(out, 'zero-downtime.yaml'),
        ]);
        expect(applied.exitCode, applied.stderr).toBe(0);
        expect(applied.stdout).toContain('httproute.gateway.networking.k8s.io/zero-downtime-app created');
        const parents = async () =>
          (
            await kubectlAdmin([
              'get',
              'httproute/zero-downtime-app',
              '--namespace',
              byHand,
              '--output',
              'jsonpath={.status.parents[0].parentRef.name}/{.status.parents[0].parentRef.namespace} {.status.parents[0].conditions[?(@.type=="Accepted")].status}',
            ])
          ).stdout;
        expect(await until(async () => (await parents()) === 'gw/infra True', 30_000), await parents()).toBe(true);

        const ns = await namespace();
        const result = await zdd([...clusterArgs(ns), '--workload', 'deployment', ...gateway, '--cleanup'], {
          env: env(),
        });
        expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
        const summary = await summaryOf(result.stdout);
        expect(summary.variants[0]?.failed).toBeGreaterThan(0);
        expect(summary.variants[1]?.failed).toBe(0);
        expect(summary.verdict.outcome).toBe('pass');
        const left = await kubectlAdmin(['get', 'httproutes', '--namespace', ns, '--output', 'name']);
        expect(left.stdout.trim()).toBe('');
      },
      SLOW,
    );
  });

  // Then the rest, two at a time (maxConcurrency in vitest.config.ts), each in a namespace of its own (one router
  // for all, each route its own host): none of them judges a load, and they mostly wait on start-ups and timeouts.
  describe.concurrent('refused, interrupted and failed runs, two at a time', () => {
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
        expect(output).toContain('removing what this run created');
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
        expect(flat(result.stdout)).toMatch(
          /INCONCLUSIVE: .*the rollout of zero-downtime-app to zero-downtime-app-2 failed \(not complete within --timeout \(20 s\)/,
        );
        expect(await labelled(ns)).toEqual([]);
      },
      SLOW,
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
        `Service/default-app already exists in namespace ${ns} and this run did not create it (no zdd/run-id label`,
      );
      expect(await labelled(ns)).toEqual([]);
    });

    test('kubectl apply -f dist/ by hand, then compare --cleanup there: refused, not one object changed', async () => {
      const ns = await namespace();
      const applied = await kubectlAdmin(['--namespace', ns, 'apply', '--filename', join(REPO, 'dist')]);
      expect(applied.exitCode, applied.stderr).toBe(0);
      const before = await objectsIn(ns);
      // synth's label is on every one of them: it is no proof that a run created them.
      expect(before.filter((o) => o.labels['app.kubernetes.io/managed-by'] === 'zdd')).toHaveLength(7);
      const result = await zdd([...clusterArgs(ns), '--cleanup'], { env: env() });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        `zdd: DeploymentConfig/default-app already exists in namespace ${ns} and this run did not create it (no zdd/run-id label`,
      );
      expect(result.stderr).not.toContain('removing what this run created');
      expect(await objectsIn(ns)).toEqual(before);
    });

    test(
      'kill -9 mid-run: the run id and the delete command were printed and kept before anything was created',
      async () => {
        const ns = await namespace();
        const child = spawn(
          process.execPath,
          [BIN, ...clusterArgs(ns, bed.kubeconfig, '600', `killed-${ns}`), '--workload', 'deployment'],
          { cwd: REPO, env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
        );
        children.push(child);
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.stderr?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          child.once('exit', (_, signal) => resolve(signal)),
        );
        expect(await until(() => output.includes('warm-up'), 120_000), output).toBe(true);
        const printed = /run id (\S+): .* remove them with: (.+?) {3}\(also in (\S+)\)/.exec(output);
        expect(printed, output).not.toBeNull();
        const [, runId = '', cleanup = '', recordFile = ''] = printed ?? [];
        // Printed before the objects were created, and written to the results folder as well.
        expect(output.indexOf(`run id ${runId}`)).toBeLessThan(output.indexOf('creating 7 objects'));
        expect(recordFile).toMatch(/\.partial\/cluster-run\.json$/);
        expect(JSON.parse(readFileSync(recordFile, 'utf8'))).toMatchObject({ runId, namespace: ns, cleanup });
        expect(existsSync(join(dirname(recordFile), 'manifests.yaml'))).toBe(true);
        expect((await labelled(ns)).length).toBe(7);
        const pid = child.pid ?? 0;
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');
        expect(isRunning(pid)).toBe(false);
        // zdd report on what is left says how to clean up too.
        const report = await zdd(['report', dirname(recordFile)], { env: env() });
        expect(report.exitCode).toBe(2);
        expect(report.stderr).toContain(cleanup);
        const removed = await typed(cleanup);
        expect(removed.exitCode, removed.stderr).toBe(0);
        expect(await labelled(ns)).toEqual([]);
      },
      SLOW,
    );

    test('--load k6-operator on a cluster without the operator: exit 2 before anything is created, saying how to install it', async () => {
      const ns = await namespace();
      const args = clusterArgs(ns).map((arg) => (arg === 'builtin' ? 'k6-operator' : arg));
      const result = await zdd(args, { env: env() });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(flat(result.stderr)).toContain(
        'zdd: --load k6-operator: this cluster has no TestRun API (k6.io/v1alpha1): the k6-operator is not installed; install grafana/k6-operator (the bundle.yaml of one of its releases, with kubectl apply --server-side, or its Helm chart grafana/k6-operator), then run again',
      );
      expect(await labelled(ns)).toEqual([]);
    });

    test('a namespace that does not exist: exit 2 at once, with the kubectl command that creates it', async () => {
      const given = await zdd(clusterArgs('nosuch'), { env: env() });
      expect(given.exitCode, given.stderr).toBe(2);
      expect(given.stderr).toContain(
        `zdd: namespace nosuch does not exist: create it (\`kubectl --kubeconfig ${bed.kubeconfig} --namespace nosuch create namespace nosuch\`)`,
      );
      // --namespace was given: the hint does not tell the user to pass it.
      expect(given.stderr).not.toMatch(/pass --namespace|did not become reachable|oc new-project/);
      const kubeconfig = join(scratch, 'kubeconfig-nosuch');
      copyFileSync(bed.kubeconfig, kubeconfig);
      await execa(
        'kubectl',
        ['--kubeconfig', kubeconfig, 'config', 'set-context', '--current', '--namespace', 'gone'],
        {
          env: env(),
        },
      );
      const fromContext = await zdd(clusterArgs(undefined, kubeconfig), { env: env() });
      expect(fromContext.exitCode, fromContext.stderr).toBe(2);
      expect(fromContext.stderr).toMatch(
        /zdd: namespace gone \(the context's namespace\) does not exist: create it \(`kubectl .* create namespace gone`\), or pass --namespace$/,
      );
    });

    test('permissions: get replicationcontrollers, and with oc the instantiate subresource; nothing created', async () => {
      const ns = await namespace();
      // Everything the run needs but those two (and the namespace object itself, which zdd reads if it may).
      await api.create(
        { apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'roles', namespace: ns },
        {
          metadata: { name: 'almost' },
          rules: [
            {
              apiGroups: ['', 'apps.openshift.io', 'route.openshift.io', 'policy', 'discovery.k8s.io'],
              resources: ['deploymentconfigs', 'services', 'routes', 'poddisruptionbudgets', 'pods', 'endpointslices'],
              verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
            },
            { apiGroups: [''], resources: ['replicationcontrollers'], verbs: ['list', 'watch'] },
          ],
        },
      );
      await api.create(
        { apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespace: ns },
        {
          metadata: { name: 'almost' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'almost' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'restricted' }],
        },
      );
      const withKubectl = await zdd(clusterArgs(ns, bed.restrictedKubeconfig), { env: env() });
      expect(withKubectl.exitCode, withKubectl.stderr).toBe(2);
      expect(withKubectl.stderr).toContain(
        `the cluster forbids this user to get replicationcontrollers in namespace ${ns} (\`kubectl --kubeconfig ${bed.restrictedKubeconfig} --namespace ${ns} auth can-i get replicationcontrollers\` says no)`,
      );
      expect(await labelled(ns)).toEqual([]);
      const withOc = await zdd(clusterArgs(ns, bed.restrictedKubeconfig), { env: { ...env(), PATH: pathWithOc() } });
      expect(withOc.exitCode, withOc.stderr).toBe(2);
      expect(withOc.stderr).toContain(
        `the cluster forbids this user to create deploymentconfigs.apps.openshift.io/instantiate in namespace ${ns} (\`oc --kubeconfig ${bed.restrictedKubeconfig} --namespace ${ns} auth can-i create deploymentconfigs.apps.openshift.io --subresource instantiate\` says no)`,
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
        // Accepts connections and never answers: the router may still be reloading, so zdd keeps trying.
        const sockets: Socket[] = [];
        const silent = createServer((socket) => sockets.push(socket));
        await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
        const { port } = silent.address() as { port: number };
        try {
          const result = await zdd(
            [
              ...clusterArgs(ns),
              '--no-readiness-probe',
              '--timeout',
              '15',
              '--route-url',
              `zero-downtime-app=http://127.0.0.1:${port}/`,
              '--cleanup',
            ],
            { env: env() },
          );
          expect(result.exitCode).toBe(2);
          expect(result.stderr).toContain(
            `zero-downtime-app never answered at http://127.0.0.1:${port}/ within 15 s: no answer within 5000 ms; check the URL given for zero-downtime-app`,
          );
          expect(await labelled(ns)).toEqual([]);
        } finally {
          for (const socket of sockets) socket.destroy();
          silent.close();
        }
      },
      SLOW,
    );

    test(
      'a route URL nothing listens on, or whose host does not resolve: exit 2 at once, with its own message',
      async () => {
        const ns = await namespace();
        const closed = await freePort();
        const refused = await zdd(
          [
            ...clusterArgs(ns),
            '--no-readiness-probe',
            '--route-url',
            `zero-downtime-app=http://127.0.0.1:${closed}/`,
            '--cleanup',
          ],
          { env: env() },
        );
        expect(refused.exitCode, refused.stderr).toBe(2);
        expect(refused.stderr).toContain(
          `zdd: zero-downtime-app: nothing listens at http://127.0.0.1:${closed}/ (connection refused); check the URL given for zero-downtime-app`,
        );
        const unresolved = await zdd(
          [
            ...clusterArgs(ns),
            '--no-readiness-probe',
            '--route-url',
            `default-app=http://${UNRESOLVABLE}/`,
            '--cleanup',
          ],
          { env: env() },
        );
        expect(unresolved.exitCode, unresolved.stderr).toBe(2);
        expect(unresolved.stderr).toContain(
          `zdd: default-app: the host ${UNRESOLVABLE} does not resolve from this machine (DNS); check the URL given for default-app`,
        );
        expect(unresolved.stderr).not.toContain('never answered');
        expect(await labelled(ns)).toEqual([]);
      },
      SLOW,
    );
  });
});
