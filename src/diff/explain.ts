import type { JsonObject } from '../input/json-value.js';
import { isCountOrPercent, resolveCount } from '../kubernetes/count-or-percent.js';
import type { FieldChange } from './field-changes.js';
import { type PathSegment, pathPattern } from './field-path.js';
import type { ContainerFacts, PreStopFacts, ProbeFacts, WorkloadFacts } from './rollout-facts.js';
import type { RouterFacts } from './router-facts.js';

/** What an explanation may use: the facts of the object on each side (its workload's, for a PodDisruptionBudget). */
export interface ExplainContext {
  readonly kind: string;
  /** What sends the requests, from the platform profile (`--platform`). */
  readonly router: RouterFacts;
  /** @default - not a workload, or none on that side */
  readonly before?: WorkloadFacts;
  /** @default - not a workload, or none on that side */
  readonly after?: WorkloadFacts;
}

/**
 * One line on why a changed field matters for a rollout, with the numbers of
 * the settings on each side: what the router, the kubelet and the rollout
 * controller do with them.
 */
export function explainChange(change: FieldChange, context: ExplainContext): string {
  const pattern = pathPattern(change.path);
  const container = containerName(change.path);
  const pod = 'spec.template.spec';
  if (context.kind === 'PodDisruptionBudget' && pattern.startsWith('spec')) return explainBudget(change, context);
  if (pattern.startsWith(`${pod}.containers[].lifecycle`)) {
    return explainPreStop(containerFacts(context.after, container)?.preStop, context.after, context.router);
  }
  if (pattern === `${pod}.terminationGracePeriodSeconds`) return explainGrace(context.after, context.router);
  if (pattern.startsWith(`${pod}.containers[].readinessProbe`)) {
    return explainReadiness(
      containerFacts(context.before, container)?.readiness,
      containerFacts(context.after, container)?.readiness,
    );
  }
  if (/^spec\.template\.spec\.containers\[\]\.(livenessProbe|startupProbe)/.test(pattern)) {
    return 'a failing liveness or startup probe restarts the container: too tight a probe restarts pods during a rollout';
  }
  if (pattern === `${pod}.containers[]` && change.change !== 'changed') {
    return 'a container added or removed: every pod of the rollout runs it';
  }
  if (pattern === `${pod}.containers[].image`) return 'the image the rollout rolls out';
  if (pattern.startsWith(`${pod}.containers[].resources`)) {
    return 'requests decide where a new pod fits: one that cannot be scheduled stalls the rollout; limits cap a pod that warms up';
  }
  if (/^spec\.strategy($|\.)/.test(pattern)) return explainStrategy(context);
  if (pattern === 'spec.replicas') return explainReplicas(context);
  if (pattern === 'spec.minReadySeconds') {
    return `a new pod counts as available only ${String(change.after ?? 0)} s after it is ready: the rollout waits that long before its next step`;
  }
  if (/(^|\.)labels($|\[)/.test(pattern) || /^spec(\.selector|\.template\.metadata)/.test(pattern)) {
    return 'labels and selectors: which pods each object selects; no effect on how a rollout replaces them';
  }
  if (/^spec\.(host|rules)/.test(pattern) && (context.kind === 'Route' || context.kind === 'Ingress')) {
    return 'where clients reach the app: no effect on a rollout';
  }
  if (context.kind === 'HTTPRoute' && pattern.startsWith('spec')) return explainHttpRoute(pattern, change);
  return 'not a setting known to change how a rollout drops or keeps requests';
}

/** Why an object only one side has matters. */
export function explainObject(
  object: JsonObject,
  kind: string,
  side: 'added' | 'removed',
  facts?: WorkloadFacts,
): string {
  if (kind === 'PodDisruptionBudget') {
    if (side === 'removed')
      return 'no PodDisruptionBudget: a node drain or cluster upgrade may evict every pod at once';
    return budgetLine(object, facts);
  }
  return side === 'added' ? `a ${kind} only the second side has` : `a ${kind} only the first side has`;
}

/** An HTTPRoute's fields (sigs.k8s.io/gateway-api apis/v1 httproute_types.go). */
function explainHttpRoute(pattern: string, change: FieldChange): string {
  if (pattern.startsWith('spec.parentRefs')) {
    return 'the Gateway the route attaches to: it serves only once that Gateway accepts it (status.parents); no effect on a rollout';
  }
  if (pattern.startsWith('spec.hostnames')) return 'where clients reach the app: no effect on a rollout';
  if (pattern === 'spec.rules[].backendRefs[].weight') {
    const weight = (value: unknown) => (value === undefined ? '1 (the default)' : String(value));
    return `a backend's share of the rule's requests is its weight over the sum of the rule's weights: ${weight(change.before)} → ${weight(change.after)}; 0 sends it none`;
  }
  if (pattern.startsWith('spec.rules[].backendRefs')) {
    return "the Services (and ports) the Gateway sends requests to: which pods' rollouts the route's clients see";
  }
  if (pattern.startsWith('spec.rules[].matches')) return 'which requests the rule takes: no effect on a rollout';
  return 'not a setting known to change how a rollout drops or keeps requests';
}

function explainPreStop(
  preStop: PreStopFacts | undefined,
  facts: WorkloadFacts | undefined,
  router: RouterFacts,
): string {
  const { sender, worstSeconds } = router;
  if (preStop === undefined) {
    return `no preStop: the pod gets SIGTERM the moment it is deleted, while ${sender} may send it requests for up to ${worstSeconds} s more`;
  }
  const then = preStop.command === undefined ? '' : `, then \`${preStop.command}\` stops the app`;
  const grace = facts?.gracePeriodSeconds;
  const killed =
    grace !== undefined && preStop.sleepSeconds >= grace
      ? `; but the grace period (${grace} s) ends first: SIGKILL during the hook`
      : '';
  if (preStop.sleepSeconds === 0) {
    return `preStop without a sleep${then}: ${sender} may send requests for up to ${worstSeconds} s after the app stops${killed}`;
  }
  if (preStop.sleepSeconds < worstSeconds) {
    return `preStop sleep ${preStop.sleepSeconds} s is shorter than ${router.worst}: for up to ${worstSeconds - preStop.sleepSeconds} s it may still route requests to the pod after the sleep${then}${killed}`;
  }
  return `preStop sleep ${preStop.sleepSeconds} s: keeps the old pod serving while ${sender} removes it${then}${killed}`;
}

function explainGrace(facts: WorkloadFacts | undefined, router: RouterFacts): string {
  if (facts === undefined) return 'the grace period: how long a terminating pod may take before SIGKILL';
  const grace = facts.gracePeriodSeconds;
  const label = `SIGKILL ${grace} s after deletion${facts.graceIsDefault ? ' (the platform default)' : ''}`;
  const sleep = Math.max(0, ...[...facts.containers.values()].map((c) => c.preStop?.sleepSeconds ?? 0));
  if (sleep >= grace) {
    return `${label}: not longer than the ${sleep} s preStop sleep, so the pod is SIGKILLed during the hook`;
  }
  const left = grace - sleep;
  const after = sleep > 0 ? `after the ${sleep} s preStop sleep, ${left} s remain` : `${left} s`;
  const inFlight =
    left >= router.inFlightSeconds
      ? `at least ${router.inFlight}, so no request still in flight is cut`
      : `less than ${router.inFlight}: a request still running then is cut`;
  return `${label}: ${after} for SIGTERM and in-flight requests, ${inFlight}`;
}

function explainReadiness(before: ProbeFacts | undefined, after: ProbeFacts | undefined): string {
  if (after === undefined) {
    return 'no readinessProbe: a pod is ready as soon as its container starts, so the router sends it requests while the app still boots';
  }
  const line = `${readinessLine(after)}`;
  if (before === undefined) return line;
  const [earliest, latest] = [earliestReady(before), latestReady(before)];
  return `${line} (before: at the earliest ${earliest} s, at most ${latest} s)`;
}

function readinessLine(probe: ProbeFacts): string {
  const times = probe.successThreshold > 1 ? ` ${probe.successThreshold} times in a row` : '';
  const failure = probe.failureThreshold * probe.periodSeconds;
  return `a new pod gets traffic only once ${probe.check} succeeds${times}: ready at the earliest ${earliestReady(probe)} s after it starts, and at most ${latestReady(probe)} s after the app can serve (a probe every ${probe.periodSeconds} s); a pod that stops answering leaves the endpoints after ${probe.failureThreshold} failed probes, ${failure} s`;
}

/** The first probe runs after initialDelaySeconds; each further success needs one more period. */
function earliestReady(probe: ProbeFacts): number {
  return probe.initialDelaySeconds + (probe.successThreshold - 1) * probe.periodSeconds;
}

/** Just missed a probe: up to one period until the next, then the further successes. */
function latestReady(probe: ProbeFacts): number {
  return probe.successThreshold * probe.periodSeconds;
}

function explainStrategy(context: ExplainContext): string {
  const after = context.after;
  if (after === undefined) return 'the rollout strategy';
  if (after.strategy === 'Recreate') {
    return 'Recreate stops every old pod before a new one starts: requests fail until a new pod is ready';
  }
  const r = after.replicas;
  const surge = podCount(after.maxSurge, after.surgePods, r, 'up');
  const unavailable = podCount(after.maxUnavailable, after.unavailablePods, r, 'down');
  const line = `with ${r} replica${r === 1 ? '' : 's'}: up to ${r + after.surgePods} pods during a rollout (maxSurge ${surge}) and never fewer than ${r - after.unavailablePods} ready (maxUnavailable ${unavailable})`;
  const before = context.before;
  if (before === undefined || before.strategy === 'Recreate') return line;
  if (before.unavailablePods > 0 && after.unavailablePods === 0) {
    return `${line}; before, ${before.unavailablePods} of ${before.replicas} pods could be unready (maxUnavailable ${before.maxUnavailable}), so capacity dropped during a rollout`;
  }
  if (before.unavailablePods === after.unavailablePods && before.surgePods === after.surgePods) {
    const from = firstReplicasUnavailable(before.maxUnavailable);
    const later = from === undefined ? '' : `, but lets a pod go unready from ${from} replicas on`;
    return `${line}; before, maxSurge ${before.maxSurge} and maxUnavailable ${before.maxUnavailable} came to the same ${before.surgePods} and ${before.unavailablePods} at ${before.replicas} replica${before.replicas === 1 ? '' : 's'}${later}`;
  }
  return `${line} (before: maxSurge ${before.maxSurge} → ${before.surgePods}, maxUnavailable ${before.maxUnavailable} → ${before.unavailablePods})`;
}

/** `1`, or `25% of 2 = 1` (rounded up), as the rollout controller resolves it. */
function podCount(value: number | string, pods: number, replicas: number, round: 'up' | 'down'): string {
  return typeof value === 'number' ? String(value) : `${value} of ${replicas} rounded ${round} = ${pods}`;
}

/** The fewest replicas at which a percentage maxUnavailable allows one unready pod. */
function firstReplicasUnavailable(value: number | string): number | undefined {
  if (typeof value === 'number') return undefined;
  const percent = Number(value.replace(/%$/, ''));
  return percent > 0 ? Math.ceil(100 / percent) : undefined;
}

function explainReplicas(context: ExplainContext): string {
  const after = context.after?.replicas ?? 1;
  return after === 1
    ? 'one pod: while it is replaced, nothing else serves, so every rollout depends on its successor being ready in time'
    : `${after} pods: while one is replaced, ${after - 1} keep serving`;
}

function explainBudget(change: FieldChange, context: ExplainContext): string {
  if (change.change === 'removed' && change.path.length === 1)
    return explainObject({}, 'PodDisruptionBudget', 'removed');
  return `the budget for evictions (node drains, cluster upgrades)${context.after ? `, with ${context.after.replicas} replicas` : ''}`;
}

function budgetLine(object: JsonObject, facts: WorkloadFacts | undefined): string {
  const spec = (object.spec ?? {}) as JsonObject;
  const replicas = facts?.replicas;
  const of = replicas === undefined ? '' : ` of the ${replicas} pods`;
  if (typeof spec.maxUnavailable === 'number' || typeof spec.maxUnavailable === 'string') {
    // The disruption controller rounds a percentage up.
    const pods =
      replicas === undefined || !isCountOrPercent(spec.maxUnavailable)
        ? undefined
        : resolveCount(spec.maxUnavailable, replicas, 'up');
    const left = replicas === undefined || pods === undefined ? undefined : Math.max(0, replicas - pods);
    const serving = left === undefined ? '' : `: ${left} keep${left === 1 ? 's' : ''} serving`;
    const all = replicas !== undefined && pods !== undefined && pods >= replicas ? ', which is every pod' : '';
    return `a node drain or cluster upgrade evicts at most ${String(spec.maxUnavailable)}${of} at a time${all}${serving}`;
  }
  if (typeof spec.minAvailable === 'number' || typeof spec.minAvailable === 'string') {
    return `a node drain or cluster upgrade keeps at least ${String(spec.minAvailable)}${of} available`;
  }
  return 'a PodDisruptionBudget: limits evictions by node drains and cluster upgrades';
}

function containerName(path: readonly PathSegment[]): string | undefined {
  const at = path.indexOf('containers');
  const item = path[at + 1];
  return at >= 0 && item !== undefined && typeof item !== 'string' ? (item.name ?? String(item.index)) : undefined;
}

function containerFacts(facts: WorkloadFacts | undefined, name: string | undefined): ContainerFacts | undefined {
  if (facts === undefined) return undefined;
  return (name === undefined ? undefined : facts.containers.get(name)) ?? facts.containers.values().next().value;
}
