import { rolloutCapacity } from '../rollout-capacity.js';
import type { WorkloadRule } from '../rule.js';

export const rollingParamsInvalid: WorkloadRule = {
  id: 'rolling-params-invalid',
  severity: 'error',
  description: 'The API server refuses these rolling parameters, so the workload cannot be applied as written.',
  remediation:
    'Write maxSurge and maxUnavailable as whole numbers or percentages like "25%", not both 0, maxUnavailable at most 100%.',
  help: [
    'Deployment validation (ValidateRollingUpdateDeployment in kubernetes/kubernetes pkg/apis/apps/validation) and',
    'DeploymentConfig validation (validateRollingParams in openshift/openshift-apiserver',
    'pkg/apps/apis/apps/validation) both refuse a value that is neither a non-negative integer nor a percentage,',
    'maxUnavailable above 100%, and maxSurge and maxUnavailable both 0 ("cannot be 0 when maxSurge is 0 as well").',
  ].join(' '),
  check(subject) {
    const capacity = rolloutCapacity(subject.workload);
    if (capacity.type !== 'invalid') return [];
    return [
      { message: `${capacity.problems.join('; ')}: the API server refuses it`, path: subject.workload.strategy.path },
    ];
  },
};
