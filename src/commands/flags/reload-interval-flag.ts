import { ROUTER_RELOAD_INTERVAL } from '../../spec/router-reload-interval.js';
import { numberOption } from './number-option.js';

/** `--reload-interval`, declared once for every command that takes it (compare, local up, testbed up, check). */
export const RELOAD_INTERVAL_OPTION = {
  ...numberOption(`--${ROUTER_RELOAD_INTERVAL.flag}`),
  default: ROUTER_RELOAD_INTERVAL.defaultSeconds,
  describe: "seconds between the router's reloads (OpenShift's RELOAD_INTERVAL)",
} as const;
