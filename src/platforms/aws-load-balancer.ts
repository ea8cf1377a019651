import type { Source } from './profile.js';

/** What the ALB and NLB profiles share: the AWS Load Balancer Controller in IP mode. */
export const AWS_LBC_SOURCES: readonly Source[] = [
  {
    ref: 'kubernetes-sigs/aws-load-balancer-controller#1719',
    says: 'ALB, IP targets, pod readiness gate: 502/504 during rolling updates (none with instance targets); the pod terminates before the ALB has drained it',
  },
  {
    ref: 'kubernetes-sigs/aws-load-balancer-controller#2366',
    says: 'traffic stops ≥ 120 s after deregistration starts, whatever the deregistration delay; new connections keep arriving meanwhile (measured on an NLB, IP targets)',
  },
  {
    ref: 'kubernetes-sigs/aws-load-balancer-controller#3270',
    says: 'with the deregistration delay at 5 s a draining target still gets requests and deregistration takes about 2 minutes (NLB, IP targets); maintainers: an NLB limitation',
  },
  {
    ref: 'kubernetes-sigs/aws-load-balancer-controller docs/deploy/pod_readiness_gate.md',
    says: 'the injected readiness gate keeps a pod unready until its target is Healthy in the target group (IP targets only)',
  },
];

/** The assumption both AWS profiles make. */
export const AWS_READINESS_GATE =
  'the pod readiness gate is injected (namespace label elbv2.k8s.aws/pod-readiness-gate-inject=enabled), so a new pod is ready only once its target is healthy';

/** A removed target goes on getting new requests for this long at worst (#2366, #3270: measured on NLBs). */
export const AWS_DEREGISTRATION_WORST_SECONDS = 120;
