import { ROUTER_RELOAD_INTERVAL_SECONDS } from '../platforms/openshift-router-defaults.js';

/**
 * The router's reload interval: OpenShift's router applies endpoint changes at most this often. Every command
 * that models or judges the router (compare, local up, testbed up, check) takes it under one flag name, with
 * this one default. Its one import is a constant, so that the CLI declares its flags without loading anything.
 */
export const ROUTER_RELOAD_INTERVAL = {
  flag: 'reload-interval',
  defaultSeconds: ROUTER_RELOAD_INTERVAL_SECONDS,
  /** The spellings zdd took before, refused with a hint that names `flag`. */
  formerFlags: ['router-reload-interval'],
} as const;
