/**
 * The router's reload interval: OpenShift's router applies endpoint changes at most this often. Every command
 * that models or judges the router (compare, local up, testbed up, check) takes it under one flag name, with
 * this one default. No imports, so that the CLI declares its flags without loading anything.
 */
export const ROUTER_RELOAD_INTERVAL = {
  flag: 'reload-interval',
  /**
   * openshift/router's `RELOAD_INTERVAL` default, and OpenShift 4's
   * `IngressController.spec.tuningOptions.reloadInterval` default.
   */
  defaultSeconds: 5,
  /** The spellings zdd took before, refused with a hint that names `flag`. */
  formerFlags: ['router-reload-interval'],
} as const;
