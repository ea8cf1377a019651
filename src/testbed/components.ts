import type { ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessSupervisor } from '../runtime/processes.js';
import type { TestbedCertificates } from './certificates.js';
import { k6OperatorArgs } from './k6-operator.js';
import { SERVICE_NETWORK } from './network/cluster-network.js';

/** The control plane's processes: three always, the k6-operator when asked for (`k6-operator.ts`). */
export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'k6-operator';
/** The components every control plane runs (testbed/build.sh builds them into testbed/bin). */
export const COMPONENTS: readonly ComponentName[] = ['etcd', 'kube-apiserver', 'kube-controller-manager'];

/**
 * The controllers the test bed runs (1.35 names). No scheduler, no kubelet,
 * no node lifecycle: zdd's node agent binds pods and reports their status.
 */
export const CONTROLLERS = [
  'deployment-controller',
  'replicaset-controller',
  'replicationcontroller-controller',
  // Jobs run their pods (the k6-operator's runners are Jobs).
  'job-controller',
  'endpointslice-controller',
  'endpoints-controller',
  'endpointslice-mirroring-controller',
  // PodDisruptionBudgets' status (allowed disruptions, healthy pods), as on any cluster.
  'disruption-controller',
  'serviceaccount-controller',
  'namespace-controller',
  'garbage-collector-controller',
  'pod-garbage-collector-controller',
] as const;

/** Where everything of one control plane is: its folder, ports and files. */
export interface ControlPlaneLayout {
  readonly dir: string;
  readonly ports: {
    readonly etcdClient: number;
    readonly etcdPeer: number;
    readonly apiServer: number;
    readonly controllerManager: number;
  };
  readonly certs: TestbedCertificates;
  /** The API server's token file (`token,user,uid,"groups"` lines). */
  readonly tokens: string;
  /** The admin kubeconfig the controller manager uses. */
  readonly kubeconfig: string;
}

/** Each component's command-line flags: loopback only, TLS, token auth, RBAC. */
export function componentArgs(layout: ControlPlaneLayout): Record<ComponentName, string[]> {
  const { dir, ports, certs } = layout;
  return {
    etcd: [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-url=http://127.0.0.1:${ports.etcdClient}`,
      `--listen-peer-url=http://127.0.0.1:${ports.etcdPeer}`,
    ],
    'kube-apiserver': [
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${ports.apiServer}`,
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      `--cert-dir=${join(dir, 'kube-apiserver')}`,
      `--tls-cert-file=${certs.serverCert}`,
      `--tls-private-key-file=${certs.serverKey}`,
      `--token-auth-file=${layout.tokens}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${certs.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${certs.serviceAccountKey}`,
      `--service-cluster-ip-range=${SERVICE_NETWORK}`,
      // The `kubernetes` Service would advertise 127.0.0.1, which the API refuses as an endpoint.
      '--endpoint-reconciler-type=none',
      // The node agent lists its loopback address, where it serves pod logs (node-logs.ts); never a host name.
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false',
    ],
    'kube-controller-manager': [
      `--kubeconfig=${layout.kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      `--cert-dir=${join(dir, 'kube-controller-manager')}`,
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      `--controllers=${CONTROLLERS.join(',')}`,
      '--profiling=false',
    ],
    'k6-operator': k6OperatorArgs(layout.kubeconfig),
  };
}

/** The binaries that `binDir` lacks (or cannot run); empty when the control plane can start. */
export function missingBinaries(binDir: string): ComponentName[] {
  return COMPONENTS.filter((name) => {
    try {
      accessSync(join(binDir, name), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

/** A running component. */
export interface Component {
  readonly name: ComponentName;
  readonly pid: number;
  /** Its stdout and stderr. */
  readonly log: string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<void>;
  /** `exited with code 1`, `was killed by SIGKILL`, …, or undefined while it runs. */
  exit(): string | undefined;
  /** The last lines of its log, headed by its name. */
  tail(): string;
}

/** Starts one component through `supervisor` (so the watchdog kills it if zdd dies), logging to `dir/logs/`. */
export function spawnComponent(
  supervisor: ProcessSupervisor,
  binDir: string,
  dir: string,
  name: ComponentName,
  args: readonly string[],
  /** Runs it another way (inside the cluster network: `ClusterNetwork.inside`). @default as it is */
  wrap: (command: string, args: readonly string[]) => { command: string; args: readonly string[] } = (
    command,
    rest,
  ) => ({ command, args: rest }),
): Component {
  const log = join(dir, 'logs', `${name}.log`);
  const fd = openSync(log, 'a');
  let child: ChildProcess;
  try {
    const run = wrap(join(binDir, name), args);
    child = supervisor.spawn(run.command, run.args, { cwd: dir, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd); // the child has its own copy
  }
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exit ??= `could not start: ${error.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exit ??= signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
      resolve();
    });
  });
  return {
    name,
    pid: child.pid ?? 0,
    log,
    exited,
    exit: () => exit,
    tail: () => `--- last lines of ${name}'s log ---\n${lastLines(log, 15)}\n`,
  };
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}
