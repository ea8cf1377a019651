import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { SidecarProxy } from '../../platforms/profile.js';
import { Changes } from '../../runtime/changes.js';
import { UsageError } from '../../runtime/errors.js';
import type { EventLog } from '../../runtime/events.js';
import type { ProcessSupervisor } from '../../runtime/processes.js';
import type { Timing } from '../../runtime/timing.js';
import type { RolloutResult } from '../rollout-result.js';
import type { ImageMapping } from './images.js';
import type { WorkloadObject } from './objects.js';
import { Pod } from './pod.js';
import { Revision } from './revision.js';
import { sidecarDrainSeconds } from './sidecar.js';
import { dcRolling, deploymentRolling, type RolloutContext, RolloutTimeout, recreate } from './strategies.js';

export interface WorkloadControllerOptions {
  readonly object: WorkloadObject;
  readonly mapping: ImageMapping;
  readonly supervisor: ProcessSupervisor;
  readonly events: EventLog;
  readonly timing: Timing;
  readonly workDir: string;
  /** Called on every pod change (endpoints follow). */
  readonly onPodChange: () => void;
  /** The platform's sidecar proxy, injected into every pod. @default - none */
  readonly sidecar?: SidecarProxy;
}

/**
 * A DeploymentConfig or Deployment: its revisions and rollouts. `oc rollout
 * latest` / `oc rollout restart` start a new revision of the same template.
 */
export class WorkloadController {
  readonly name: string;
  readonly kind: WorkloadObject['kind'];
  private readonly revisions: Revision[] = [];
  private readonly changes = new Changes();
  private readonly abort = new AbortController();
  private rolling: Promise<RolloutResult> | undefined;

  constructor(private readonly options: WorkloadControllerOptions) {
    this.name = options.object.metadata.name;
    this.kind = options.object.kind;
  }

  get replicas(): number {
    return this.options.object.spec.replicas;
  }

  get latest(): Revision | undefined {
    return this.revisions.at(-1);
  }

  /** Every pod that has not exited, newest revision last. */
  get pods(): Pod[] {
    return this.revisions.flatMap((revision) => revision.pods);
  }

  /** The first revision, scaled straight to `replicas`. */
  deploy(): void {
    const revision = this.newRevision();
    revision.scaleTo(this.replicas);
    this.options.events.record('scaled', revision.name, { workload: this.name, detail: `to ${this.replicas}` });
  }

  /** True when the latest revision has `replicas` available pods and no older pod is left. */
  settled(): boolean {
    const latest = this.latest;
    const minReady = this.minReadyMs();
    return (
      latest !== undefined &&
      latest.available(minReady) === this.replicas &&
      this.revisions.every((revision) => revision === latest || revision.pods.length === 0)
    );
  }

  /** True while a rollout runs. */
  get rollingOut(): boolean {
    return this.rolling !== undefined;
  }

  /**
   * Starts a rollout of a new revision; resolves when it completes or fails.
   * With a `deadline`, a rollout still running after `deadline.ms` stops and
   * fails with `deadline.reason` (a DeploymentConfig then rolls back, as it
   * does past its own timeoutSeconds).
   */
  rollout(deadline?: { readonly ms: number; readonly reason: string }): Promise<RolloutResult> {
    if (this.rolling) {
      throw new UsageError(`${this.kind}/${this.name}: a rollout is already in progress; wait for it to finish`);
    }
    const olds = this.revisions.filter((revision) => revision.desired > 0 || revision.pods.length > 0);
    const latest = this.newRevision();
    const startedAt = Date.now();
    const overdue = new AbortController();
    const timer = deadline === undefined ? undefined : setTimeout(() => overdue.abort(), deadline.ms);
    this.options.events.record('rollout-started', latest.name, {
      workload: this.name,
      detail: this.options.object.spec.strategy.type,
    });
    const context: RolloutContext = {
      workload: this.name,
      replicas: this.replicas,
      latest,
      olds,
      minReadyMs: this.minReadyMs(),
      changes: this.changes,
      events: this.options.events,
      signal: AbortSignal.any([this.abort.signal, overdue.signal]),
    };
    this.rolling = this.runStrategy(context)
      .then(
        () =>
          overdue.signal.aborted && !this.abort.signal.aborted
            ? this.fail(context, startedAt, new RolloutTimeout(deadline?.reason ?? 'past its deadline'))
            : this.finish(latest, startedAt, 'completed'),
        (error: unknown) => this.fail(context, startedAt, error),
      )
      .finally(() => clearTimeout(timer));
    return this.rolling;
  }

