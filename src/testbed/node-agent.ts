import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { builtinImageMappings, type ImageMapping } from '../cluster/local/images.js';
import type { KubeClient } from '../kube/api-client.js';
import { isKubeApiError } from '../kube/errors.js';
import { Informer } from '../kube/informer.js';
import { EventLog } from '../runtime/events.js';
import { ProcessSupervisor } from '../runtime/processes.js';
import { makeTempDir } from '../runtime/temp-dir.js';
import { Timing } from '../runtime/timing.js';
import { type ApiPod, inNamespace, RESOURCES } from './api-objects.js';
import { type CommandImage, findCommandImage } from './command-images.js';
import type { ClusterNetwork } from './network/cluster-network.js';
import { NetworkPodRunner } from './network-pod-runner.js';
import { NodeLogServer, type PodLogs } from './node-logs.js';
import { removePod } from './pod-api.js';
import { PodAddressBook, type PodAddressResolver, PodIpPool } from './pod-ips.js';
import { PodRunner, podDirName } from './pod-runner.js';
import { apiTime } from './pod-status.js';

export const DEFAULT_NODE_NAME = 'zdd-node';

/**
 * The address the node reports as each pod's hostIP and as its own InternalIP: the pods really run on this
 * machine's loopback, and the API server reaches the node's log server (node-logs.ts) there.
 */
export const HOST_IP = '127.0.0.1';

/** How often the node says it is alive (Ready's heartbeat and its Lease); the kubelet's lease period is 10 s. */
const HEARTBEAT_MS = 10_000;
const LEASE_SECONDS = 40;

export interface NodeAgentOptions {
  readonly api: KubeClient;
  /** @default 'zdd-node' */
  readonly nodeName?: string;
  /** Run only this namespace's pods. @default every namespace */
  readonly namespace?: string;
  /** Images → local commands, tried before the built-in ones (the sample app's). @default [] */
  readonly imageMappings?: readonly ImageMapping[];
  /**
   * The cluster network (cluster-network.ts): pods of `commandImages` run there, each in a sandbox of its own.
   * @default - none: every pod runs as a mapped local process
   */
  readonly network?: ClusterNetwork;
  /** Images that run their own command, on `network` (command-images.ts). @default [] */
  readonly commandImages?: readonly CommandImage[];
  /**
   * A certificate and key (PEM) for the log server `kubectl logs` reaches through the API server.
   * @default - no log server: the node lists no address, and `kubectl logs` fails at once
   */
  readonly serving?: { readonly cert: string; readonly key: string };
  /** Where pod and node events go (for debugging and tests). @default a new log */
  readonly events?: EventLog;
  /** Told about API calls that failed; the agent goes on. @default ignore */
  readonly onError?: (error: unknown) => void;
}

/**
 * zdd's stand-in for a kubelet and a scheduler on the test bed: registers
 * Node `zdd-node`, binds every pending pod to it, runs each pod's first
 * container as a local process (the local cluster's pod runner: probes,
 * preStop, SIGTERM, SIGKILL at the grace deadline), reports pod status
 * through the API, and removes deleted pods once their process has exited.
 * Every process it starts is in a ProcessSupervisor group and every folder
 * is a watchdog-registered temp folder: nothing outlives zdd, even `kill -9`.
 */
export class NodeAgent {
  readonly nodeName: string;
  readonly events: EventLog;
  private readonly addressBook = new PodAddressBook();
  private readonly ips = new PodIpPool();
  private readonly runners = new Map<string, PodRunner | NetworkPodRunner>();
  private readonly binding = new Set<string>();
  private readonly supervisor = new ProcessSupervisor();
  private readonly dir = makeTempDir('node');
  private readonly mappings: readonly ImageMapping[];
  private readonly timing = new Timing(1);
  private readonly pods: Informer<ApiPod>;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;
  private logServer: NodeLogServer | undefined;
  /** Every pod this node has run, by `namespace/name`: its folder (the log stays after it ends). */
  private readonly podDirs = new Map<string, { dir: string; uid: string }>();

  /** Registers the node and starts running pods. */
  static async start(options: NodeAgentOptions): Promise<NodeAgent> {
    const agent = new NodeAgent(options);
    try {
      if (options.serving) agent.logServer = await NodeLogServer.start({ ...options.serving, logs: agent.podLogs() });
      await agent.register();
    } catch (error) {
      await agent.stop();
      throw error;
    }
    agent.pods.start();
    return agent;
  }

