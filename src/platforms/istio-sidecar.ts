import type { PlatformProfile } from './profile.js';

/** Istio with sidecars: other pods' Envoys reach the pod through its istio-proxy container. */
export const istioSidecar: PlatformProfile = {
  name: 'istio-sidecar',
  title: 'Istio service mesh (istio-proxy sidecars)',
  propagation: {
    how: 'istiod pushes the endpoint change to every client sidecar over xDS, debounced (PILOT_DEBOUNCE_AFTER 100 ms, up to PILOT_DEBOUNCE_MAX 10 s)',
    seconds: { min: 0.5, typical: 1, worst: 10 },
  },
  terminating: {
    traffic: 'never',
    how: 'istiod leaves terminating endpoints out of every push; only services with persistent sessions get serving-but-terminating ones, as draining',
  },
  draining:
    "on SIGTERM the pod's istio-proxy starts draining its inbound listeners, waits terminationDrainDuration (5 s by default) and exits, whatever the app's preStop hook still waits for; the app then gets no more requests, and its clients get errors",
  marginSeconds: 3,
  // Once istio-proxy has exited, the pod refuses connections; clients get errors (#7665, #11682). Istio's default
  // retry policy (2 attempts on connect-failure) would hide part of them; the emulation does not model it.
  emulation: { kind: 'delayed-push', removeSeconds: 10, addSeconds: 1, refusedConnection: 'error' },
  sidecar: {
    defaultDrainSeconds: 5,
    drainAnnotation: 'proxy.istio.io/config',
    drainAnnotationValue: (seconds) => `terminationDrainDuration: ${seconds}s`,
  },
  assumes: ['sidecars injected as ordinary containers (not native sidecars)'],
  sources: [
    {
      ref: 'istio/istio#7665',
      says: "a handful of 503s from the removed pod's istio-proxy on every scale-down and rollout",
    },
    {
      ref: 'istio/istio#11682',
      says: "a preStop sleep on the app does not help: the terminating pod's sidecar drops its inbound listener and rejects requests still arriving (Istio 1.0)",
    },
    {
      ref: 'istio/istio#13616',
      says: "503s at low traffic (1.1.4): the app's preStop sleep holds its SIGTERM while istio-proxy gets its own and shuts down; users add retries",
    },
    {
      ref: 'istio/istio#7136',
      says: 'Envoy shutting down before the app it wraps fails requests; users give istio-proxy a preStop hook that waits for the app',
    },
    {
      ref: 'istio/istio pilot/pkg/features/tuning.go',
      says: 'PILOT_DEBOUNCE_AFTER 100 ms, PILOT_DEBOUNCE_MAX 10 s; EDS pushes are debounced too (PILOT_ENABLE_EDS_DEBOUNCE)',
    },
    {
      ref: 'istio/istio pilot/pkg/xds/endpoints/endpoint_builder.go',
      says: 'terminating endpoints are filtered out of every push; draining ones go only to persistent-session services',
    },
    {
      ref: 'istio/istio pkg/config/mesh/mesh.go',
      says: 'the default ProxyConfig has terminationDrainDuration 5 s',
    },
    {
      ref: 'istio/istio pkg/envoy/agent.go',
      says: "on termination the agent drains the sidecar's inbound listeners, then waits terminationDrainDuration (or, with EXIT_ON_ZERO_ACTIVE_CONNECTIONS, until no connection is left) and kills it",
    },
    {
      ref: 'istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/',
      says: 'ProxyConfig.terminationDrainDuration: 5 s by default; settable per pod with the proxy.istio.io/config annotation',
    },
  ],
};
