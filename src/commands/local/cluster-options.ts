import { LOCAL_CLUSTER_DEFAULTS, ROUTER_KINDS } from '../../cluster/local/settings.js';
import { RELOAD_DISCIPLINES } from '../../cluster/router/reloading-router.js';
import { numberOption } from '../flags/number-option.js';
import { RELOAD_INTERVAL_OPTION } from '../flags/reload-interval-flag.js';

/** How the local cluster runs: the flags `compare` and `local up` share. */
export const LOCAL_CLUSTER_OPTIONS = {
  'time-scale': {
    ...numberOption('--time-scale'),
    default: LOCAL_CLUSTER_DEFAULTS.timeScale,
    describe: 'stretch every duration (0.1 = ten times faster; 0.01 to 100)',
  },
  router: {
    choices: ROUTER_KINDS,
    default: LOCAL_CLUSTER_DEFAULTS.router,
    describe: 'router in front of the Services',
  },
  'reload-interval': RELOAD_INTERVAL_OPTION,
  'router-reloads': {
    choices: RELOAD_DISCIPLINES,
    default: LOCAL_CLUSTER_DEFAULTS.reloads,
    describe: 'periodic: reloads every interval, as on a shared cluster; coalesced: a quiet router',
  },
  'image-command': {
    type: 'string',
    array: true,
    default: [...LOCAL_CLUSTER_DEFAULTS.imageCommands],
    describe: 'run an image as a local command: IMAGE=COMMAND (port in $PORT; repeatable)',
  },
} as const;
