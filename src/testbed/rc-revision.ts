import type { RolloutRevision } from '../cluster/local/revision.js';
import type { KubeClient } from '../kube/api-client.js';
import { isKubeApiError } from '../kube/errors.js';
import type { Changes } from '../runtime/changes.js';
import { delay } from '../runtime/timing.js';
import { type ApiPod, type ApiReplicationController, inNamespace, RESOURCES } from './api-objects.js';

/**
 * Runs a rollout's scaling steps one after another, each until the RC
 * controller has acted on it, as OpenShift's deployer does (kubectl's
 * scaleAndWait: `status.replicas == spec.replicas` at the new generation):
 * the old RC's pods are marked for deletion before the new RC's are created.
 */
export class ScaleQueue {
  private last: Promise<void> = Promise.resolve();

  add(step: () => Promise<void>): Promise<void> {
    const next = this.last.then(step);
    this.last = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every step added so far is done. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.last) {
      seen = this.last;
      await seen;
    }
  }
}

export interface ReplicationControllerRevisionOptions {
  readonly api: KubeClient;
  /** The rollout's scaling steps, shared by its revisions. */
  readonly steps: ScaleQueue;
  /** The RC as the controller's watch has it now. */
  readonly current: () => ApiReplicationController | undefined;
  /** Longest wait for the RC controller to act on one step (the deployer uses timeoutSeconds). */
  readonly stepTimeoutMs: number;
  /** The pods the controller knows (every namespace is fine: the RC's namespace and selector pick its own). */
  readonly pods: () => readonly ApiPod[];
  /** Notified on every pod and RC change: waits re-check then. */
  readonly changes: Changes;
  /** Ends the waits early (the rollout was cancelled). */
  readonly signal: AbortSignal;
  readonly onError: (error: unknown) => void;
}

/**
 * A DeploymentConfig's ReplicationController as the local cluster's rollout
 * strategies see a revision: `scaleTo` writes `spec.replicas`, in turn with
 * the rollout's other steps (the real replicationcontroller-controller then
 * creates or deletes pods), and its
 * pods are counted from the API as OpenShift's deployer counts them
 * (the RC's selector, deleted pods left out, `IsPodAvailable` with
 * minReadySeconds).
 */
export class ReplicationControllerRevision implements RolloutRevision {
  readonly name: string;
  desired: number;

  constructor(
    private readonly rc: ApiReplicationController,
    private readonly options: ReplicationControllerRevisionOptions,
  ) {
    this.name = rc.metadata.name ?? '';
    this.desired = rc.spec?.replicas ?? 0;
  }

  /** Sets `desired` at once; the write and the wait for the RC controller queue behind the rollout's earlier steps. */
  scaleTo(count: number): void {
    this.desired = count;
    void this.options.steps.add(() => this.scale(count));
  }

  available(minReadyMs: number): number {
    const now = Date.now();
    return this.pods().filter(
      (pod) => pod.metadata.deletionTimestamp === undefined && isAvailable(pod, minReadyMs, now),
    ).length;
  }

  /** Resolves when no pod of the RC is in a non-terminal phase (the Recreate strategy's wait), or on abort. */
  async drained(): Promise<void> {
    await this.options.steps.idle();
    await this.options.changes.until(() => !this.pods().some(running), Number.POSITIVE_INFINITY, this.options.signal);
  }

  private pods(): ApiPod[] {
    const selector = Object.entries(this.rc.spec?.selector ?? {});
    const namespace = this.rc.metadata.namespace;
    if (selector.length === 0) return [];
    return this.options
      .pods()
      .filter(
        (pod) =>
          pod.metadata.namespace === namespace &&
          selector.every(([key, value]) => pod.metadata.labels?.[key] === value),
      );
  }

  /** Writes `spec.replicas`, then waits until the RC controller has made (or marked for deletion) the pods. */
  private async scale(count: number): Promise<void> {
    const { api, changes, signal } = this.options;
    let generation = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const written = await api.patch<ApiReplicationController>(
          inNamespace(RESOURCES.replicationControllers, this.rc.metadata.namespace),
          this.name,
          { spec: { replicas: count } },
          { type: 'merge', fieldManager: 'zdd-deployer' },
        );
        generation = written.metadata.generation ?? 0;
        break;
      } catch (error) {
        // Deleted meanwhile: its DeploymentConfig went (the garbage collector can delete the RC before this
        // controller sees the DC go and stops the rollout), or someone deleted it; nothing is left to scale, and
        // a rollout that still waits on it ends by its timeout.
        if (isKubeApiError(error, 404)) return;
        if (attempt >= 5 || signal.aborted) {
          this.options.onError(error);
          return;
        }
        await delay(500 * attempt, signal);
      }
    }
    await changes.until(
      () => {
        const status = this.options.current()?.status;
        return (status?.observedGeneration ?? 0) >= generation && (status?.replicas ?? 0) === count;
      },
      this.options.stepTimeoutMs,
      signal,
    );
  }
}

/** podutil.IsPodAvailable: Ready, and for at least minReadySeconds (counted from the condition's transition). */
export function isAvailable(pod: ApiPod, minReadyMs: number, now: number): boolean {
  const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadyMs <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadyMs < now;
}

/** Not in a terminal phase: the deployer's hasRunningPod counts it (Unknown too). */
function running(pod: ApiPod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}
