import type { PlatformProfile } from './profile.js';

/** ingress-nginx: endpoints pushed to its Lua balancer without reloading nginx. */
export const ingressNginx: PlatformProfile = {
  name: 'ingress-nginx',
  title: 'ingress-nginx (Ingress)',
  propagation: {
    how: "the controller syncs at most 0.3 times a second (--sync-rate-limit) and posts the endpoints to nginx's Lua balancer, which picks them up within a second; nginx is not reloaded",
    seconds: { min: 1, typical: 2.5, worst: 6 },
  },
  terminating: {
    traffic: 'never',
    how: 'the controller takes EndpointSlice endpoints whose ready condition is true',
  },
  draining:
    'nginx keeps idle keep-alive connections to the pods (upstream keepalive); until the balancer drops a pod, a request can go out on one the shutting-down pod has already closed, and fail',
  marginSeconds: 3,
  emulation: { kind: 'delayed-push', removeSeconds: 6, addSeconds: 6, refusedConnection: 'retry' },
  assumes: ["the controller's default --sync-rate-limit (0.3)"],
  sources: [
    {
      ref: 'kubernetes/ingress-nginx internal/ingress/controller/endpointslices.go',
      says: 'endpoints whose ready condition is false are skipped',
    },
    {
      ref: 'kubernetes/ingress-nginx docs/user-guide/cli-arguments.md',
      says: '--sync-rate-limit: the sync frequency upper limit, 0.3 by default',
    },
    {
      ref: 'kubernetes/ingress-nginx internal/ingress/controller/nginx.go',
      says: 'the syncs go through a token bucket of --sync-rate-limit per second, burst 1: one sync per 3.3 s at most',
    },
    {
      ref: 'kubernetes/ingress-nginx rootfs/etc/nginx/lua/balancer.lua',
      says: 'BACKENDS_SYNC_INTERVAL = 1: each worker reads the posted backends every second, so a change takes the POST delay + 1 s',
    },
    {
      ref: 'kubernetes/ingress-nginx#7097',
      says: '502 Bad Gateway at 2–3 requests/s during a rolling update, despite a readiness probe and maxUnavailable 0',
    },
    {
      ref: 'kubernetes/ingress-nginx#3639',
      says: '502 and connection refused when pods are deleted: SIGTERM comes before the controller updates its upstreams; a maintainer suggests a preStop sleep 5',
    },
    {
      ref: 'kubernetes/ingress-nginx#322',
      says: "requests rejected for about half a second while the controller's own deployment rolls; a preStop sleep is reported to work for backend pods",
    },
    {
      ref: 'zdd estimate',
      says: '1 s for the EndpointSlice update, on top of 3.3 s + 1 s: 6 s at worst; typical 2.5 s (half a sync period + the Lua timer)',
    },
    {
      ref: 'kubernetes/ingress-nginx docs/user-guide/nginx-configuration/configmap.md',
      says: 'proxy-next-upstream "error timeout", proxy-next-upstream-tries 3: a refused connection is retried on another endpoint',
    },
  ],
};
