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
    how: 'istiod leaves terminating endpoints out of what it pushes (it sends them at most as unhealthy)',
  },
  draining:
    "on SIGTERM the pod's istio-proxy drains for terminationDrainDuration (5 s by default) and exits, whatever the app's preStop hook still waits for; the app then gets no more requests, and its clients get errors",
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
    { ref: 'istio/istio#7665', says: 'the sidecar stops on SIGTERM while the app still serves: 503s on rollouts' },
    { ref: 'istio/istio#11682', says: 'requests fail while a pod terminates because istio-proxy exits first' },
    { ref: 'istio/istio#13616', says: 'users add a preStop sleep to istio-proxy, or lengthen its drain' },
    {
      ref: 'istio/istio pilot/pkg/features/pilot.go',
      says: 'PILOT_DEBOUNCE_AFTER 100 ms, PILOT_DEBOUNCE_MAX 10 s',
    },
    {
      ref: 'istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/',
      says: 'ProxyConfig.terminationDrainDuration: 5 s by default; settable per pod with the proxy.istio.io/config annotation',
    },
  ],
};
