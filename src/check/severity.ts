/**
 * How much a finding matters. `error`: requests fail during a rollout or a
 * drain; `warning`: they may, or capacity drops; `info`: what the settings
 * cost, for the reviewer to weigh.
 */
export type Severity = 'error' | 'warning' | 'info';

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

/** Whether `severity` is `threshold` or more severe (`--fail-on`). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** Orders by severity, most severe first. */
export function bySeverity(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a];
}
