import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { KubeClient } from '../kube/api-client.js';
import type { KubeObject } from '../kube/resources.js';
import type { EventLog } from '../runtime/events.js';
import type { ProcessSupervisor } from '../runtime/processes.js';
import { delay } from '../runtime/timing.js';
import { type ApiPod, inNamespace } from './api-objects.js';
import type { CommandImage } from './command-images.js';
import type { ClusterNetwork } from './network/cluster-network.js';
import { removePod, sendPodStatus } from './pod-api.js';
import { apiPodStatus, ConditionClock, type ContainerState, type Terminated, terminated } from './pod-status.js';
import { StatusSender } from './status-sender.js';

export interface NetworkPodRunnerOptions {
  readonly api: KubeClient;
  /** The pod as the API has it, bound to this node. */
  readonly pod: ApiPod;
  /** Its address on the cluster network. */
  readonly ip: string;
  readonly hostIP: string;
  readonly image: CommandImage;
  readonly network: ClusterNetwork;
  readonly supervisor: ProcessSupervisor;
  /** The pod's folder: its log and its volumes. */
  readonly dir: string;
  readonly events: EventLog;
  readonly onError: (error: unknown) => void;
}

const podSchema = z.object({
  spec: z.object({
    restartPolicy: z.enum(['Never', 'OnFailure']),
    terminationGracePeriodSeconds: z.number().int().min(0).default(30),
    containers: z
      .array(
        z.object({
          name: z.string(),
          image: z.string(),
          command: z.array(z.string()).min(1),
          args: z.array(z.string()).default([]),
          env: z.array(z.object({ name: z.string(), value: z.string().optional() })).default([]),
          volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() })).default([]),
        }),
      )
      .min(1),
    volumes: z.array(z.object({ name: z.string(), configMap: z.object({ name: z.string() }).optional() })).default([]),
  }),
});
type PodSpec = z.infer<typeof podSchema>['spec'];

interface ApiConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/**
 * A run-to-completion pod (`restartPolicy: Never`, a Job's) whose image runs its own command (command-images.ts),
 * in a sandbox on the test bed's cluster network, as a kubelet with a CNI plugin runs it: a process holds the
 * pod's network namespace (the pause container), the network gives it the pod's address, then the container
 * runs inside it with its ConfigMap volumes in the pod's folder (their mount paths in its command rewritten to
 * that folder). It is Running, and Ready, while the container runs (the test bed runs no probes on this network;
 * the k6-operator checks its runners itself), then Succeeded or Failed by its exit code. Deleted, it gets SIGTERM
 * and, after its grace period, SIGKILL.
 */
export class NetworkPodRunner {
  readonly uid: string;
  readonly done: Promise<void>;
  private api: ApiPod;
  private spec: PodSpec | undefined;
  private sandbox: ChildProcess | undefined;
  private container: ChildProcess | undefined;
  private waiting: { reason: string; message?: string } = { reason: 'ContainerCreating' };
  private startedAt: number | undefined;
  private exit: Terminated | undefined;
  private readonly startTime = Date.now();
  private readonly clock = new ConditionClock();
  private readonly status: StatusSender;
  private markDone: () => void = () => {};
  private terminating = false;
  private gone = false;

  constructor(private readonly options: NetworkPodRunnerOptions) {
    this.api = options.pod;
    this.uid = options.pod.metadata.uid ?? '';
    this.done = new Promise((resolve) => {
      this.markDone = resolve;
    });
    this.status = new StatusSender(() => this.sendStatus(), options.onError);
  }

  get name(): string {
    return this.api.metadata.name ?? '';
  }

  get namespace(): string {
    return this.api.metadata.namespace ?? 'default';
  }

  /** The container's process id, while it runs. */
  get pid(): number | undefined {
    return this.exit === undefined ? this.container?.pid : undefined;
  }

