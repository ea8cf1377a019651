import type { Source } from './profile.js';

/** What the ALB and NLB profiles share: the AWS Load Balancer Controller in IP mode. */
export const AWS_LBC_SOURCES: readonly Source[] = [
  {
    ref: 'kubernetes-sigs/aws-load-balancer-controller#1719',
    says: 'requests still reach a terminating pod long after the controller deregistered it',
  },
  {
    ref: 'kubernetes-sigs/aws-load-balancer-controller#2366',
    says: 'traffic stops ≥ 120 s after deregistration starts, even with deregistration_delay at 5 s',
  },
  {
    ref: 'kubernetes-sigs/aws-load-balancer-controller#3270',
    says: '5xx during rolling updates in IP mode unless the preStop sleep outlasts the deregistration',
  },
  {
    ref: 'kubernetes-sigs/aws-load-balancer-controller docs/deploy/pod_readiness_gate.md',
    says: 'the pod readiness gate keeps a new pod unready until its target is healthy in the target group',
  },
];

/** The assumption both AWS profiles make. */
export const AWS_READINESS_GATE =
  'the pod readiness gate is injected (namespace label elbv2.k8s.aws/pod-readiness-gate-inject=enabled), so a new pod is ready only once its target is healthy';

/** A removed target goes on getting new requests for this long at worst (#2366). */
export const AWS_DEREGISTRATION_WORST_SECONDS = 120;
