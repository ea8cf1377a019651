import { LOCAL_CLUSTER_DEFAULTS } from '../../cluster/local/settings.js';
import { port, positive } from '../../input/flag-checks.js';
import { PLATFORM_NAMES } from '../../platforms/names.js';
import { ExitCode } from '../../runtime/errors.js';
import { defineCommand, defineGroup } from '../command.js';
import { numberOption } from '../flags/number-option.js';
import { LOCAL_CLUSTER_OPTIONS } from './cluster-options.js';
import { DEFAULT_CONTROL_PORT } from './control.js';

const CONTROL_PORT = { ...numberOption('--control-port'), default: DEFAULT_CONTROL_PORT } as const;

const upCommand = defineCommand({
  command: 'up',
  describe: 'run the manifests in the foreground; prints each route URL; Ctrl-C stops everything',
  repeatable: ['manifests', 'image-command'],
  builder: (y) =>
    y
      .option('manifests', {
        type: 'string',
        array: true,
        default: ['dist'],
        describe: 'manifest files or folders',
      })
      .options(LOCAL_CLUSTER_OPTIONS)
      .option('platform', {
        choices: PLATFORM_NAMES,
        default: LOCAL_CLUSTER_DEFAULTS.platform,
        describe: 'the platform in front of the pods: the cluster emulates its propagation (zdd platforms)',
      })
      .option('control-port', { ...CONTROL_PORT, describe: 'port of the control API on 127.0.0.1' })
      .option('verbose', { type: 'boolean', default: false, describe: 'print every event as it happens' })
      .example(
        '$0 local up --platform ingress-nginx',
        'endpoint changes reach the router 6 s late, as behind ingress-nginx',
      ),
  run: async (args, { signal }) => {
    const { localUp } = await import('./up.js');
    const { platformOf, timeScale } = await import('../../compare-flow/options.js');
    const reloadIntervalSeconds = positive('--reload-interval', args['reload-interval']);
    const reloads = args['router-reloads'];
    await localUp({
      manifests: args.manifests,
      timeScale: timeScale(args['time-scale']),
      router: args.router,
      reloadIntervalSeconds,
      reloads,
      platform: platformOf({ platform: args.platform, reloadIntervalSeconds, reloads }),
      imageCommands: args['image-command'],
      controlPort: port('--control-port', args['control-port']),
      verbose: args.verbose,
      signal,
    });
    return ExitCode.ok;
  },
});

const rolloutCommand = defineCommand({
  command: 'rollout <workloads..>',
  describe: 'roll out workloads of a running "zdd local up" at the same moment (oc rollout latest)',
  missingArgument: 'name at least one workload to roll out (e.g. zdd local rollout default-app)',
  builder: (y) =>
    y.positional('workloads', { type: 'string', array: true, demandOption: true }).option('control-port', CONTROL_PORT),
  run: async (args) => {
    const { localRollout } = await import('./rollout.js');
    return localRollout({
      workloads: args.workloads,
      controlPort: port('--control-port', args['control-port']),
    });
  },
});

const eventsCommand = defineCommand({
  command: 'events',
  describe: 'print the event log of a running "zdd local up"',
  builder: (y) =>
    y
      .option('follow', { type: 'boolean', default: false, alias: 'f', describe: 'keep printing new events' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object per line' })
      .option('control-port', CONTROL_PORT),
  run: async (args, { signal }) => {
    const { localEvents } = await import('./events.js');
    await localEvents({
      controlPort: port('--control-port', args['control-port']),
      follow: args.follow,
      json: args.json,
      signal,
    });
    return ExitCode.ok;
  },
});

export const localCommand = defineGroup({
  command: 'local',
  describe: 'run manifests on a local cluster of real processes on 127.0.0.1',
  subcommands: [upCommand, rolloutCommand, eventsCommand],
  demand: 'Name a local command: up, rollout or events',
});
