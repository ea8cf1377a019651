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
    how: "ready endpoints only; serving-but-terminating ones only when none of the Service's endpoints (within its traffic policy) is ready (ProxyTerminatingEndpoints, KEP-1669)",
  },
  draining:
    'established connections keep their conntrack entry and go on reaching the removed pod until either end closes them',
  marginSeconds: 3,
  emulation: { kind: 'delayed-push', removeSeconds: 3, addSeconds: 3, refusedConnection: 'error' },
  assumes: ['Kubernetes 1.28 or later (ProxyTerminatingEndpoints GA)'],
  sources: [
    {
      ref: 'kubernetes/kubernetes#43576',
      says: 'requests lost behind a NodePort during rolling updates; users found a preStop sleep 3 generally enough for kube-proxy to drop the endpoint, unless a kube-proxy cannot reach the API server',
    },
    {
      ref: 'kubernetes/enhancements keps/sig-network/1669-proxy-terminating-endpoints',
      says: 'serving-but-terminating endpoints are used only when all endpoints (within the traffic policy) are terminating',
    },
    {
      ref: 'kubernetes/kubernetes pkg/features/kube_features.go',
      says: 'ProxyTerminatingEndpoints is GA and locked on (1.28)',
    },
    {
      ref: 'kubernetes/kubernetes cmd/kube-proxy/app/options.go',
      says: '--iptables-min-sync-period: the minimum period between rule resyncs; 0 resyncs on every Service or EndpointSlice change',
    },
    {
      ref: 'kubernetes/kubernetes pkg/proxy/apis/config/v1alpha1/defaults.go',
      says: 'the iptables minimum sync period defaults to 1 s (the full resync period to 30 s)',
    },
    {
      ref: 'zdd estimate',
      says: 'min 0.5 s, typical 1.5 s: the EndpointSlice update plus up to the 1 s minimum sync period; worst 3 s from #43576',
    },
  ],
};
