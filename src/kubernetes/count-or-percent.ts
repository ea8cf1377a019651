/**
 * Counts that Kubernetes takes as a number of pods or a percentage of the
 * replicas (IntOrString: maxSurge, maxUnavailable, a PodDisruptionBudget's
 * minAvailable and maxUnavailable).
 */

/**
 * "25%" of `replicas` in pods, or a count as it is (`GetScaledValueFromIntOrPercent`
 * in k8s.io/apimachinery intstr): surge rounds up, unavailable down.
 */
export function resolveCount(value: number | string, replicas: number, round: 'up' | 'down'): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) throw new Error(`not a count or percentage: ${value}`);
  const exact = (Number(match[1]) * replicas) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}
