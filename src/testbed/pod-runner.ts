import { findImageMapping, type ImageMapping } from '../cluster/local/images.js';
import { type PodTemplateSpec, podTemplateSchema } from '../cluster/local/objects.js';
import { Pod } from '../cluster/local/pod.js';
import { ProbeState, probeOnce } from '../cluster/local/probes.js';
import type { KubeClient } from '../kube/api-client.js';
import { EventLog } from '../runtime/events.js';
import type { ProcessSupervisor } from '../runtime/processes.js';
import { Ticker, type Timing } from '../runtime/timing.js';
import type { ApiPod } from './api-objects.js';
import { removePod, sendPodStatus } from './pod-api.js';
import {
  apiPodStatus,
  ConditionClock,
  type ContainerReport,
  type ContainerState,
  type PodPhase,
  parseExit,
  type Terminated,
  terminated,
} from './pod-status.js';
import { StatusSender } from './status-sender.js';

export interface PodRunnerOptions {
  readonly api: KubeClient;
  /** The pod as the API has it, bound to this node. */
  readonly pod: ApiPod;
  /** Its address (see pod-ips.ts). */
  readonly ip: string;
  readonly hostIP: string;
  /** Tried in order. */
  readonly mappings: readonly ImageMapping[];
  readonly supervisor: ProcessSupervisor;
  readonly timing: Timing;
  /** The pod's folder (its log, the app's PID file); the agent removes its parent. */
  readonly dir: string;
  /** The node's event log: the pod's events are copied there. */
  readonly events: EventLog;
  /** The pod's loopback port changed (it started, or its container restarted on a fresh port). */
  readonly onPortChange: () => void;
  readonly onError: (error: unknown) => void;
}

/**
 * One pod on the node, as the kubelet runs it: its first container as a local
 * process through the local cluster's `Pod` (probes, preStop, SIGTERM,
 * SIGKILL at the grace deadline), its status reported through
 * `pods/NAME/status`, and once it is deleted and its process has exited, the
 * final delete with grace period 0 that removes it from the API.
 */
export class PodRunner {
  readonly uid: string;
  /** Resolves when the pod is over here: its process exited and the API was told. */
  readonly done: Promise<void>;
  private api: ApiPod;
  private pod: Pod | undefined;
  private template: PodTemplateSpec | undefined;
  private waiting: { reason: string; message: string } | undefined;
  private readonly clock = new ConditionClock();
  private readonly startTime = Date.now();
  private startedAt: number | undefined;
  private lastExit: Terminated | undefined;
  private finalExit: Terminated | undefined;
  private terminationReady: (() => boolean) | undefined;
  private readonly stop = new AbortController();
  private status: StatusSender;
  private markDone: () => void = () => {};
  private terminating = false;
  private gone = false;

  constructor(private readonly options: PodRunnerOptions) {
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

  /** The loopback port of a container port, while the container serves on one. */
  hostPort(containerPort: number): number | undefined {
    return this.pod?.hostPort(containerPort);
  }

  /** The container's process id, while it runs. */
  get pid(): number | undefined {
    return this.pod?.pid;
  }

  /** Starts the container, or reports why it cannot (an image without a local command, a spec it cannot run). */
  start(): void {
    const container = this.api.spec?.containers?.[0];
    const image = container?.image ?? '';
    const mapping = findImageMapping(this.options.mappings, image);
    const parsed = podTemplateSchema.safeParse({ metadata: this.api.metadata, spec: this.api.spec });
    if (!mapping) {
      // What a kubelet reports for an image it cannot pull, with what the test bed needs instead.
      this.wait(
        'ErrImagePull',
        `the zdd test bed runs only images mapped to local commands, and none is mapped for "${image}"; map it as --image-command does: "${image}=COMMAND ARGS…" (the command gets its port in $PORT)`,
      );
    } else if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.wait(
        'CreateContainerConfigError',
        `the zdd test bed cannot run this pod: spec.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not valid'}`,
      );
    } else {
      this.template = parsed.data;
      const owner = this.api.metadata.ownerReferences?.find((reference) => reference.controller);
      const labels = this.api.metadata.labels ?? {};
      const podEvents = new EventLog();
      podEvents.follow((event) => this.onPodEvent(event));
      this.pod = new Pod({
        name: this.name,
        workload: labels.deploymentconfig ?? labels['app.kubernetes.io/name'] ?? owner?.name ?? this.name,
        revision: owner?.name ?? this.name,
        template: parsed.data,
        mapping,
        supervisor: this.options.supervisor,
        events: podEvents,
        timing: this.options.timing,
        dir: this.options.dir,
        onChange: () => this.status.request(),
      });
      void this.pod.start().then(() => this.options.onPortChange());
    }
    this.status.request();
  }

