import type { PlatformProfile } from './profile.js';

/** Gateway API, with Envoy Gateway (its reference implementation) as the data plane. */
export const gatewayApi: PlatformProfile = {
  name: 'gateway-api',
  title: 'Gateway API (Envoy Gateway, HTTPRoute)',
  propagation: {
    how: 'Envoy Gateway translates the EndpointSlices into xDS and pushes them to Envoy, which applies them without a restart',
    seconds: { min: 0.5, typical: 1, worst: 3 },
  },
  terminating: {
    traffic: 'when-no-ready',
    how: 'Envoy Gateway sends terminating endpoints to Envoy as DRAINING: Envoy balances over the healthy ones, and over all of them, draining ones included, only when fewer than 50 % are healthy (its panic threshold)',
  },
  draining:
    'requests in flight to a draining endpoint finish and it gets no new ones, but Envoy does not close its open connections: long-lived streams (gRPC) fail when the pod exits',
  marginSeconds: 3,
  emulation: { kind: 'delayed-push', removeSeconds: 3, addSeconds: 3, refusedConnection: 'error' },
  assumes: ['Envoy Gateway 1.3 or later (serving/terminating endpoints honoured)'],
  sources: [
    {
      ref: 'envoyproxy/gateway#4946',
      says: 'continue using and drain serving EndpointSlice endpoints during termination (merged January 2025, first released in v1.3.0)',
    },
    {
      ref: 'envoyproxy/gateway internal/gatewayapi/route.go',
      says: 'getIREndpointsFromEndpointSlice: an endpoint is draining when it is terminating or not serving (without those conditions: not ready)',
    },
    {
      ref: 'envoyproxy/gateway internal/xds/translator/cluster.go',
      says: 'a draining endpoint is sent to Envoy with health status DRAINING',
    },
    {
      ref: 'envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/panic_threshold',
      says: 'Envoy balances over available (healthy or degraded) hosts; below 50 % available (the default) it balances over all hosts',
    },
    {
      ref: 'envoyproxy/gateway#6277',
      says: 'a user reports open gRPC streams to a terminating pod are not drained: the endpoint leaves Envoy only when it leaves the EndpointSlice',
    },
    {
      ref: 'envoyproxy/gateway#5326',
      says: 'a rollout restart of 100 pods (v1.2.2, v1.3.0) dropped traffic for 1–2 minutes while endpoint updates lagged',
    },
    {
      ref: 'zdd estimate',
      says: 'xDS push within 1 s typically, 3 s on a busy control plane (not measured; large rollouts have been slower, #5326)',
    },
  ],
};
