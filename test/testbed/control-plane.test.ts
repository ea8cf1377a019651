import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '../../src/kube/api-client.js';
import { KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/resources.js';
import { InterruptedError, SetupError } from '../../src/runtime/errors.js';
import { isRunning } from '../../src/runtime/is-running.js';
import {
  type ControlPlane,
  defaultBinDir,
  KUBERNETES_VERSION,
  startControlPlane,
} from '../../src/testbed/control-plane.js';
import { readCrdFiles } from '../../src/testbed/crd-files.js';
import { parseCrd } from '../../src/testbed/crds.js';
import { gatewayApiCrdFiles, gatewayApiVersion } from '../../src/testbed/gateway-api-crds.js';
import { REPO, runProgram } from '../helpers/cli.js';
import { kubectl, NO_TESTBED, testbedTitle } from '../helpers/control-plane.js';
import { until } from '../helpers/wait.js';

const DEPLOYMENT_CONFIGS = { apiVersion: 'apps.openshift.io/v1', plural: 'deploymentconfigs' } as const;

test('a missing binary is a SetupError that says to run testbed/build.sh, and nothing is left behind', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'zdd-test-bin-'));
  try {
    const error = await startControlPlane({ binDir: empty }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toBe(
      `the test bed needs etcd, kube-apiserver, kube-controller-manager in ${empty} (not found or not executable): run testbed/build.sh to build them (Go 1.25+; about 12 minutes the first time)`,
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

describe.skipIf(NO_TESTBED)(testbedTitle('a control plane'), () => {
  let plane: ControlPlane;
  let api: KubeClient;

  beforeAll(async () => {
    plane = await startControlPlane();
    api = KubeClient.fromKubeconfig(plane.kubeconfig);
  }, 120_000);

  afterAll(async () => {
    api?.close();
    await plane?.stop();
  });

  test('starts within seconds and kubectl works with its kubeconfig', async () => {
    // Measured 3.4–4 s on 2 idle cores; a busy machine gets a generous bound.
    expect(plane.startupMs).toBeLessThan(45_000);
    expect(plane.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const namespaces = await kubectl(plane, ['get', 'namespaces', '-o', 'name']);
    expect(namespaces.exitCode, namespaces.stderr).toBe(0);
    expect(namespaces.stdout.split('\n')).toEqual(
      expect.arrayContaining(['namespace/default', 'namespace/restricted']),
    );
    const version = await kubectl(plane, ['version', '-o', 'json']);
    expect(JSON.parse(version.stdout).serverVersion.gitVersion).toBe(KUBERNETES_VERSION);
  });

  test('the restricted user may read namespace restricted but not create there, and is told verb and resource', async () => {
    const read = await kubectl(plane, ['get', 'pods,configmaps'], { restricted: true });
    expect(read.exitCode, read.stderr).toBe(0);
    const create = await kubectl(plane, ['create', 'configmap', 'settings', '--from-literal=a=b'], {
      restricted: true,
    });
    expect(create.exitCode).toBe(1);
    expect(create.stderr).toContain(
      'configmaps is forbidden: User "restricted" cannot create resource "configmaps" in API group "" in the namespace "restricted"',
    );
    const elsewhere = await kubectl(plane, ['get', 'pods', '-n', 'default'], { restricted: true });
    expect(elsewhere.stderr).toContain(
      'User "restricted" cannot list resource "pods" in API group "" in the namespace "default"',
    );
  });

  test('the Route and DeploymentConfig CRDs are established, and the Gateway API ones when build.sh copied them', async () => {
    const crds = await kubectl(plane, [
      'get',
      'crd',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Established")].status}{"\\n"}{end}',
    ]);
    const gatewayApi = readCrdFiles(gatewayApiCrdFiles(defaultBinDir())).map(
      (crd) => `${crd.metadata?.name ?? ''}=True`,
    );
    expect(crds.stdout.trim().split('\n').sort()).toEqual(
      ['deploymentconfigs.apps.openshift.io=True', 'routes.route.openshift.io=True', ...gatewayApi].sort(),
    );
    expect(plane.gatewayApiVersion).toBe(gatewayApi.length > 0 ? gatewayApiVersion(defaultBinDir()) : undefined);
    if (gatewayApi.length > 0) expect(gatewayApi).toContain('httproutes.gateway.networking.k8s.io=True');
  });

  test('the DeploymentConfig of dist/default.yaml is accepted, and a port without protocol gets the derived default', async () => {
    const namespace = 'dc-crd';
    await api.create({ apiVersion: 'v1', plural: 'namespaces' }, { metadata: { name: namespace } });
    const documents = parseAllDocuments(readFileSync(join(REPO, 'dist', 'default.yaml'), 'utf8')).map(
      (document) => document.toJS() as KubeObject,
    );
    const dc = documents.find((object) => object.kind === 'DeploymentConfig');
    expect(dc).toBeDefined();
    const dcs = { ...DEPLOYMENT_CONFIGS, namespace };
    const created = await api.create<KubeObject>(dcs, dc as KubeObject);
    expect(created.metadata?.uid).toBeTruthy();

    const withoutProtocol = structuredClone(dc) as unknown as DcShape;
    withoutProtocol.metadata.name = 'no-protocol';
    delete withoutProtocol.spec.template.spec.containers[0].ports[0].protocol;
    const stored = (await api.create(dcs, withoutProtocol)) as unknown as DcShape;
    expect(stored.spec.template.spec.containers[0].ports[0].protocol).toBe('TCP');
  });

  test('the unmodified DeploymentConfig CRD is refused by the API server: the derivation is what makes it applicable', async () => {
    const text = readFileSync(join(REPO, 'schemas/openshift/apps.openshift.io_deploymentconfigs.crd.yaml'), 'utf8');
    const original = parseCrd(text, 'the original CRD');
    const error = await api
      .create({ apiVersion: 'apiextensions.k8s.io/v1', plural: 'customresourcedefinitions' }, original, {
        dryRun: true,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).statusCode).toBe(422);
    const refused = [
      ...(error as KubeApiError).apiMessage.matchAll(
        /properties\[(\w+)\]\.items\.properties\[(\w+)\]\.default: Required value/g,
      ),
    ];
    expect(refused.map((match) => `${match[1]}[].${match[2]}`).sort()).toEqual([
      'imagePullSecrets[].name',
      'ports[].protocol',
      'ports[].protocol',
      'ports[].protocol',
    ]);
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      expect((error as KubeApiError).apiMessage).toContain(
        `properties[${list}].items.properties[ports].items.properties[protocol].default: Required value`,
      );
    }
  });

  test('kubectl apply -f dist/ twice: the second apply writes nothing, and every object but the PDB says unchanged', async () => {
    const namespace = 'reapply';
    expect((await kubectl(plane, ['create', 'namespace', namespace])).exitCode).toBe(0);
    const first = await kubectl(plane, ['apply', '-n', namespace, '-f', 'dist/']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toHaveLength(7);
    expect(first.stdout).not.toMatch(/unchanged|configured/);
    const versions = async () =>
      (
        await kubectl(plane, [
          'get',
          '-n',
          namespace,
          'deploymentconfigs,services,routes,poddisruptionbudgets',
          '-o',
          'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{"\\n"}{end}',
        ])
      ).stdout;
    const before = await versions();

    const second = await kubectl(plane, ['apply', '-n', namespace, '-f', 'dist/']);
    expect(second.exitCode, second.stderr).toBe(0);
    const changed = second.stdout
      .trim()
      .split('\n')
      .filter((line) => !line.endsWith(' unchanged'));
    // kubectl's client-side apply always re-sends a PDB's spec.selector (its patch strategy is
    // "replace"), so it prints "configured" although the server writes nothing; see the PDB note in
    // the test bed's report. Everything else must be unchanged.
    expect(changed).toEqual(['poddisruptionbudget.policy/zero-downtime-app configured']);
    expect(await versions()).toBe(before);
    const diff = await kubectl(plane, ['diff', '-n', namespace, '-f', 'dist/']);
    expect(diff.exitCode, diff.stdout + diff.stderr).toBe(0);
  });

  test('stop() kills every component and removes the folder', async () => {
    const pids = plane.components.map((component) => component.pid);
    expect(pids.every(isRunning)).toBe(true);
    expect(existsSync(plane.dir)).toBe(true);
    api.close();
    await plane.stop();
    expect(pids.filter(isRunning)).toEqual([]);
    expect(existsSync(plane.dir)).toBe(false);
  });
});

describe.skipIf(NO_TESTBED)(testbedTitle('start-up interrupted'), () => {
  test('aborting its signal (Ctrl-C) while it starts: InterruptedError, and no process or folder is left', async () => {
    const stop = new AbortController();
    const starting = startControlPlane({ signal: stop.signal });
    starting.catch(() => {}); // awaited below
    expect(await until(() => components().length === 3, 20_000)).toBe(true);
    stop.abort('SIGINT');
    const error = await starting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(components()).toEqual([]);
    expect(ownedTempDirs()).toEqual([]);
  });
});

describe.skipIf(NO_TESTBED)(testbedTitle('a program that started a control plane'), () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  test('killed with SIGKILL: no component survives and the folder is gone', async () => {
    // The built library (npm run build), as a program using it would import it.
    const script = `
      import { startControlPlane } from './lib/src/testbed/control-plane.js';
      import { ProcessSupervisor } from './lib/src/runtime/processes.js';
      const plane = await startControlPlane();
      console.log(JSON.stringify({ dir: plane.dir, pids: plane.components.map((c) => c.pid), watchdog: new ProcessSupervisor().watchdogPid }));
      setInterval(() => {}, 1000);
    `;
    const {
      child: started,
      first,
      stderr,
    } = await runProgram<{ dir: string; pids: number[]; watchdog: number }>(script);
    child = started;
    expect(first, stderr).toHaveProperty('pids');
    const seen = first as { dir: string; pids: number[]; watchdog: number };
    expect(seen.pids).toHaveLength(3);
    expect(seen.pids.every(isRunning)).toBe(true);
    expect(existsSync(seen.dir)).toBe(true);

    started.kill('SIGKILL');
    const gone = await until(
      () => !seen.pids.some(isRunning) && !isRunning(seen.watchdog) && !existsSync(seen.dir),
      15_000,
    );
    expect({
      alive: seen.pids.filter(isRunning),
      watchdog: isRunning(seen.watchdog),
      dir: existsSync(seen.dir),
    }).toEqual({
      alive: [],
      watchdog: false,
      dir: false,
    });
    expect(gone).toBe(true);
  }, 120_000);
});

/** This process's children that are control plane components. */
function components(): string[] {
  const ps = execaSync('ps', ['--ppid', String(process.pid), '-o', 'args='], { reject: false });
  return ps.stdout.split('\n').filter((line) => /\/(etcd|kube-apiserver|kube-controller-manager) /.test(line));
}

/** Test bed folders this process made and still has. */
function ownedTempDirs(): string[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith('zdd-testbed-'))
    .filter((name) => {
      try {
        return readFileSync(join(tmpdir(), name, '.zdd-owner'), 'utf8').trim() === String(process.pid);
      } catch {
        return false;
      }
    });
}

interface DcShape {
  metadata: { name: string };
  spec: { template: { spec: { containers: Array<{ ports: Array<{ protocol?: string }> }> } } };
}
