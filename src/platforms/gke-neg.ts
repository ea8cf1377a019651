import type { PlatformProfile } from './profile.js';

/** GKE's container-native load balancing: the Google Cloud load balancer sends to pods in a NEG. */
export const gkeNeg: PlatformProfile = {
  name: 'gke-neg',
  title: 'GKE container-native load balancing (network endpoint groups)',
  propagation: {
    how: "the NEG controller detaches the pod's endpoint from the network endpoint group when it turns unready; the Google front ends go on sending to it until the detach has propagated",
    seconds: { min: 10, typical: 30, worst: 60 },
  },
  terminating: {
    traffic: 'until-deregistered',
    how: 'a terminating pod stays an endpoint of the NEG until its detach has taken effect',
  },
  draining:
    'connection draining (BackendConfig connectionDraining.drainingTimeoutSec, 0 by default) lets in-flight requests finish on a detached endpoint',
  marginSeconds: 5,
  emulation: { kind: 'deregistration', removeSeconds: 60, addSeconds: 0, refusedConnection: 'error' },
  assumes: ['the NEG readiness gate (cloud.google.com/load-balancer-neg-ready) that GKE injects is on'],
  sources: [
    {
      ref: 'kubernetes/ingress-gce#769',
      says: '96 × 502 at 100 rps over an 11-pod rollout despite 180 s of drain and grace settings',
    },
    {
      ref: 'cloud.google.com/kubernetes-engine/docs/concepts/container-native-load-balancing',
      says: 'pod readiness feedback: a pod is ready only once the load balancer health check passes',
    },
    { ref: 'zdd estimate', says: 'detach propagation 10–60 s, from the reports above' },
  ],
};
