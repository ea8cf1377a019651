import { resolveRolling, statefulSetUnavailable } from '../kubernetes/count-or-percent.js';
import { formatValue } from '../runtime/errors.js';
import { invalidRollingValue } from './strategy.js';
import type { Workload } from './workload.js';

/** How many ready pods a rollout may take away at once, and why. */
export type RolloutCapacity =
  /** The API server refuses the parameters. */
  | { readonly type: 'invalid'; readonly problems: readonly string[] }
  /** Nothing is judged: no replicas, Recreate (its own rule), a manual strategy, a partition that updates nothing. */
  | { readonly type: 'not-rolling' }
  | { readonly type: 'rolling'; readonly unavailable: number; readonly replicas: number; readonly explanation: string };

/** `1 replica`, `3 replicas`. */
function replicasPhrase(count: number): string {
  return `${count} replica${count === 1 ? '' : 's'}`;
}

export function rolloutCapacity(workload: Workload): RolloutCapacity {
  const { strategy, replicas } = workload;
  if (strategy.type === 'rolling') {
    const problems = [
      invalidRollingValue(strategy.maxSurge, 'maxSurge'),
      invalidRollingValue(strategy.maxUnavailable, 'maxUnavailable'),
    ].filter((problem) => problem !== undefined);
    const zero = (value: number | string) => value === 0 || value === '0%';
    if (zero(strategy.maxSurge) && zero(strategy.maxUnavailable)) {
      problems.push('maxSurge and maxUnavailable are both 0, so the rollout could never progress');
    }
    if (problems.length > 0) return { type: 'invalid', problems };
    if (replicas === 0) return { type: 'not-rolling' };
    const counts = resolveRolling(strategy.maxSurge, strategy.maxUnavailable, replicas);
    const written = (value: number | string, origin: string) =>
      origin === 'written' ? formatValue(value) : `${formatValue(value)} (${origin})`;
    let explanation = `maxSurge ${written(strategy.maxSurge, strategy.origin.maxSurge)} and maxUnavailable ${written(strategy.maxUnavailable, strategy.origin.maxUnavailable)} of ${replicasPhrase(replicas)} come to ${counts.surge} and ${counts.fencepost ? 0 : counts.unavailable}`;
    if (counts.fencepost) explanation += ', and since both are 0 maxUnavailable becomes 1';
    return { type: 'rolling', unavailable: counts.unavailable, replicas, explanation };
  }
  if (strategy.type === 'stateful-rolling') {
    const problem = invalidRollingValue(strategy.maxUnavailable, 'maxUnavailable');
    if (problem !== undefined) return { type: 'invalid', problems: [problem] };
    const updated = Math.max(0, replicas - strategy.partition);
    if (updated === 0) return { type: 'not-rolling' };
    const unavailable = statefulSetUnavailable(strategy.maxUnavailable, replicas, updated);
    const partition = strategy.partition > 0 ? ` (partition ${strategy.partition}: ${updated} of them updated)` : '';
    return {
      type: 'rolling',
      unavailable,
      replicas,
      explanation: `a StatefulSet of ${replicasPhrase(replicas)}${partition} deletes ${unavailable === 1 ? 'a pod' : `${unavailable} pods`} before creating ${unavailable === 1 ? 'its replacement' : 'their replacements'}`,
    };
  }
  return { type: 'not-rolling' };
}
