import { ROUTER_RELOAD_INTERVAL_SECONDS } from '../platforms/openshift-router-defaults.js';

/**
 * The router facts the explanations reason with (Kubernetes' own defaults are
 * in src/kubernetes/defaults.ts).
 */
export const ROUTER_FACTS = {
  /** OpenShift's router applies endpoint changes at most this often (RELOAD_INTERVAL), as the local cluster models it. */
  routerReloadSeconds: ROUTER_RELOAD_INTERVAL_SECONDS,
  /** HAProxy's `timeout server` on OpenShift's router: the longest a request may wait for its response. */
  routerTimeoutServerSeconds: 30,
} as const;
