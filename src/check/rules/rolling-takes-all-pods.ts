import { rolloutCapacity } from '../rollout-capacity.js';
import type { WorkloadRule } from '../rule.js';

export const rollingTakesAllPods: WorkloadRule = {
  id: 'rolling-takes-all-pods',
  severity: 'error',
  description:
    'The rolling parameters let the rollout take every ready pod away before a new one is ready, so the app serves nothing for a while.',
  remediation: 'Set maxSurge to 1 and maxUnavailable to 0, so that a new pod is ready before an old one goes.',
  help: [
    'maxSurge rounds up and maxUnavailable rounds down; when both come to 0, maxUnavailable becomes 1',
    '(ResolveFenceposts in kubernetes/kubernetes pkg/controller/deployment/util, which the DeploymentConfig',
    "deployer's rolling updater uses too). Left out, they are 25 % / 25 % for an apps/v1 Deployment",
    '(SetDefaults_Deployment), 1 / 1 for extensions/v1beta1, and for a DeploymentConfig 25 % / 25 % when both are',
    'left out, otherwise 0 for the missing one unless the other is 0 (SetDefaults_RollingDeploymentStrategyParams',
    'in openshift/origin pkg/apps/apis/apps/v1/defaults.go). A StatefulSet deletes each pod before creating its',
    'replacement, one at a time (maxUnavailable, behind the MaxUnavailableStatefulSet feature gate, rounds down and',
    'is at least 1), so with one replica it always takes the only pod away.',
  ].join(' '),
  check(subject) {
    const capacity = rolloutCapacity(subject.workload);
    if (capacity.type !== 'rolling' || capacity.unavailable < capacity.replicas) return [];
    const all = capacity.replicas === 1 ? 'the only pod' : `all ${capacity.replicas} pods`;
    return [
      {
        message: `${capacity.explanation}: the rollout may take ${all} away before a new one is ready`,
        path: subject.workload.strategy.path,
      },
    ];
  },
};