  start(): void {
    this.status.request();
    const parsed = podSchema.safeParse(this.api);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.waiting = {
        reason: 'CreateContainerConfigError',
        message: `the zdd test bed cannot run this pod: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not valid'}`,
      };
      return;
    }
    this.spec = parsed.data.spec;
    void this.run(parsed.data.spec).catch((error: unknown) => {
      this.waiting = {
        reason: 'CreateContainerError',
        message: error instanceof Error ? error.message : String(error),
      };
      this.options.onError(error);
      this.status.request();
    });
  }

  update(pod: ApiPod): void {
    if (pod.metadata.uid !== this.uid) return;
    this.api = pod;
    if (pod.metadata.deletionTimestamp !== undefined && !this.terminating) void this.terminate();
  }

  /** The pod is gone from the API: its processes are killed, and it is over here. */
  removed(): void {
    this.halt();
  }

  /** Stops the processes (the node is shutting down, or the pod is gone). */
  halt(): void {
    this.gone = true;
    this.status.close();
    this.kill();
    this.markDone();
  }

  private async run(spec: PodSpec): Promise<void> {
    const container = spec.containers[0] as PodSpec['containers'][number];
    mkdirSync(this.options.dir, { recursive: true });
    const mounts = await this.volumes(spec);
    const { supervisor, network } = this.options;
    this.sandbox = supervisor.spawn('unshare', ['--net', '--', 'sleep', 'infinity']);
    await this.sandboxReady(this.sandbox);
    await network.attach(this.sandbox.pid ?? 0, this.options.ip);
    if (this.terminating || this.gone) return this.kill();
    const [program = '', ...rest] = [...container.command, ...container.args].map((part) => mounted(part, mounts));
    const local = this.options.image.programs[program] ?? program;
    const log = openSync(join(this.options.dir, 'log'), 'a');
    try {
      this.container = supervisor.spawn('nsenter', [`--net=/proc/${this.sandbox.pid}/ns/net`, '--', local, ...rest], {
        cwd: this.options.dir,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOSTNAME: this.name,
          ...Object.fromEntries(container.env.map(({ name, value }) => [name, value ?? ''])),
        },
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    this.startedAt = Date.now();
    this.options.events.record('pod-started', this.name, { detail: `${this.namespace}, ${this.options.ip}` });
    this.container.once('exit', (code, signal) => {
      this.exit = terminated(signal === null ? { code: code ?? 0 } : { signal }, {
        ...(this.startedAt !== undefined && { startedAt: this.startedAt }),
        finishedAt: Date.now(),
      });
      this.options.events.record('pod-exited', this.name, { detail: `exit code ${this.exit.exitCode}` });
      this.kill();
      void this.finish();
    });
    this.status.request();
  }

  /** Each ConfigMap volume's files in the pod's folder: mount path → folder. */
  private async volumes(spec: PodSpec): Promise<Map<string, string>> {
    const container = spec.containers[0];
    const mounts = new Map<string, string>();
    for (const mount of container?.volumeMounts ?? []) {
      const volume = spec.volumes.find((candidate) => candidate.name === mount.name);
      if (!volume?.configMap) continue;
      const configMap = await this.options.api.get<ApiConfigMap>(
        inNamespace({ apiVersion: 'v1', plural: 'configmaps' }, this.namespace),
        volume.configMap.name,
      );
      const folder = join(this.options.dir, 'volumes', volume.name);
      mkdirSync(folder, { recursive: true });
      for (const [key, text] of Object.entries(configMap.data ?? {})) writeFileSync(join(folder, key), text);
      mounts.set(mount.mountPath.replace(/\/+$/, ''), folder);
    }
    return mounts;
  }

  /** Resolves once `unshare` has made the sandbox's namespace (its own differs from this process's). */
  private async sandboxReady(sandbox: ChildProcess): Promise<void> {
    const own = await readlink('/proc/self/ns/net');
    for (let tries = 0; tries < 200; tries++) {
      const theirs = await readlink(`/proc/${sandbox.pid}/ns/net`).catch(() => own);
      if (theirs !== own) return;
      if (sandbox.exitCode !== null) break;
      await delay(10);
    }
    throw new Error('the pod sandbox did not get a network namespace of its own');
  }

  private async terminate(): Promise<void> {
    this.terminating = true;
    const container = this.container;
    if (container && this.exit === undefined) {
      this.options.supervisor.signal(container, 'SIGTERM');
      const grace = this.api.metadata.deletionGracePeriodSeconds ?? this.spec?.terminationGracePeriodSeconds ?? 30;
      const exited = new Promise((resolve) => container.once('exit', resolve));
      await Promise.race([exited, delay(grace * 1000)]);
    }
    this.kill();
    await this.finish();
    if (this.gone) return;
    await removePod(this.options.api, this).catch((error: unknown) => this.options.onError(error));
  }

  private async finish(): Promise<void> {
    this.status.request();
    await this.status.flushed();
    this.markDone();
  }

  private kill(): void {
    for (const child of [this.container, this.sandbox]) {
      if (child?.pid !== undefined) this.options.supervisor.killGroup(child.pid, 'SIGKILL');
    }
  }

  private async sendStatus(): Promise<void> {
    if (this.gone) return;
    const running = this.container !== undefined && this.exit === undefined;
    const container = this.api.spec?.containers?.[0];
    const state: ContainerState = this.exit
      ? { terminated: this.exit }
      : running
        ? { running: { startedAt: this.startedAt ?? Date.now() } }
        : { waiting: this.waiting };
    const status = apiPodStatus(
      {
        phase: this.exit ? (this.exit.exitCode === 0 ? 'Succeeded' : 'Failed') : running ? 'Running' : 'Pending',
        ...(this.sandbox && { podIP: this.options.ip }),
        hostIP: this.options.hostIP,
        startTime: this.startTime,
        ready: running,
        container: {
          name: container?.name ?? 'container',
          image: container?.image ?? '',
          ready: running,
          started: running,
          restartCount: 0,
          state,
          ...(this.container?.pid !== undefined && { containerId: `zdd://${this.container.pid}` }),
        },
      },
      this.clock,
    );
    await sendPodStatus(this.options.api, this, status);
  }
}

/** A command's word with a volume's mount path (`/test/x.js`, `/test`) replaced by its folder here. */
function mounted(part: string, mounts: ReadonlyMap<string, string>): string {
  let local = part;
  for (const [path, folder] of mounts) local = local.split(`${path}/`).join(`${folder}/`);
  for (const [path, folder] of mounts) if (local === path) local = folder;
  return local;
}
