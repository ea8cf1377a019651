import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeClient } from '../kube/api-client.js';
import { isKubeApiError, KubeConnectionError } from '../kube/errors.js';
import { kubeconfigYaml } from '../kube/kubeconfig.js';
import type { KubeObject, Resource } from '../kube/resources.js';
import { InterruptedError, SetupError } from '../runtime/errors.js';
import { freePorts } from '../runtime/free-port.js';
import { packageRoot } from '../runtime/package-info.js';
import { ProcessSupervisor } from '../runtime/processes.js';
import { makeTempDir } from '../runtime/temp-dir.js';
import { delay } from '../runtime/timing.js';
import { makeCertificates } from './certificates.js';
import {
  type Component,
  type ComponentName,
  type ControlPlaneLayout,
  componentArgs,
  missingBinaries,
  spawnComponent,
} from './components.js';
import { readCrdFiles } from './crd-files.js';
import { applicableDeploymentConfigCrd, parseCrd } from './crds.js';
import { gatewayApiCrdFiles, gatewayApiVersion } from './gateway-api-crds.js';
import { K6_OPERATOR_FOLDER, type K6OperatorBuild, k6OperatorBuild, k6OperatorStarted } from './k6-operator.js';
import { ClusterNetwork } from './network/cluster-network.js';
import { RESTRICTED_NAMESPACE, RESTRICTED_USER, restrictedUserObjects } from './restricted-user.js';

export { COMPONENTS, CONTROLLERS, type ComponentName, missingBinaries } from './components.js';

/** The version testbed/build.sh builds. */
export const KUBERNETES_VERSION = 'v1.35.4';

export interface ControlPlaneOptions {
  /**
   * The folder holding etcd, kube-apiserver and kube-controller-manager.
   * @default testbed/bin in the zdd package (what testbed/build.sh writes)
   */
  readonly binDir?: string;
  /** Longest start-up, until everything is ready. @default 60000 */
  readonly timeoutMs?: number;
  /** Aborting it stops the start-up: everything started so far is stopped and removed, and it rejects with an InterruptedError. */
  readonly signal?: AbortSignal;
  /** Called when a component exits on its own after start-up (it does not come back). */
  readonly onExit?: (component: ComponentName, description: string) => void;
  /**
   * Runs the k6-operator (testbed/build.sh builds it into `<binDir>/k6-operator/`) with its CRDs installed, so
   * that `TestRun`s run; a SetupError names build.sh when it is not built.
   * @default false
   */
  readonly k6Operator?: boolean;
}