  /** Called on every pod change. */
  podChanged(): void {
    this.changes.notify();
  }

  /** Stops rollouts and deletes every pod at once (SIGKILL follows from the supervisor). */
  stop(): void {
    this.abort.abort();
    for (const pod of this.pods) pod.halt();
  }

  private async runStrategy(context: RolloutContext): Promise<void> {
    const { object, timing } = this.options;
    if (object.kind === 'DeploymentConfig') {
      const { type, rollingParams: p } = object.spec.strategy;
      if (type === 'Recreate') return recreate(context, { timeoutMs: timing.seconds(p.timeoutSeconds) });
      return dcRolling(context, {
        maxSurge: p.maxSurge,
        maxUnavailable: p.maxUnavailable,
        intervalMs: timing.seconds(p.intervalSeconds),
        updatePeriodMs: timing.seconds(p.updatePeriodSeconds),
        timeoutMs: timing.seconds(p.timeoutSeconds),
      });
    }
    const { type, rollingUpdate } = object.spec.strategy;
    const progressDeadlineMs = timing.seconds(object.spec.progressDeadlineSeconds);
    if (type === 'Recreate') return recreate(context, { timeoutMs: progressDeadlineMs });
    return deploymentRolling(context, { ...rollingUpdate, progressDeadlineMs });
  }

  private finish(latest: Revision, startedAt: number, outcome: 'completed'): RolloutResult {
    this.rolling = undefined;
    const endedAt = Date.now();
    this.options.events.record('rollout-completed', latest.name, {
      workload: this.name,
      detail: `${endedAt - startedAt} ms`,
    });
    return { workload: this.name, revision: latest.name, outcome, startedAt, endedAt };
  }

  private fail(context: RolloutContext, startedAt: number, error: unknown): RolloutResult {
    this.rolling = undefined;
    const reason = error instanceof RolloutTimeout ? error.message : String(error);
    // A DeploymentConfig rolls back to the previous revision; a Deployment stays where it is.
    if (this.kind === 'DeploymentConfig') {
      context.latest.scaleTo(0);
      const previous = context.olds.at(-1);
      previous?.scaleTo(this.replicas);
    }
    this.options.events.record('rollout-failed', context.latest.name, {
      workload: this.name,
      detail: `${reason}${this.kind === 'DeploymentConfig' ? '; rolled back' : ''}`,
    });
    return {
      workload: this.name,
      revision: context.latest.name,
      outcome: 'failed',
      startedAt,
      endedAt: Date.now(),
      reason,
    };
  }

  private newRevision(): Revision {
    const number = this.revisions.length + 1;
    const name =
      this.kind === 'DeploymentConfig'
        ? `${this.name}-${number}`
        : `${this.name}-${createHash('sha256').update(`${this.name}/${number}`).digest('hex').slice(0, 10)}`;
    const revision = new Revision(name, number, (owner) => this.newPod(owner));
    this.revisions.push(revision);
    return revision;
  }

  private newPod(revision: Revision): Pod {
    const { options } = this;
    const name = `${revision.name}-${randomSuffix()}`;
    return new Pod({
      name,
      workload: this.name,
      revision: revision.name,
      template: options.object.spec.template,
      mapping: options.mapping,
      supervisor: options.supervisor,
      events: options.events,
      timing: options.timing,
      dir: join(options.workDir, name),
      onChange: () => options.onPodChange(),
      ...(options.sidecar && {
        sidecarDrainSeconds: sidecarDrainSeconds(options.sidecar, options.object.spec.template.metadata.annotations),
      }),
    });
  }

  private minReadyMs(): number {
    return this.options.timing.seconds(this.options.object.spec.minReadySeconds);
  }
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[Math.floor(Math.random() * alphabet.length)];
  return suffix;
}
