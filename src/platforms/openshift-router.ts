import { ROUTER_RELOAD_INTERVAL_SECONDS } from './openshift-router-defaults.js';
import type { PlatformProfile } from './profile.js';

/**
 * Seconds on top of the reload interval for the EndpointSlice update to reach the router and for the reload
 * itself: zdd's allowance (the check's rule has always used it), not a platform number.
 */
export const ROUTER_UPDATE_SECONDS = 2;

/** OpenShift's router (HAProxy), the default platform; its reload interval is `--reload-interval`. */
export function openshiftRouter(reloadIntervalSeconds: number = ROUTER_RELOAD_INTERVAL_SECONDS): PlatformProfile {
  return {
    name: 'openshift-router',
    title: 'OpenShift router (HAProxy, Routes)',
    propagation: {
      how: `the router rewrites HAProxy's configuration and reloads it at most once per reload interval (${reloadIntervalSeconds} s); on a shared router other routes' changes keep it reloading, so a change waits up to one interval`,
      seconds: {
        min: 1,
        typical: reloadIntervalSeconds / 2 + 1,
        worst: reloadIntervalSeconds + ROUTER_UPDATE_SECONDS,
      },
    },
    terminating: {
      traffic: 'never',
      how: 'the router routes to EndpointSlice endpoints that are ready; a terminating pod is never ready',
    },
    draining:
      'a reload starts a new HAProxy process; the old one keeps the connections it holds until they close, so a kept-alive connection can still reach a removed pod',
    marginSeconds: 3,
    emulation: { kind: 'reload-interval', removeSeconds: 0, addSeconds: 0, refusedConnection: 'retry' },
    assumes: ['the router is shared, so it reloads every interval for some route (`--reload-discipline periodic`)'],
    sources: [
      {
        ref: 'openshift/router pkg/cmd/infra/router/template.go',
        says: 'RELOAD_INTERVAL (the --interval flag), 5 s by default: reload requests are coalesced for that long after the last reload',
      },
      {
        ref: 'openshift/api operator/v1/types_ingress.go',
        says: 'IngressController spec.tuningOptions.reloadInterval: 1 s to 120 s (values outside are capped or floored, not rejected)',
      },
      {
        ref: 'openshift/enhancements#1184',
        says: "reloadInterval exposes the router's RELOAD_INTERVAL, default left at 5 s; a reload starts a new HAProxy process and the old one runs until its connections close",
      },
      {
        ref: 'openshift/router pkg/router/controller/endpointsubset/converter.go',
        says: 'EndpointSlice endpoints whose ready condition is false go to NotReadyAddresses; only those ready (or unset) are addresses',
      },
      {
        ref: 'openshift/router pkg/router/template/plugin.go',
        says: "createRouterEndpoints makes HAProxy's servers from the addresses only, never from NotReadyAddresses",
      },
      {
        ref: 'zdd estimate',
        says: `${ROUTER_UPDATE_SECONDS} s for the EndpointSlice update and the reload itself; typical: half an interval plus 1 s; min 1 s`,
      },
    ],
  };
}
