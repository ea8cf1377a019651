import { AWS_LBC_SOURCES, AWS_READINESS_GATE } from './aws-load-balancer.js';
import type { PlatformProfile } from './profile.js';

/**
 * The longest an ALB was seen sending new requests to a deregistering target: a 70 s preStop sleep removed
 * the last 502s in #2106, where 40 s did not. The two-minute figures (#2366, #3270) are NLB measurements.
 */
const ALB_DEREGISTRATION_WORST_SECONDS = 70;

/** An Application Load Balancer with IP targets, managed by the AWS Load Balancer Controller. */
export const awsAlbIp: PlatformProfile = {
  name: 'aws-alb-ip',
  title: 'AWS Application Load Balancer, IP targets (AWS Load Balancer Controller)',
  propagation: {
    how: 'the controller deregisters the pod from the target group through the AWS API when its endpoint turns unready; the ALB goes on sending it new requests until the deregistration has taken effect',
    seconds: { min: 5, typical: 30, worst: ALB_DEREGISTRATION_WORST_SECONDS },
  },
  terminating: {
    traffic: 'until-deregistered',
    how: 'a terminating pod is a registered target until the deregistration has reached every ALB node',
  },
  draining:
    'a deregistering target keeps its in-flight requests for the deregistration delay (deregistration_delay.timeout_seconds, 300 s by default)',
  marginSeconds: 5,
  emulation: {
    kind: 'deregistration',
    removeSeconds: ALB_DEREGISTRATION_WORST_SECONDS,
    addSeconds: 0,
    refusedConnection: 'error',
  },
  assumes: [AWS_READINESS_GATE],
  sources: [
    ...AWS_LBC_SOURCES,
    {
      ref: 'docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html',
      says: 'deregistration delay: 300 s by default; the docs say deregistering targets get no new requests, which the reports above contradict',
    },
    {
      ref: 'kubernetes-sigs/aws-load-balancer-controller#1064',
      says: 'ALB, IP targets, deregistration delay 30 s: 504s with a preStop sleep 5; a sleep 25 removed them',
    },
    {
      ref: 'kubernetes-sigs/aws-load-balancer-controller#2106',
      says: 'ALB, instance targets: a preStop sleep 40 still gave rare 502s, 70 none',
    },
    {
      ref: 'zdd estimate',
      says: 'min 5 s, typical 30 s from the ALB reports above; worst 70 s from #2106 (the only ALB report that measured when the errors stop)',
    },
    {
      ref: 'docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html',
      says: 'HTTP 502: the load balancer received a TCP RST from the target when attempting to establish a connection',
    },
  ],
};
