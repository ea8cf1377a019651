import type { WorkloadRule } from '../rule.js';

export const noService: WorkloadRule = {
  id: 'no-service',
  severity: 'info',
  description:
    "No Service in the input selects the workload's pods, so zdd cannot tell which containers serve requests and did not apply the readinessProbe and preStop rules.",
  remediation:
    "Nothing to fix when the workload serves no requests; otherwise check it together with its Service, whose selector must match the pod template's labels.",
  help: [
    "A Service sends requests to the pods whose labels include all of its selector's pairs (Kubernetes",
    'documentation, "Service"); one without a selector has endpoints managed by hand and selects no pod. Only',
    'Services in the same namespace count; an object without metadata.namespace is taken to be in any. The rules',
    'readiness-probe-missing, prestop-missing and prestop-shorter-than-propagation need to know what serves.',
  ].join(' '),
  check(subject) {
    if (subject.services.length > 0) return [];
    return [
      {
        message:
          'no Service in the input selects its pods: the readinessProbe and preStop rules were not applied (check it with its Service)',
        path: ['spec', 'template', 'metadata', 'labels'],
      },
    ];
  },
};
