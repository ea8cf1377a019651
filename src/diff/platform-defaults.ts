import { ROUTER_RELOAD_INTERVAL } from '../spec/router-reload-interval.js';

/**
 * What the platform does when a manifest leaves a rollout setting out, and the
 * router facts the explanations reason with.
 */
export const PLATFORM_DEFAULTS = {
  /** Kubernetes' default terminationGracePeriodSeconds. */
  terminationGracePeriodSeconds: 30,
  /** The default maxSurge and maxUnavailable of a Deployment and a DeploymentConfig alike. */
  maxSurge: '25%',
  maxUnavailable: '25%',
  /** OpenShift's router applies endpoint changes at most this often (RELOAD_INTERVAL). */
  routerReloadSeconds: ROUTER_RELOAD_INTERVAL.defaultSeconds,
  /** HAProxy's `timeout server` on OpenShift's router: the longest a request may wait for its response. */
  routerTimeoutServerSeconds: 30,
} as const;