export interface ControlPlane {
  /** `https://127.0.0.1:PORT`. */
  readonly server: string;
  /** An admin (system:masters) kubeconfig file. */
  readonly kubeconfig: string;
  /** A user allowed only `get, list, watch` on everything in namespace `restricted` (for forbidden-verb tests). */
  readonly restrictedKubeconfig: string;
  /** The control plane's folder (certificates, kubeconfigs, etcd's data, `logs/`); `stop()` removes it. */
  readonly dir: string;
  /** Each component's process id and log file. */
  readonly components: readonly { readonly name: ComponentName; readonly pid: number; readonly log: string }[];
  /** How long the start took, in milliseconds. */
  readonly startupMs: number;
  /** The Gateway API version whose CRDs are installed. @default - none: testbed/build.sh has not copied them */
  readonly gatewayApiVersion?: string;
  /** The k6-operator version running, with its CRDs installed. @default - none: not asked for */
  readonly k6OperatorVersion?: string;
  /**
   * The cluster network the k6-operator runs in, for the node agent's pods and the Services' ClusterIPs.
   * @default - none: made only with the k6-operator
   */
  readonly network?: ClusterNetwork;
  /** The API server's serving certificate and key (files), which the node agent's log server uses too. */
  readonly serving: { readonly cert: string; readonly key: string };
  /** Kills every component and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Where testbed/build.sh puts the binaries. */
export function defaultBinDir(): string {
  return join(packageRoot(), 'testbed', 'bin');
}

const CRDS: Resource = { apiVersion: 'apiextensions.k8s.io/v1', plural: 'customresourcedefinitions' };
const FIELD_MANAGER = 'zdd-testbed';

/**
 * Starts a real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver
 * (TLS, token auth, RBAC) and kube-controller-manager, on free ports, in a
 * temp folder. Resolves once the API server is ready, the controllers have
 * made the `default` ServiceAccount, the Route and DeploymentConfig CRDs (and
 * the Gateway API's, when testbed/build.sh has copied them beside the binaries) are
 * served and the `restricted` user is set up. Every process and the folder are
 * registered with the watchdog, so nothing survives zdd, even after `kill -9`.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const startedAt = performance.now();
  const binDir = options.binDir ?? defaultBinDir();
  requireBinaries(binDir);
  const operator = options.k6Operator ? requireK6Operator(binDir) : undefined;
  const { signal } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const tempDir = makeTempDir('testbed');
  const dir = tempDir.path;
  const supervisor = new ProcessSupervisor();
  const running: Component[] = [];
  let api: KubeClient | undefined;
  let network: ClusterNetwork | undefined;
  let stopped: Promise<void> | undefined;
  let ready = false;

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      api?.close();
      network?.stop();
      supervisor.close();
      // The processes must be gone before their folder is removed: they write to it until then.
      await Promise.all(running.map((component) => component.exited));
      tempDir.remove();
    })();
    return stopped;
  };

  try {
    const { layout, server, restrictedKubeconfig } = await prepareFolder(dir, signal);

    // The API server waits for etcd, and the controller manager for the API server: start all three at once.
    const args = componentArgs(layout);
    for (const name of ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const) {
      const component = spawnComponent(supervisor, binDir, dir, name, args[name]);
      running.push(component);
      void component.exited.then(() => {
        if (ready && stopped === undefined) options.onExit?.(name, component.exit() ?? 'exited');
      });
    }

    // Parse the CRDs (≈ 0.3 s of CPU for the DeploymentConfig one) while the API server starts.
    const crds = readCrds(binDir, operator);
    api = KubeClient.fromKubeconfig(layout.kubeconfig, { timeoutMs: 10_000, userAgent: FIELD_MANAGER });
    const wait: Wait = (what, check) => waitFor(what, check, { deadline, signal, running });
    await waitUntilReady(api, crds, wait, signal);
    if (operator) {
      network = await ClusterNetwork.start({ supervisor, dir });
      const component = await runK6Operator(network, { supervisor, dir, operator, args: args['k6-operator'], server });
      running.push(component);
      void component.exited.then(() => {
        if (ready && stopped === undefined) options.onExit?.('k6-operator', component.exit() ?? 'exited');
      });
      await wait('the k6-operator to start its TestRun controller', async () =>
        k6OperatorStarted(readFileSync(component.log, 'utf8')),
      );
    }
    ready = true;
    return {
      server,
      kubeconfig: layout.kubeconfig,
      restrictedKubeconfig,
      dir,
      components: running.map(({ name, pid, log }) => ({ name, pid, log })),
      startupMs: Math.round(performance.now() - startedAt),
      ...gatewayApi(binDir),
      ...(operator && { k6OperatorVersion: operator.version }),
      ...(network && { network }),
      serving: { cert: layout.certs.serverCert, key: layout.certs.serverKey },
      stop,
    };
  } catch (error) {
    await stop();
    if (signal?.aborted) {
      throw new InterruptedError(typeof signal.reason === 'string' ? (signal.reason as NodeJS.Signals) : 'SIGINT');
    }
    throw error;
  }
}

/**
 * Starts the k6-operator (after its CRDs are served: it watches TestRuns from its start) inside the cluster
 * network, since it reaches its runners by their Services' ClusterIPs; the network leads out to the API server at
 * the address its kubeconfig names.
 */
async function runK6Operator(
  network: ClusterNetwork,
  how: {
    supervisor: ProcessSupervisor;
    dir: string;
    operator: K6OperatorBuild;
    args: readonly string[];
    server: string;
  },
): Promise<Component> {
  const apiServer = new URL(how.server);
  const apiAddress = { host: apiServer.hostname, port: Number(apiServer.port) };
  await network.exposeOutside(apiAddress, apiAddress);
  return spawnComponent(how.supervisor, how.operator.dir, how.dir, 'k6-operator', how.args, (command, args) =>
    network.inside(command, args),
  );
}

/** Throws a SetupError naming the binaries testbed/build.sh has not built (yet) in `binDir`. */
function requireBinaries(binDir: string): void {
  const missing = missingBinaries(binDir);
  if (missing.length > 0) {
    throw new SetupError(
      `the test bed needs ${missing.join(', ')} in ${binDir} (not found or not executable): run testbed/build.sh to build them (Go 1.25+; about 12 minutes the first time)`,
    );
  }
}

/** The k6-operator's build, or a SetupError that says how to make it. */
function requireK6Operator(binDir: string): K6OperatorBuild {
  const build = k6OperatorBuild(binDir);
  if (build === undefined || build.crds.length === 0) {
    throw new SetupError(
      `the test bed's k6-operator is not built in ${join(binDir, K6_OPERATOR_FOLDER)}: run testbed/build.sh to build it (Go 1.25+; about 3 minutes the first time)`,
    );
  }
  return build;
}

/** Picks the ports and writes what the components read into `dir`: certificates, tokens, kubeconfigs, `logs/`. */
async function prepareFolder(
  dir: string,
  signal: AbortSignal | undefined,
): Promise<{ layout: ControlPlaneLayout; server: string; restrictedKubeconfig: string }> {
  const [etcdClient, etcdPeer, apiServer, controllerManager] = (await freePorts(4)) as [number, number, number, number];
  const server = `https://127.0.0.1:${apiServer}`;
  const layout: ControlPlaneLayout = {
    dir,
    ports: { etcdClient, etcdPeer, apiServer, controllerManager },
    certs: await makeCertificates(dir, withSignal(signal)),
    tokens: join(dir, 'tokens.csv'),
    kubeconfig: join(dir, 'kubeconfig'),
  };
  const restrictedKubeconfig = join(dir, 'restricted.kubeconfig');
  writeCredentials(layout, server, restrictedKubeconfig);
  mkdirSync(join(dir, 'logs'));
  return { layout, server, restrictedKubeconfig };
}

/**
 * Resolves once the CRDs are served, the API server is ready, the `restricted` user is set up and the controller
 * manager has made the `default` ServiceAccount.
 */
async function waitUntilReady(
  client: KubeClient,
  crds: Crds,
  wait: Wait,
  signal: AbortSignal | undefined,
): Promise<void> {
  const install = (list: readonly KubeObject[]) =>
    Promise.all(list.map((crd) => installCrd(client, crd, wait, signal)));
  // OpenShift's CRDs go in as soon as the API server answers (system:masters needs no RBAC), while /readyz waits
  // for the rest of its start-up.
  const crdsServed = install(crds.early);
  const readyz = wait('the API server to be ready (/readyz)', async () => {
    return (await client.raw('/readyz', withSignal(signal))).statusCode === 200;
  });
  await Promise.all([
    crdsServed,
    readyz.then(() =>
      Promise.all([
        // The Gateway API's, once it is ready: compiling their validation rules while it starts could keep
        // it from its own readiness past the 10 s the controller manager waits for it on a busy machine.
        install(crds.late),
        setUpRestrictedUser(client, signal),
        wait('the controller manager to create the ServiceAccount default/default', () =>
          exists(client, { apiVersion: 'v1', plural: 'serviceaccounts', namespace: 'default' }, 'default', signal),
        ),
      ]),
    ),
  ]);
}

/** The token file and the two kubeconfigs (admin, restricted), readable by the owner only. */
function writeCredentials(layout: ControlPlaneLayout, server: string, restrictedKubeconfig: string): void {
  const adminToken = randomBytes(24).toString('hex');
  const restrictedToken = randomBytes(24).toString('hex');
  const secret = { mode: 0o600 };
  writeFileSync(
    layout.tokens,
    `${adminToken},admin,admin,"system:masters"\n${restrictedToken},${RESTRICTED_USER},${RESTRICTED_USER}\n`,
    secret,
  );
  const common = { server, caFile: layout.certs.caCert, context: 'zdd-testbed' };
  writeFileSync(layout.kubeconfig, kubeconfigYaml({ ...common, user: 'admin', token: adminToken }), secret);
  writeFileSync(
    restrictedKubeconfig,
    kubeconfigYaml({ ...common, user: RESTRICTED_USER, token: restrictedToken, namespace: RESTRICTED_NAMESPACE }),
    secret,
  );
}

/** The Gateway API version of the CRDs installed, when there are any. */
function gatewayApi(binDir: string): { gatewayApiVersion?: string } {
  if (gatewayApiCrdFiles(binDir).length === 0) return {};
  return { gatewayApiVersion: gatewayApiVersion(binDir) ?? 'unknown' };
}

/** The CRDs the test bed installs: OpenShift's at once, the Gateway API's once the API server is ready. */
interface Crds {
  readonly early: readonly KubeObject[];
  readonly late: readonly KubeObject[];
}

/** The Route CRD as it is, the DeploymentConfig CRD made applicable, the Gateway API's and the k6-operator's as they ship. */
function readCrds(binDir: string, operator: K6OperatorBuild | undefined): Crds {
  const schemas = join(packageRoot(), 'schemas', 'openshift');
  const route = join(schemas, 'route.openshift.io_routes.crd.yaml');
  const deploymentConfig = join(schemas, 'apps.openshift.io_deploymentconfigs.crd.yaml');
  return {
    early: [
      parseCrd(readFileSync(route, 'utf8'), route),
      applicableDeploymentConfigCrd(readFileSync(deploymentConfig, 'utf8'), deploymentConfig),
    ],
    late: [...readCrdFiles(gatewayApiCrdFiles(binDir)), ...(operator?.crds ?? [])],
  };
}

type Wait = (what: string, check: () => Promise<boolean>) => Promise<void>;

/**
 * Applies a CRD server-side (the DeploymentConfig one is too big for the
 * last-applied annotation of client-side apply) and waits until its objects
 * are served.
 */
async function installCrd(
  api: KubeClient,
  crd: KubeObject,
  wait: Wait,
  signal: AbortSignal | undefined,
): Promise<void> {
  const name = crd.metadata?.name ?? '';
  await wait(`the API server to accept the CRD ${name}`, async () => {
    await api.patch(CRDS, name, crd, {
      type: 'apply',
      fieldManager: FIELD_MANAGER,
      force: true,
      ...withSignal(signal),
    });
    return true;
  });
  await wait(`the CRD ${name} to be established`, async () =>
    established(await api.get(CRDS, name, withSignal(signal))),
  );
  // Established is not served yet: until the resource's storage is ready, lists answer 429.
  const served = servedResource(crd);
  await wait(`the API server to serve ${served.plural}.${served.apiVersion}`, async () => {
    await api.list(served, withSignal(signal));
    return true;
  });
}

/** Polls `check` every 100 ms until it holds; fails when a component exits, at the deadline, or on abort. */
async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  context: { deadline: number; signal: AbortSignal | undefined; running: readonly Component[] },
): Promise<void> {
  for (;;) {
    if (context.signal?.aborted) throw new InterruptedError();
    const gone = context.running.find((component) => component.exit() !== undefined);
    if (gone) {
      throw new SetupError(`the test bed's ${gone.name} ${gone.exit()} while waiting for ${what}\n${gone.tail()}`);
    }
    try {
      if (await check()) return;
    } catch (error) {
      if (context.signal?.aborted) throw new InterruptedError();
      if (!notYet(error)) throw error;
    }
    if (Date.now() >= context.deadline) {
      const logs = context.running.map((component) => component.tail()).join('');
      throw new SetupError(`the test bed's control plane was not ready in time: still waiting for ${what}\n${logs}`);
    }
    await delay(100, context.signal);
  }
}

