import type { WorkloadRule } from '../rule.js';

export const recreateStrategy: WorkloadRule = {
  id: 'recreate-strategy',
  severity: 'error',
  description: 'The Recreate strategy stops every old pod before it starts a new one, so every rollout is an outage.',
  remediation:
    'Use the rolling strategy (Rolling for a DeploymentConfig, RollingUpdate for a Deployment) with maxSurge 1 and maxUnavailable 0, unless the app cannot run two versions at once.',
  help: [
    'Recreate scales the old ReplicaSet or ReplicationController to 0 and waits for its pods to go before it',
    'scales the new one up (Kubernetes documentation, "Deployments", Recreate Deployment; OpenShift documentation,',
    '"Recreate strategy"): from the first old pod\'s SIGTERM until the first new pod is ready, no pod serves.',
  ].join(' '),
  check(subject) {
    const { strategy } = subject.workload;
    if (strategy.type !== 'recreate') return [];
    return [
      {
        message:
          'strategy Recreate: every rollout stops all pods before the new ones start, so no pod serves in between',
        path: strategy.path,
      },
    ];
  },
};
