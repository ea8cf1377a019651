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
    'nginx keeps idle upstream connections (upstream keepalive); a request can go out on one to a pod that was removed and has closed it',
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
      says: '--sync-rate-limit: the sync frequency upper limit, 0.3 per second by default (one sync per 3.3 s)',
    },
    {
      ref: 'kubernetes/ingress-nginx rootfs/etc/nginx/lua/balancer.lua',
      says: 'BACKENDS_SYNC_INTERVAL = 1: the balancer reads the posted backends once a second',
    },
    { ref: 'kubernetes/ingress-nginx#7097', says: '502s during rolling updates without a preStop delay' },
    {
      ref: 'kubernetes/ingress-nginx docs/user-guide/nginx-configuration/configmap.md',
      says: 'proxy-next-upstream "error timeout", proxy-next-upstream-tries 3: a refused connection is retried on another endpoint',
    },
    { ref: 'kubernetes/ingress-nginx#322', says: '502s while pods of a deployment are replaced' },
    { ref: 'zdd estimate', says: '1 s for the EndpointSlice update, on top of 3.3 s + 1 s: 6 s at worst' },
  ],
};