  private constructor(private readonly options: NodeAgentOptions) {
    this.nodeName = options.nodeName ?? DEFAULT_NODE_NAME;
    this.events = options.events ?? new EventLog();
    this.mappings = [...(options.imageMappings ?? []), ...builtinImageMappings(this.timing)];
    this.pods = new Informer<ApiPod>(options.api, inNamespace(RESOURCES.pods, options.namespace), {
      onError: (error) => this.error(error),
    });
    this.pods.onEvent((event) => {
      if (event.type === 'DELETED') this.podDeleted(event.object);
      else this.podChanged(event.object);
    });
  }

  /** Pod address → the loopback port the pod listens on: what the test bed's router connects to. */
  get addresses(): PodAddressResolver {
    return this.addressBook;
  }

  /** Each running pod's name and process id. */
  get processes(): ReadonlyArray<{ readonly namespace: string; readonly name: string; readonly pid: number }> {
    return [...this.runners.values()].flatMap((runner) =>
      runner.pid === undefined ? [] : [{ namespace: runner.namespace, name: runner.name, pid: runner.pid }],
    );
  }

  /** Every process group the agent started and has not seen exit. */
  get processGroups(): readonly number[] {
    return this.supervisor.pids;
  }

  /** The folder holding one folder per pod (its `log`); removed by `stop()`. */
  get podsDir(): string {
    return this.dir.path;
  }

  /** Stops watching, kills every pod's processes, removes the folder. The pods stay in the API as they are. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    await this.logServer?.stop();
    await this.pods.stop();
    for (const runner of this.runners.values()) runner.halt();
    this.supervisor.close();
    this.dir.remove();
  }

  private async register(): Promise<void> {
    const { api } = this.options;
    try {
      await api.create(RESOURCES.nodes, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: this.nodeName,
          labels: {
            'kubernetes.io/hostname': this.nodeName,
            'kubernetes.io/os': 'linux',
            'node.kubernetes.io/instance-type': 'zdd-node-agent',
          },
        },
      });
    } catch (error) {
      if (!isKubeApiError(error, 409)) throw error;
    }
    await this.beat(true);
    // No node lifecycle controller runs on the test bed (see control-plane.ts), so nothing would mark the
    // node NotReady; the heartbeat keeps it honest for anyone who reads it, as a kubelet's does.
    this.heartbeat = setInterval(() => void this.beat(false).catch((error) => this.error(error)), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private async beat(first: boolean): Promise<void> {
    const { api } = this.options;
    const now = apiTime(Date.now());
    const ready = {
      type: 'Ready',
      status: 'True',
      reason: 'KubeletReady',
      message: 'zdd node agent is posting ready status',
      lastHeartbeatTime: now,
      ...(first && { lastTransitionTime: now }),
    };
    const pressure = (type: string, reason: string) => ({
      type,
      status: 'False',
      reason,
      lastHeartbeatTime: now,
      ...(first && { lastTransitionTime: now }),
    });
    const capacity = { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: '110' };
    const status = first
      ? {
          capacity,
          allocatable: capacity,
          conditions: [
            pressure('MemoryPressure', 'KubeletHasSufficientMemory'),
            pressure('DiskPressure', 'KubeletHasNoDiskPressure'),
            pressure('PIDPressure', 'KubeletHasSufficientPID'),
            ready,
          ],
          nodeInfo: nodeInfo(),
          ...(this.logServer && {
            addresses: [{ type: 'InternalIP', address: HOST_IP }],
            daemonEndpoints: { kubeletEndpoint: { Port: this.logServer.port } },
          }),
        }
      : { conditions: [ready] };
    // Strategic merge: conditions merge by type, so a heartbeat keeps each one's lastTransitionTime.
    await api.patch(RESOURCES.nodes, this.nodeName, { status }, { type: 'strategic', subresource: 'status' });
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.nodeName, namespace: 'kube-node-lease' },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds: LEASE_SECONDS, renewTime: microTime(Date.now()) },
    };
    await api.patch(RESOURCES.leases, this.nodeName, lease, {
      type: 'apply',
      fieldManager: 'zdd-node-agent',
      force: true,
    });
  }

  /** Where the log server finds a pod's log, and whether its container still writes to it. */
  private podLogs(): PodLogs {
    return {
      file: (namespace, name) => {
        const known = this.podDirs.get(`${namespace}/${name}`);
        return known && join(known.dir, 'log');
      },
      running: (namespace, name) => {
        const known = this.podDirs.get(`${namespace}/${name}`);
        return known !== undefined && this.runners.get(known.uid)?.pid !== undefined;
      },
    };
  }

