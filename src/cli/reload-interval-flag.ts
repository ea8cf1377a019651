import { ROUTER_RELOAD_INTERVAL } from '../spec/router-reload-interval.js';
import { numberFlag } from './flag-parsing.js';

/** `--reload-interval`, declared once for every command that takes it (compare, local up, testbed up, check). */
export const RELOAD_INTERVAL_OPTION = {
  type: 'string',
  default: ROUTER_RELOAD_INTERVAL.defaultSeconds,
  coerce: numberFlag(`--${ROUTER_RELOAD_INTERVAL.flag}`),
  describe: "seconds between the router's reloads (OpenShift's RELOAD_INTERVAL)",
} as const;