  /** A newer version of the pod from the API; a deletion timestamp starts its termination. */
  update(pod: ApiPod): void {
    if (pod.metadata.uid !== this.uid) return;
    this.api = pod;
    if (pod.metadata.deletionTimestamp !== undefined && !this.terminating) void this.terminate();
  }

  /** The pod is gone from the API (deleted with grace 0 by someone): stop its process at once. */
  removed(): void {
    this.gone = true;
    this.status.close();
    if (!this.terminating) void this.terminate();
    else if (this.pod && this.template) {
      // Already terminating: the API no longer waits for it, so neither do we.
      this.pod.halt();
      const pid = this.pod.pid;
      if (pid !== undefined) this.options.supervisor.killGroup(pid, 'SIGKILL');
    }
  }

  /** Stops the process without the termination sequence (the node is shutting down). */
  halt(): void {
    this.stop.abort();
    this.status.close();
    this.pod?.halt();
  }

  /**
   * The kubelet's termination: the deletion's grace period (`kubectl delete
   * --grace-period` may shorten the template's), preStop, SIGTERM, SIGKILL at
   * the deadline; the readiness probe keeps running meanwhile, so the Ready
   * condition, and with it the EndpointSlice's `serving`, follow the app.
   * Then the final status and the delete with grace period 0.
   */
  private async terminate(): Promise<void> {
    this.terminating = true;
    const pod = this.pod;
    if (pod && this.template) {
      // A container that is not running (waiting for its restart) has nothing to stop: the kubelet does not
      // wait out its grace period; the local pod would.
      const grace = this.gone || pod.pid === undefined ? 0 : this.api.metadata.deletionGracePeriodSeconds;
      if (grace !== undefined) this.template.spec.terminationGracePeriodSeconds = grace;
      this.terminationReady = this.keepProbingReadiness(pod, this.template);
      await pod.delete();
    }
    if (this.stop.signal.aborted) return this.markDone();
    if (!this.gone) {
      this.status.request();
      await this.status.flushed();
      await removePod(this.options.api, this).catch((error: unknown) => this.options.onError(error));
    }
    this.status.close();
    this.markDone();
  }

  /**
   * The kubelet probes readiness while a pod terminates (liveness and startup
   * stop): the pod stays Ready until its probe fails or its container exits.
   * Returns the current readiness.
   */
  private keepProbingReadiness(pod: Pod, template: PodTemplateSpec): () => boolean {
    const wasReady = pod.ready;
    const probe = template.spec.containers[0]?.readinessProbe;
    if (!probe) return () => wasReady && pod.pid !== undefined;
    const state = new ProbeState(probe, wasReady);
    const { timing } = this.options;
    void (async () => {
      const signal = this.stop.signal;
      const ticker = new Ticker(Date.now(), timing.seconds(probe.periodSeconds));
      while (!signal.aborted && pod.pid !== undefined) {
        const ok = await probeOnce(probe, pod, timing.timeoutMs(probe.timeoutSeconds * 1000), signal);
        if (signal.aborted || pod.pid === undefined) return;
        if (state.record(ok)) this.status.request();
        await ticker.wait(signal);
      }
    })();
    return () => state.passing && pod.pid !== undefined;
  }

