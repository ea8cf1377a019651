/**
 * Which label (JMeter) or scenario/variant (k6) is which variant: `--variant
 * default=LABEL --variant zero-downtime=LABEL`, else, among two labels or more,
 * the labels whose names say it (one containing "zero-downtime", one containing
 * "default"). Pure.
 */

import type { Variant } from '../manifests/labels.js';
import { cutText, UsageError } from '../runtime/errors.js';

const ROLES: readonly Variant[] = ['default', 'zero-downtime'];

/** `--variant ROLE=LABEL` flags → label by role; errors name the flag. */
export function parseVariantFlags(flags: readonly string[]): Map<Variant, string> {
  const roles = new Map<Variant, string>();
  for (const flag of flags) {
    const match = /^([^=]+)=(.+)$/s.exec(flag);
    const role = match?.[1]?.trim() as Variant | undefined;
    if (!match || role === undefined || !ROLES.includes(role)) {
      throw new UsageError(
        `--variant: expected default=LABEL or zero-downtime=LABEL, got ${JSON.stringify(cutText(flag))}`,
      );
    }
    if (roles.has(role)) throw new UsageError(`--variant: ${role} is given twice`);
    roles.set(role, match[2] as string);
  }
  return roles;
}

/** The role of each label; `given` labels must exist in `labels` (`source` names where they were looked for). */
export function assignRoles(
  labels: readonly string[],
  given: ReadonlyMap<Variant, string>,
  source: string,
): Map<string, Variant> {
  const roles = new Map<string, Variant>();
  for (const [role, label] of given) {
    if (!labels.includes(label)) {
      throw new UsageError(
        `--variant ${role}=${cutText(label)}: ${source} has no such label or scenario (it has ${labels.map((name) => JSON.stringify(name)).join(', ') || 'none'})`,
      );
    }
    if (roles.has(label)) throw new UsageError(`--variant: ${cutText(label)} cannot be both variants`);
    roles.set(label, role);
  }
  // One label has nothing to compare with: no role is guessed from its name (k6's own scenario is "default").
  if (given.size > 0 || labels.length < 2) return roles;
  const zeroDowntime = labels.filter((label) => /zero[-_ ]?downtime/i.test(label));
  const defaults = labels.filter((label) => /default/i.test(label) && !zeroDowntime.includes(label));
  if (zeroDowntime.length === 1) roles.set(zeroDowntime[0] as string, 'zero-downtime');
  if (defaults.length === 1) roles.set(defaults[0] as string, 'default');
  return roles;
}

/** `--workload LABEL=WORKLOAD` flags → workload by label. */
export function parseWorkloadFlags(flags: readonly string[]): Map<string, string> {
  const workloads = new Map<string, string>();
  for (const flag of flags) {
    const split = flag.lastIndexOf('=');
    if (split <= 0 || split === flag.length - 1) {
      throw new UsageError(`--workload: expected LABEL=WORKLOAD, got ${JSON.stringify(cutText(flag))}`);
    }
    workloads.set(flag.slice(0, split), flag.slice(split + 1));
  }
  return workloads;
}