/**
 * What a control plane that is still starting answers: refused connections,
 * 5xx, 404 (a resource not registered yet), 401/403 (RBAC's bootstrap roles not
 * loaded yet), 429 (storage initialising).
 */
function notYet(error: unknown): boolean {
  if (error instanceof KubeConnectionError) return true;
  return isKubeApiError(error) && (error.statusCode >= 500 || [401, 403, 404, 429].includes(error.statusCode));
}

async function setUpRestrictedUser(api: KubeClient, signal: AbortSignal | undefined): Promise<void> {
  for (const object of restrictedUserObjects()) {
    const resource: Resource =
      object.kind === 'Namespace'
        ? { apiVersion: 'v1', plural: 'namespaces' }
        : {
            apiVersion: object.apiVersion ?? '',
            plural: object.kind === 'Role' ? 'roles' : 'rolebindings',
            namespace: RESTRICTED_NAMESPACE,
          };
    await api.create(resource, object, withSignal(signal));
  }
}

async function exists(api: KubeClient, resource: Resource, name: string, signal: AbortSignal | undefined) {
  try {
    await api.get(resource, name, withSignal(signal));
    return true;
  } catch (error) {
    if (isKubeApiError(error, 404)) return false;
    throw error;
  }
}

/** The resource a CRD defines, in its first served version. */
function servedResource(crd: KubeObject): Resource {
  const spec = crd.spec as {
    group: string;
    names: { plural: string };
    versions: Array<{ name: string; served: boolean }>;
  };
  const version = spec.versions.find((candidate) => candidate.served)?.name ?? 'v1';
  return { apiVersion: `${spec.group}/${version}`, plural: spec.names.plural };
}

function established(crd: KubeObject): boolean {
  const status = crd.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined;
  return (
    status?.conditions?.some((condition) => condition.type === 'Established' && condition.status === 'True') ?? false
  );
}

function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
