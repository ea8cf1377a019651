/**
 * The rollout rounds of an imported run: from cluster events (each
 * `rollout-started` of the variants' workloads, the n-th of each workload
 * forming round n, ended by its `rollout-completed` or `rollout-failed`), or
 * from `--rollout-at` times given by hand (a start only). Only rollouts that
 * started while the requests ran count. Pure.
 */

import type { Round } from '../results-folder/run-result.js';
import { cutText, UsageError } from '../runtime/errors.js';
import type { ClusterEvent } from '../runtime/events.js';

export function roundsFromEvents(
  events: readonly ClusterEvent[],
  workloads: readonly string[],
  span: { readonly from: number; readonly to: number },
  eventsFile: string,
): Round[] {
  const sorted = [...events].sort((a, b) => a.time - b.time);
  const perWorkload = workloads.map((workload) =>
    sorted
      .filter((event) => event.type === 'rollout-started' && event.workload === workload)
      .filter((event) => event.time >= span.from && event.time <= span.to)
      .map((started) => {
        const end = sorted.find(
          (event) =>
            (event.type === 'rollout-completed' || event.type === 'rollout-failed') &&
            event.workload === workload &&
            event.time >= started.time,
        );
        return {
          workload,
          revision: started.object,
          outcome: end?.type === 'rollout-completed' ? ('completed' as const) : ('failed' as const),
          startedAt: started.time,
          endedAt: end?.time ?? span.to,
          ...(end === undefined
            ? { reason: `${eventsFile} does not say that it ended` }
            : end.type === 'rollout-failed' && end.detail !== undefined && { reason: end.detail }),
        };
      }),
  );
  const count = Math.max(0, ...perWorkload.map((rollouts) => rollouts.length));
  return Array.from({ length: count }, (_, index) => {
    const rollouts = perWorkload.flatMap((list) => (list[index] ? [list[index]] : []));
    return {
      number: index + 1,
      startedAt: Math.min(...rollouts.map((rollout) => rollout.startedAt)),
      endedAt: Math.max(...rollouts.map((rollout) => rollout.endedAt)),
      rollouts,
    };
  });
}

/** `--rollout-at` times (ISO 8601) → rounds with a start only; each must fall within the requests. */
export function roundsFromTimes(
  times: readonly string[],
  span: { readonly from: number; readonly to: number },
  file: string,
): Round[] {
  return times
    .map((text) => {
      const at = /\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text) ? Date.parse(text) : Number.NaN;
      if (!Number.isFinite(at)) {
        throw new UsageError(
          `--rollout-at: expected an ISO 8601 time such as 2026-11-29T18:48:31.5Z, got ${JSON.stringify(cutText(text))}`,
        );
      }
      if (at < span.from || at > span.to) {
        throw new UsageError(
          `--rollout-at ${text}: outside the requests in ${file} (${new Date(span.from).toISOString()} to ${new Date(span.to).toISOString()})`,
        );
      }
      return at;
    })
    .sort((a, b) => a - b)
    .map((at, index) => ({ number: index + 1, startedAt: at, endedAt: at, rollouts: [] }));
}
