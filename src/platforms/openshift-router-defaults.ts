/**
 * How often OpenShift's router applies endpoint changes, in seconds: openshift/router's `RELOAD_INTERVAL`
 * default, and OpenShift 4's `IngressController.spec.tuningOptions.reloadInterval` default.
 */
export const ROUTER_RELOAD_INTERVAL_SECONDS = 5;