  private podChanged(pod: ApiPod): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid ?? '';
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) {
      if (pod.metadata.deletionTimestamp === undefined && !this.binding.has(uid)) void this.bind(pod);
      return;
    }
    if (nodeName !== this.nodeName) return;
    const runner = this.runners.get(uid);
    if (runner) {
      runner.update(pod);
      return;
    }
    if (pod.metadata.deletionTimestamp !== undefined) {
      // Deleted before it ever ran here, or after it ended: nothing to stop.
      void this.forget(pod);
      return;
    }
    const phase = pod.status?.phase;
    if (phase !== 'Succeeded' && phase !== 'Failed') this.run(pod);
  }

  private podDeleted(pod: ApiPod): void {
    const uid = pod.metadata.uid ?? '';
    this.binding.delete(uid);
    this.runners.get(uid)?.removed();
  }

  /** The scheduler's job: bind a pending pod to this node. */
  private async bind(pod: ApiPod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const name = pod.metadata.name ?? '';
    this.binding.add(uid);
    try {
      await this.options.api.create(
        inNamespace(RESOURCES.pods, pod.metadata.namespace),
        {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, uid },
          target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName },
        },
        { name, subresource: 'binding' },
      );
      this.events.record('pod-scheduled', name, { detail: `to ${this.nodeName}` });
    } catch (error) {
      // 409: bound already; 404: deleted meanwhile.
      if (!isKubeApiError(error, 409) && !isKubeApiError(error, 404)) {
        this.binding.delete(uid);
        this.error(error);
      }
    }
  }

  private run(pod: ApiPod): void {
    const ip = this.ips.allocate();
    const { network } = this.options;
    const image = findCommandImage(this.options.commandImages ?? [], pod.spec?.containers?.[0]?.image ?? '');
    const runner = network && image ? this.networkRunner(pod, ip, network, image) : this.localRunner(pod, ip);
    this.podDirs.set(`${runner.namespace}/${runner.name}`, {
      dir: join(this.dir.path, podDirName(pod)),
      uid: runner.uid,
    });
    runner.start();
    void runner.done.then(() => {
      this.runners.delete(runner.uid);
      this.addressBook.delete(ip);
      this.ips.release(ip);
      if (!this.stopped) this.events.record('pod-removed', runner.name, { detail: `${runner.namespace}, ${ip}` });
    });
  }

  private networkRunner(pod: ApiPod, ip: string, network: ClusterNetwork, image: CommandImage): NetworkPodRunner {
    const runner = new NetworkPodRunner({
      api: this.options.api,
      pod,
      ip,
      hostIP: HOST_IP,
      image,
      network,
      supervisor: this.supervisor,
      dir: join(this.dir.path, podDirName(pod)),
      events: this.events,
      onError: (error) => this.error(error),
    });
    this.runners.set(runner.uid, runner);
    return runner;
  }

  private localRunner(pod: ApiPod, ip: string): PodRunner {
    const runner = new PodRunner({
      api: this.options.api,
      pod,
      ip,
      hostIP: HOST_IP,
      mappings: this.mappings,
      supervisor: this.supervisor,
      timing: this.timing,
      dir: join(this.dir.path, podDirName(pod)),
      events: this.events,
      onPortChange: () => this.addressBook.changed(),
      onError: (error) => this.error(error),
    });
    this.runners.set(runner.uid, runner);
    this.addressBook.set(ip, runner);
    return runner;
  }

  private async forget(pod: ApiPod): Promise<void> {
    const ref = {
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
    };
    await removePod(this.options.api, ref).catch((error: unknown) => this.error(error));
  }

  private error(error: unknown): void {
    if (!this.stopped) this.options.onError?.(error);
  }
}

function nodeInfo(): Record<string, string> {
  return {
    architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    operatingSystem: process.platform,
    kubeletVersion: 'zdd-node-agent',
    kubeProxyVersion: '',
    containerRuntimeVersion: `node://${process.versions.node}`,
    osImage: 'zdd test bed (pods are local processes)',
    kernelVersion: '',
    machineID: '',
    systemUUID: '',
    bootID: '',
  };
}

/** A Lease's MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
