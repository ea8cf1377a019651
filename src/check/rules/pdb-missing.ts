import type { WorkloadRule } from '../rule.js';

export const pdbMissing: WorkloadRule = {
  id: 'pdb-missing',
  severity: 'warning',
  description:
    'Several replicas but no PodDisruptionBudget guards them, so a node drain may evict all of them at once.',
  remediation:
    "Add a policy/v1 PodDisruptionBudget with `maxUnavailable: 1` and the pod template's labels as its selector.matchLabels.",
  help: [
    'Evictions (kubectl drain, the cluster autoscaler, and on OpenShift every node during an upgrade) respect',
    'PodDisruptionBudgets and nothing else (Kubernetes documentation, "Specifying a Disruption Budget for your',
    'Application"). Fires from 2 replicas on: with one, a budget can only block the drain (single-replica says',
    "so). kube-score, Polaris and Kyverno's policies flag a missing budget too.",
  ].join(' '),
  check(subject) {
    const { workload } = subject;
    if (workload.replicas < 2 || subject.pdbs.length > 0) return [];
    return [
      {
        message: `${workload.replicas} replicas and no PodDisruptionBudget selects their pods: a node drain may evict them all at once`,
        path: [],
      },
    ];
  },
};
