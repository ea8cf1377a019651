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
    "connection draining lets in-flight requests finish on a detached endpoint for the backend service's drainingTimeoutSec (0–3600 s), which GKE Ingress sets only from a BackendConfig's connectionDraining",
  marginSeconds: 5,
  emulation: { kind: 'deregistration', removeSeconds: 60, addSeconds: 0, refusedConnection: 'error' },
  assumes: ['the NEG readiness gate (cloud.google.com/load-balancer-neg-ready) that GKE injects is on'],
  sources: [
    {
      ref: 'kubernetes/ingress-gce#769',
      says: '96 × 502 at 100 rps over an 11-pod rollout despite minReadySeconds and terminationGracePeriodSeconds of 180; a maintainer: the load balancer still sends traffic for a short time after the pod turns NotReady',
    },
    {
      ref: 'kubernetes/ingress-gce#2222',
      says: 'a rolling restart with a preStop sleep 20 still gave about a minute of 502s',
    },
    {
      ref: 'cloud.google.com/knowledge/kb/502-503-errors-on-external-http-s-load-balancer-000006416',
      says: 'NEG 502/503 on scale-down: sleep in preStop about as long as the NEG detach takes (its example: 40 s); health checks alone leave ~10 s (5 s × 2)',
    },
    {
      ref: 'cloud.google.com/kubernetes-engine/docs/concepts/container-native-load-balancing',
      says: 'pod readiness feedback: the cloud.google.com/load-balancer-neg-ready gate is true only once the load balancer health check passes',
    },
    {
      ref: 'cloud.google.com/load-balancing/docs/enabling-connection-draining',
      says: 'connection draining applies when an endpoint is removed from a zonal NEG; its timeout is 0–3600 s',
    },
    {
      ref: 'kubernetes/ingress-gce pkg/backends/features/draining.go',
      says: "the backend service's connection draining timeout is set only when a BackendConfig gives connectionDraining",
    },
    { ref: 'zdd estimate', says: 'detach propagation 10–60 s, from the reports above' },
  ],
};
