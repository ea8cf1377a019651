/**
 * Counts that Kubernetes takes as a number of pods or a percentage of the
 * replicas (IntOrString: maxSurge, maxUnavailable), and the int32 bound of
 * every count and duration the API stores.
 */

/** Kubernetes stores counts and seconds as int32; the API server refuses larger ones. */
export const INT32_MAX = 2147483647;

/** A count or a percentage of the replicas, as written (`1`, `"25%"`). */
export type IntOrPercent = number | string;

const PERCENT = /^(\d+)%$/;

/** A whole number ≥ 0 or a percentage like "25%", as IntOrString fields of counts take them. */
export function isCountOrPercent(value: IntOrPercent): boolean {
  return typeof value === 'number' ? Number.isInteger(value) && value >= 0 : PERCENT.test(value);
}

/**
 * "25%" of `replicas` in pods, or a count as it is (`GetScaledValueFromIntOrPercent`
 * in k8s.io/apimachinery intstr): surge rounds up, unavailable down. Throws on
 * a value that is neither (check `isCountOrPercent` first).
 */
export function resolveCount(value: IntOrPercent, replicas: number, round: 'up' | 'down'): number {
  if (typeof value === 'number') return value;
  const match = PERCENT.exec(value);
  if (!match) throw new Error(`not a count or percentage: ${value}`);
  const exact = (Number(match[1]) * replicas) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

/** The pods a rolling update may add and take away at once. */
export interface RollingCounts {
  readonly surge: number;
  readonly unavailable: number;
  /** Both resolved to 0, so maxUnavailable became 1 (`ResolveFenceposts`). */
  readonly fencepost: boolean;
}

/**
 * maxSurge rounds up and maxUnavailable down (`ResolveFenceposts` in
 * kubernetes/kubernetes pkg/controller/deployment/util, also used by the
 * DeploymentConfig deployer's rolling updater); when both come to 0 the
 * rollout could not progress, so maxUnavailable becomes 1. No more than the
 * replicas can be unavailable (`MaxUnavailable` in the same file; the
 * DeploymentConfig deployer's floor of 0 available pods comes to the same).
 * Values must be valid (see `isCountOrPercent`).
 */
export function resolveRolling(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, replicas: number): RollingCounts {
  const surge = resolveCount(maxSurge, replicas, 'up');
  const unavailable = resolveCount(maxUnavailable, replicas, 'down');
  const fencepost = surge === 0 && unavailable === 0;
  return { surge, unavailable: Math.min(replicas, fencepost ? 1 : unavailable), fencepost };
}

/**
 * How many pods a StatefulSet's rolling update takes down at once: 1, or
 * `maxUnavailable` rounded down and at least 1 (`getStatefulSetMaxUnavailable`
 * in pkg/controller/statefulset), and never more than the pods it updates.
 */
export function statefulSetUnavailable(maxUnavailable: IntOrPercent, replicas: number, updated: number): number {
  const resolved = Math.max(1, resolveCount(maxUnavailable, replicas, 'down'));
  return Math.min(resolved, updated);
}
