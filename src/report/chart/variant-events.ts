/**
 * Which cluster events belong to a variant, and what they say about its pods
 * and its router. Pure.
 */
import type { ClusterEvent } from '../../runtime/events.js';

/**
 * The events of `workload`: its own (rollouts, revisions, pods), and those of
 * the Service and Route that zdd names after it (endpoints changed, router
 * reloaded), which carry no workload.
 */
export function eventsOf(events: readonly ClusterEvent[], workload: string): ClusterEvent[] {
  return events
    .filter((event) => event.workload === workload || (event.workload === undefined && event.object === workload))
    .sort((a, b) => a.time - b.time);
}

/**
 * The pods an endpoints or router event lists: `a, b` (endpoints-changed),
 * `endpoints: a, b` (router-reloaded), `a; terminating: b` (a real cluster's
 * EndpointSlices: the terminating ones are not routed); none for `none`.
 */
export function listedPods(event: ClusterEvent): string[] {
  const detail = (event.detail ?? '').replace(/^endpoints:\s*/, '').split(';')[0] ?? '';
  return detail
    .split(',')
    .map((pod) => pod.trim())
    .filter((pod) => pod !== '' && pod !== 'none');
}
