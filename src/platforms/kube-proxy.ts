import type { PlatformProfile } from './profile.js';

/** A plain Service: clients reach the pods through kube-proxy's iptables or nftables rules. */
export const kubeProxy: PlatformProfile = {
  name: 'kube-proxy',
  title: 'kube-proxy (a plain Service, iptables/nftables)',
  propagation: {
    how: 'kube-proxy on every node rewrites its iptables/nftables rules after the EndpointSlice changes, at most once per minimum sync period (1 s)',
    seconds: { min: 0.5, typical: 1.5, worst: 3 },
  },
  terminating: {
    traffic: 'when-no-ready',
    how: 'ready endpoints only; serving-but-terminating ones only when a Service has no ready endpoint at all (ProxyTerminatingEndpoints, KEP-1669)',
  },
  draining:
    'established connections keep their conntrack entry and go on reaching the removed pod until either end closes them',
  marginSeconds: 3,
  emulation: { kind: 'delayed-push', removeSeconds: 3, addSeconds: 3, refusedConnection: 'error' },
  assumes: ['Kubernetes 1.28 or later (ProxyTerminatingEndpoints GA)'],
  sources: [
    { ref: 'kubernetes/kubernetes#43576', says: 'users measure 1–3 s before a removed endpoint stops getting traffic' },
    {
      ref: 'kubernetes/enhancements keps/sig-network/1669-proxy-terminating-endpoints',
      says: 'serving-but-terminating endpoints are used only when no endpoint is ready',
    },
    {
      ref: 'kubernetes/kubernetes cmd/kube-proxy/app/server.go',
      says: '--iptables-min-sync-period: 1 s by default',
    },
  ],
};
