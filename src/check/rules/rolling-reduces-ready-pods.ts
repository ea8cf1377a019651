import { rolloutCapacity } from '../rollout-capacity.js';
import type { WorkloadRule } from '../rule.js';

export const rollingReducesReadyPods: WorkloadRule = {
  id: 'rolling-reduces-ready-pods',
  severity: 'warning',
  description:
    'The rolling parameters let the rollout take ready pods away before their replacements are ready, so fewer pods than the replicas carry the load for a while.',
  remediation:
    'Set maxUnavailable to 0 (and maxSurge to 1 or more), so that the rollout never has fewer ready pods than replicas.',
  help: [
    'Resolved as the controllers resolve them: maxSurge rounds up, maxUnavailable rounds down, both 0 makes',
    'maxUnavailable 1 (ResolveFenceposts in kubernetes/kubernetes pkg/controller/deployment/util); defaults 25 % /',
    "25 % for Deployments and DeploymentConfigs (SetDefaults_Deployment; openshift/origin's",
    'SetDefaults_RollingDeploymentStrategyParams). A StatefulSet always deletes a pod before its replacement',
    'starts. Fires when some but not all pods may go; rolling-takes-all-pods covers all of them.',
  ].join(' '),
  check(subject) {
    const capacity = rolloutCapacity(subject.workload);
    if (capacity.type !== 'rolling' || capacity.unavailable === 0 || capacity.unavailable >= capacity.replicas)
      return [];
    const left = capacity.replicas - capacity.unavailable;
    return [
      {
        message: `${capacity.explanation}: during the rollout only ${left} ready pod${left === 1 ? '' : 's'} of ${capacity.replicas} may carry the load`,
        path: subject.workload.strategy.path,
      },
    ];
  },
};
