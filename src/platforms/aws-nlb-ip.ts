import { AWS_DEREGISTRATION_WORST_SECONDS, AWS_LBC_SOURCES, AWS_READINESS_GATE } from './aws-load-balancer.js';
import type { PlatformProfile } from './profile.js';

/** A Network Load Balancer with IP targets, managed by the AWS Load Balancer Controller. */
export const awsNlbIp: PlatformProfile = {
  name: 'aws-nlb-ip',
  title: 'AWS Network Load Balancer, IP targets (AWS Load Balancer Controller)',
  propagation: {
    how: 'the controller deregisters the pod from the target group through the AWS API; the NLB goes on opening new connections to it until the deregistration has taken effect',
    seconds: { min: 120, typical: 120, worst: AWS_DEREGISTRATION_WORST_SECONDS },
  },
  terminating: {
    traffic: 'until-deregistered',
    how: 'a terminating pod is a registered target until the deregistration has taken effect',
  },
  draining:
    'open TCP connections to a deregistering target are kept for the deregistration delay (300 s by default) unless connection termination is on',
  marginSeconds: 5,
  emulation: {
    kind: 'deregistration',
    removeSeconds: AWS_DEREGISTRATION_WORST_SECONDS,
    addSeconds: 0,
    refusedConnection: 'error',
  },
  assumes: [AWS_READINESS_GATE],
  sources: [
    ...AWS_LBC_SOURCES,
    {
      ref: 'aws/containers-roadmap#470',
      says: 'NLB: new connections keep arriving about 2 minutes after deregistration, even with the delay at 0 (an effective minimum of 120 s)',
    },
    {
      ref: 'docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html',
      says: 'deregistration_delay.timeout_seconds: 300 s by default; connection termination at the end of the delay is off by default (TCP)',
    },
    {
      ref: 'zdd estimate',
      says: 'an NLB passes TCP through: a target that refuses the connection resets the client, with no retry on another target',
    },
  ],
};
