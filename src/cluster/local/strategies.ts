import { resolveRolling } from '../../kubernetes/count-or-percent.js';
import type { Changes } from '../../runtime/changes.js';
import type { EventLog } from '../../runtime/events.js';
import { Timeline } from '../../runtime/timing.js';
import type { Revision, RolloutRevision } from './revision.js';

/**
 * What a rollout strategy works with. All durations in real milliseconds.
 * `dcRolling` and `recreate` need only `RolloutRevision`s, so the test bed
 * runs them over ReplicationControllers; `deploymentRolling` deletes chosen
 * pods itself and needs the local `Revision`.
 */
export interface RolloutContext<R extends RolloutRevision = Revision> {
  readonly workload: string;
  readonly replicas: number;
  readonly latest: R;
  readonly olds: readonly R[];
  readonly minReadyMs: number;
  readonly changes: Changes;
  readonly events: EventLog;
  readonly signal: AbortSignal;
}

export class RolloutTimeout extends Error {
  override name = 'RolloutTimeout';
}

function oldDesired(context: RolloutContext<RolloutRevision>): number {
  return context.olds.reduce((sum, revision) => sum + revision.desired, 0);
}

function scaleDownOlds(context: RolloutContext<RolloutRevision>, count: number): void {
  let left = count;
  for (const revision of context.olds) {
    const step = Math.min(left, revision.desired);
    if (step > 0) {
      revision.scaleTo(revision.desired - step);
      scaled(context, revision);
      left -= step;
    }
  }
}

function scaled(context: RolloutContext<RolloutRevision>, revision: RolloutRevision): void {
  context.events.record('scaled', revision.name, { workload: context.workload, detail: `to ${revision.desired}` });
}

/**
 * DeploymentConfig `Rolling`: the deployer's loop (kubectl's RollingUpdater):
 * scale the new RC up within maxSurge, wait `updatePeriodSeconds`, then, once
 * pods are available (polled every `intervalSeconds`), scale the old RC down
 * as far as maxUnavailable allows; give up after `timeoutSeconds`.
 */
export async function dcRolling(
  context: RolloutContext<RolloutRevision>,
  params: {
    maxSurge: number | string;
    maxUnavailable: number | string;
    intervalMs: number;
    updatePeriodMs: number;
    timeoutMs: number;
  },
): Promise<void> {
  const desired = context.replicas;
  const { surge, unavailable } = resolveRolling(params.maxSurge, params.maxUnavailable, desired);
  const minAvailable = desired - unavailable;
  const deadline = Date.now() + params.timeoutMs;
  const { latest } = context;
  // The deployer sleeps and polls on one timeline: timer lateness, which the time scale does not shrink, must not
  // add up over the rollout's steps.
  const timeline = new Timeline();
  while (latest.desired !== desired || oldDesired(context) > 0) {
    if (context.signal.aborted) return;
    if (Date.now() > deadline) throw new RolloutTimeout(`not complete after timeoutSeconds (${params.timeoutMs} ms)`);
    const old = oldDesired(context);
    if (latest.desired < desired) {
      const increment = old === 0 ? desired - latest.desired : desired + surge - (old + latest.desired);
      if (increment > 0) {
        latest.scaleTo(Math.min(desired, latest.desired + increment));
        scaled(context, latest);
      }
    }
    await timeline.after(params.updatePeriodMs, context.signal);
    if (oldDesired(context) === 0) continue;
    // Poll until any pod of either RC is available (first look after one interval).
    const all = [latest, ...context.olds];
    do {
      await timeline.after(params.intervalMs, context.signal);
      if (Date.now() > deadline) throw new RolloutTimeout(`not complete after timeoutSeconds (${params.timeoutMs} ms)`);
    } while (!context.signal.aborted && all.every((revision) => revision.available(context.minReadyMs) === 0));
    const allPods = oldDesired(context) + latest.desired;
    const newUnavailable = latest.desired - latest.available(context.minReadyMs);
    const decrement = allPods - minAvailable - newUnavailable;
    if (decrement > 0) scaleDownOlds(context, Math.min(decrement, oldDesired(context)));
  }
}

/**
 * Deployment `RollingUpdate`: the deployment controller reconciles on every
 * change: scale the new ReplicaSet up within maxSurge, remove unavailable old
 * pods, then scale old ReplicaSets down as far as maxUnavailable allows.
 * `progressDeadlineSeconds` marks the rollout failed (no rollback).
 */
export async function deploymentRolling(
  context: RolloutContext,
  params: { maxSurge: number | string; maxUnavailable: number | string; progressDeadlineMs: number },
): Promise<void> {
  const desired = context.replicas;
  const { surge, unavailable } = resolveRolling(params.maxSurge, params.maxUnavailable, desired);
  const minAvailable = desired - unavailable;
  const { latest } = context;
  let lastProgress = Date.now();
  let lastState = '';
  for (;;) {
    if (context.signal.aborted) return;
    const total = latest.desired + oldDesired(context);
    if (latest.desired < desired) {
      const up = Math.min(desired + surge - total, desired - latest.desired);
      if (up > 0) {
        latest.scaleTo(latest.desired + up);
        scaled(context, latest);
      }
    }
    if (oldDesired(context) > 0) {
      const allPods = latest.desired + oldDesired(context);
      const newUnavailable = latest.desired - latest.available(context.minReadyMs);
      let maxScaledDown = allPods - minAvailable - newUnavailable;
      for (const revision of context.olds) {
        if (maxScaledDown <= 0) break;
        const removed = revision.deleteUnavailable(maxScaledDown, context.minReadyMs);
        if (removed > 0) scaled(context, revision);
        maxScaledDown -= removed;
      }
      const available = [latest, ...context.olds].reduce((sum, r) => sum + r.available(context.minReadyMs), 0);
      if (available > minAvailable) scaleDownOlds(context, Math.min(available - minAvailable, maxScaledDown));
    }
    if (latest.desired === desired && latest.available(context.minReadyMs) === desired && oldDesired(context) === 0)
      return;
    const state = `${latest.desired}/${latest.available(context.minReadyMs)}/${oldDesired(context)}`;
    if (state !== lastState) {
      lastState = state;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > params.progressDeadlineMs) {
      throw new RolloutTimeout(`no progress for progressDeadlineSeconds (${params.progressDeadlineMs} ms)`);
    }
    await context.changes.next(50, context.signal);
  }
}

/** `Recreate`: scale the old pods to zero, wait until they are gone, then scale the new ones up. */
export async function recreate(context: RolloutContext<RolloutRevision>, params: { timeoutMs: number }): Promise<void> {
  for (const revision of context.olds) {
    if (revision.desired > 0) {
      revision.scaleTo(0);
      scaled(context, revision);
    }
  }
  await Promise.all(context.olds.map((revision) => revision.drained()));
  context.latest.scaleTo(context.replicas);
  scaled(context, context.latest);
  const done = await context.changes.until(
    () => context.latest.available(context.minReadyMs) === context.replicas,
    params.timeoutMs,
    context.signal,
  );
  if (!done && !context.signal.aborted) throw new RolloutTimeout(`pods not available within ${params.timeoutMs} ms`);
}