  private wait(reason: string, message: string): void {
    this.waiting = { reason, message };
    this.options.events.record('pod-waiting', this.name, { detail: `${reason}: ${message}` });
  }

  /** The local `Pod`'s events: copied to the node's log, and read for the container's start and exits. */
  private onPodEvent(event: { type: Parameters<EventLog['record']>[0]; detail?: string; workload?: string }): void {
    this.options.events.record(event.type, this.name, {
      ...(event.workload !== undefined && { workload: event.workload }),
      ...(event.detail !== undefined && { detail: event.detail }),
    });
    const now = Date.now();
    if (event.type === 'pod-started') {
      this.startedAt = now;
      this.options.onPortChange();
      this.status.request();
    } else if (event.type === 'container-restarted') {
      const how = parseExit(event.detail);
      if (how) this.lastExit = terminated(how, { ...this.since(), finishedAt: now });
      this.startedAt = undefined;
      this.status.request();
    } else if (event.type === 'pod-exited') {
      const how = parseExit(event.detail);
      this.finalExit = how
        ? terminated(how, { ...this.since(), finishedAt: now })
        : { exitCode: this.lastExit?.exitCode ?? 0, reason: this.lastExit?.reason ?? 'Completed', finishedAt: now };
      this.status.request();
    }
  }

  private since(): { startedAt?: number } {
    return this.startedAt === undefined ? {} : { startedAt: this.startedAt };
  }

  private async sendStatus(): Promise<void> {
    if (this.gone) return;
    const status = apiPodStatus(
      {
        phase: this.phase(),
        podIP: this.options.ip,
        hostIP: this.options.hostIP,
        startTime: this.startTime,
        ready: this.ready(),
        container: this.containerReport(),
        ...(this.scheduled() && { scheduled: this.scheduled() }),
      },
      this.clock,
    );
    await sendPodStatus(this.options.api, this, status);
  }

  private scheduled() {
    return this.api.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  }

  private phase(): PodPhase {
    if (this.finalExit) return this.finalExit.exitCode === 0 ? 'Succeeded' : 'Failed';
    if (!this.pod || this.pod.phase === 'Pending') return 'Pending';
    return 'Running';
  }

  private ready(): boolean {
    if (!this.pod || this.finalExit) return false;
    return this.terminationReady ? this.terminationReady() : this.pod.ready;
  }

  private containerReport(): ContainerReport {
    const container = this.api.spec?.containers?.[0];
    const pid = this.pod?.pid;
    return {
      name: container?.name ?? 'container',
      image: container?.image ?? '',
      ready: this.ready(),
      started: pid !== undefined,
      restartCount: this.pod?.restarts ?? 0,
      state: this.containerState(pid),
      ...(this.lastExit && { lastState: this.lastExit }),
      ...(pid !== undefined && { containerId: `zdd://${pid}` }),
    };
  }

  private containerState(pid: number | undefined): ContainerState {
    if (this.waiting) return { waiting: this.waiting };
    if (this.finalExit) return { terminated: this.finalExit };
    if (pid !== undefined) return { running: { startedAt: this.startedAt ?? Date.now() } };
    if (this.lastExit) {
      return {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 10s restarting failed container=${this.containerName()} pod=${this.name}_${this.namespace}(${this.uid})`,
        },
      };
    }
    return { waiting: { reason: 'ContainerCreating' } };
  }

  private containerName(): string {
    return this.api.spec?.containers?.[0]?.name ?? 'container';
  }
}

/** The pod's folder name: namespace, name and uid, so that a pod re-created under the same name gets a fresh one. */
export function podDirName(pod: ApiPod): string {
  return `${pod.metadata.namespace ?? 'default'}_${pod.metadata.name ?? ''}_${(pod.metadata.uid ?? '').slice(0, 8)}`;
}
