import { AWS_DEREGISTRATION_WORST_SECONDS, AWS_LBC_SOURCES, AWS_READINESS_GATE } from './aws-load-balancer.js';
import type { PlatformProfile } from './profile.js';

/** An Application Load Balancer with IP targets, managed by the AWS Load Balancer Controller. */
export const awsAlbIp: PlatformProfile = {
  name: 'aws-alb-ip',
  title: 'AWS Application Load Balancer, IP targets (AWS Load Balancer Controller)',
  propagation: {
    how: 'the controller deregisters the pod from the target group through the AWS API when its endpoint turns unready; the ALB goes on sending it new requests until the deregistration has taken effect',
    seconds: { min: 5, typical: 30, worst: AWS_DEREGISTRATION_WORST_SECONDS },
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
    removeSeconds: AWS_DEREGISTRATION_WORST_SECONDS,
    addSeconds: 0,
    refusedConnection: 'error',
  },
  assumes: [AWS_READINESS_GATE],
  sources: [
    ...AWS_LBC_SOURCES,
    {
      ref: 'docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html',
      says: 'deregistration delay: 300 s by default',
    },
    {
      ref: 'docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html',
      says: 'HTTP 502: the load balancer received a TCP RST from the target when attempting to establish a connection',
    },
  ],
};
