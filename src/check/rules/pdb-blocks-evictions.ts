import { isCountOrPercent, resolveCount } from '../../kubernetes/count-or-percent.js';
import { formatValue } from '../../runtime/errors.js';
import type { PodDisruptionBudget } from '../pdb.js';
import type { Diagnostic, WorkloadRule } from '../rule.js';

export const pdbBlocksEvictions: WorkloadRule = {
  id: 'pdb-blocks-evictions',
  severity: 'warning',
  description:
    'The PodDisruptionBudget allows no eviction even when every pod is healthy, so node drains (and cluster upgrades) hang until someone deletes it.',
  remediation: 'Set the budget to `maxUnavailable: 1` (or a minAvailable below the number of pods it guards).',
  help: [
    'Allowed disruptions = healthy pods − desired healthy pods, where desired healthy is minAvailable, or the',
    'expected pods − maxUnavailable; percentages of the expected pods round up (the disruption controller,',
    'kubernetes/kubernetes pkg/controller/disruption; Kubernetes documentation, "Specifying a Disruption Budget',
    'for your Application", rounding logic). The expected pods are the replicas of every workload here whose',
    "pods the budget selects. kube-linter's pdb-max-unavailable and pdb-min-available checks flag the same.",
  ].join(' '),
  check(subject) {
    const diagnostics: Diagnostic[] = [];
    for (const pdb of subject.pdbs) {
      const pods = subject.pdbReplicas.get(pdb) ?? subject.workload.replicas;
      const blocked = blocking(pdb, pods);
      if (blocked !== undefined) diagnostics.push({ ...blocked, object: pdb.object });
    }
    return diagnostics;
  },
};

function blocking(pdb: PodDisruptionBudget, pods: number): Omit<Diagnostic, 'object'> | undefined {
  if (pods === 0) return undefined;
  const of = `of the ${pods} pod${pods === 1 ? '' : 's'} it guards`;
  if (pdb.maxUnavailable !== undefined && pdb.minAvailable === undefined) {
    if (!isCountOrPercent(pdb.maxUnavailable)) return undefined;
    const allowed = resolveCount(pdb.maxUnavailable, pods, 'up');
    if (allowed > 0) return undefined;
    return {
      message: `maxUnavailable ${formatValue(pdb.maxUnavailable)} ${of} allows no eviction: a node drain waits until the budget is changed`,
      path: ['spec', 'maxUnavailable'],
    };
  }
  if (pdb.minAvailable !== undefined && pdb.maxUnavailable === undefined) {
    if (!isCountOrPercent(pdb.minAvailable)) return undefined;
    const desired = resolveCount(pdb.minAvailable, pods, 'up');
    if (desired < pods) return undefined;
    return {
      message: `minAvailable ${formatValue(pdb.minAvailable)} ${of} allows no eviction: a node drain waits until the budget is changed`,
      path: ['spec', 'minAvailable'],
    };
  }
  return undefined;
}
