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
    how: 'endpoints that are serving but terminating are kept as draining: Envoy sends them new requests only when no ready endpoint is left',
  },
  draining:
    'Envoy drains open connections to a draining endpoint; idle kept-alive connections can still be reused until it closes them',
  marginSeconds: 3,
  emulation: { kind: 'delayed-push', removeSeconds: 3, addSeconds: 3, refusedConnection: 'error' },
  assumes: ['Envoy Gateway 1.3 or later (serving/terminating endpoints honoured)'],
  sources: [
    {
      ref: 'envoyproxy/gateway#4946',
      says: 'continue using and drain serving EndpointSlice endpoints during termination',
    },
    {
      ref: 'envoyproxy/gateway#6277',
      says: 'an endpoint is dropped only when it leaves the EndpointSlice, not when it turns terminating',
    },
    { ref: 'zdd estimate', says: 'xDS push within 1 s typically, 3 s on a busy control plane' },
  ],
};
