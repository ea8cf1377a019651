import type { Pod } from './pod.js';

/**
 * What a rollout strategy needs from a revision: the local cluster's
 * `Revision` (its pods in this process), or the test bed's
 * ReplicationController behind the Kubernetes API.
 */
export interface RolloutRevision {
  readonly name: string;
  /** The replicas it was last scaled to. */
  readonly desired: number;
  /** Sets `desired`; its pods follow (at once here, through the controllers on a cluster). */
  scaleTo(count: number): void;
  /** Its pods ready for at least `minReadyMs` and not being deleted. */
  available(minReadyMs: number): number;
  /** Resolves when none of its pods runs any more. */
  drained(): Promise<void>;
}

/**
 * One revision of a workload: a ReplicationController (DeploymentConfig) or a
 * ReplicaSet (Deployment) that keeps `desired` pods.
 */
export class Revision implements RolloutRevision {
  desired = 0;
  /** Pods that have not exited yet, terminating ones included. */
  pods: Pod[] = [];

  constructor(
    readonly name: string,
    readonly number: number,
    private readonly newPod: (revision: Revision) => Pod,
  ) {}

  /** Pods not being deleted. */
  get active(): Pod[] {
    return this.pods.filter((pod) => pod.deletedAt === undefined);
  }

  available(minReadyMs: number): number {
    const now = Date.now();
    return this.active.filter((pod) => pod.available(minReadyMs, now)).length;
  }

  /**
   * Creates or deletes pods to reach `count`. Deletes the pods that matter
   * least first, as a ReplicaSet does: not ready before ready, newest first.
   */
  scaleTo(count: number): void {
    this.desired = count;
    const active = this.active;
    for (let i = active.length; i < count; i++) {
      const pod = this.newPod(this);
      this.pods.push(pod);
      void pod.start();
      void pod.whenExited().then(() => {
        this.pods = this.pods.filter((p) => p !== pod);
      });
    }
    const extra = [...active]
      .sort((a, b) => Number(a.ready) - Number(b.ready) || b.createdAt - a.createdAt)
      .slice(0, Math.max(0, active.length - count));
    for (const pod of extra) void pod.delete();
  }

  /** Deletes `count` pods that are not available (the cleanup a Deployment does first). */
  deleteUnavailable(count: number, minReadyMs: number): number {
    const now = Date.now();
    const victims = this.active.filter((pod) => !pod.available(minReadyMs, now)).slice(0, count);
    this.desired -= victims.length;
    for (const pod of victims) void pod.delete();
    return victims.length;
  }

  /** Resolves when every pod of this revision has exited. */
  async drained(): Promise<void> {
    await Promise.all(this.pods.map((pod) => pod.whenExited()));
  }
}
