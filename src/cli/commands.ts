import yargs, { type Argv } from 'yargs';
import { RELOAD_DISCIPLINES } from '../cluster/router/reloading-router.js';
import { DEFAULT_CONTROL_PORT } from '../commands/local/control.js';
import { LOAD_KINDS } from '../compare/options.js';
import { UsageError } from '../errors.js';
import { port, positive } from '../flag-checks.js';
import { layerFromFlags, withSpecFlags } from './spec-flags.js';

/** How the local cluster runs: shared by `compare` and `local up`. */
const LOCAL_CLUSTER_OPTIONS = {
  'time-scale': { type: 'number', default: 1, describe: 'stretch every duration (0.1 = ten times faster)' },
  router: {
    choices: ['builtin', 'haproxy'] as const,
    default: 'builtin' as const,
    describe: 'router in front of the Services',
  },
  'reload-interval': {
    type: 'number',
    default: 5,
    describe: "router reload interval in seconds (OpenShift's RELOAD_INTERVAL)",
  },
  'router-reloads': {
    choices: RELOAD_DISCIPLINES,
    default: 'periodic' as const,
    describe: 'periodic: reloads every interval, as on a shared cluster; coalesced: a quiet router',
  },
} as const;

/** Every zdd command, declared in one place; each lazily imports its folder in src/commands. */
export function cli(argv: readonly string[]): Argv {
  return yargs([...argv])
    .scriptName('zdd')
    .usage('$0 <command> [options]\n\nProves that a rollout drops zero requests.')
    .command(
      'synth',
      'write the default and zero-downtime manifests (one file per variant)',
      (y) =>
        withSpecFlags(y)
          .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
          .option('out', { type: 'string', default: 'dist', describe: 'folder to write the files to' })
          .option('stdout', {
            type: 'boolean',
            default: false,
            describe: 'print the manifests instead of writing files',
          })
          .example('$0 synth', 'the sample app, DeploymentConfig + Service + Route, into dist/')
          .example('$0 synth --preset seed --out seed/', "the seed's demo, exactly")
          .example('$0 synth --workload deployment --expose ingress --domain apps.example.com', 'plain Kubernetes'),
      async (args) => {
        const { synth } = await import('../commands/synth/index.js');
        await synth({ flags: layerFromFlags(args), config: args.config, out: args.out, stdout: args.stdout });
      },
    )
    .command(
      'compare',
      'put the same load on both variants while they roll out; print the comparison; exit 1 if zero-downtime dropped requests',
      (y) =>
        withSpecFlags(y)
          .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
          .option('target', {
            type: 'string',
            default: 'local',
            describe: 'where the variants run: local (real processes on 127.0.0.1)',
          })
          .option('rate', { type: 'number', default: 50, describe: 'requests per second on each variant (open model)' })
          .option('warmup', { type: 'number', default: 10, describe: 'seconds of load before the rollouts' })
          .option('cooldown', { type: 'number', default: 10, describe: 'seconds of load after the rollouts' })
          .option('rounds', { type: 'number', default: 1, describe: 'rollouts of both variants, one after the other' })
          .option('max-error-rate', {
            type: 'number',
            default: 0,
            describe: "the zero-downtime variant's error budget, in percent",
          })
          .option('load', {
            choices: LOAD_KINDS,
            default: 'auto' as const,
            describe: 'load generator: k6, builtin, or auto (k6 if installed)',
          })
          .options(LOCAL_CLUSTER_OPTIONS)
          .option('timeout', {
            type: 'number',
            default: 600,
            describe: 'seconds to wait for the variants to become ready, and for each rollout',
          })
          .option('results', {
            type: 'string',
            default: 'results',
            describe: 'folder for the results (a timestamped folder inside)',
          })
          .example('$0 compare', 'the sample app, 50 req/s, one rollout each')
          .example('$0 compare --time-scale 0.1 --rounds 5', 'five rounds, ten times faster')
          .example('$0 compare --preset seed --load k6', "the seed's settings, load from k6"),
      async (args) => {
        const { compare } = await import('../commands/compare/index.js');
        process.exitCode = await compare({
          flags: layerFromFlags(args),
          config: args.config,
          plan: {
            target: args.target,
            rate: args.rate,
            warmup: args.warmup,
            cooldown: args.cooldown,
            rounds: args.rounds,
            maxErrorRate: args['max-error-rate'],
            load: args.load,
            timeScale: args['time-scale'],
            router: args.router,
            reloadInterval: args['reload-interval'],
            reloads: args['router-reloads'],
            timeout: args.timeout,
            results: args.results,
          },
        });
      },
    )
    .command('local', 'run manifests on a local cluster of real processes on 127.0.0.1', (local) =>
      local
        .command(
          'up',
          'run the manifests in the foreground; prints each route URL; Ctrl-C stops everything',
          (y) =>
            y
              .option('manifests', {
                type: 'string',
                array: true,
                default: ['dist'],
                describe: 'manifest files or folders',
              })
              .options(LOCAL_CLUSTER_OPTIONS)
              .option('image-command', {
                type: 'string',
                array: true,
                default: [],
                describe: 'run an image as a local command: IMAGE=COMMAND (port in $PORT)',
              })
              .option('control-port', {
                type: 'number',
                default: DEFAULT_CONTROL_PORT,
                describe: 'port of the control API on 127.0.0.1',
              })
              .option('verbose', { type: 'boolean', default: false, describe: 'print every event as it happens' }),
          async (args) => {
            const { localUp } = await import('../commands/local/up.js');
            await localUp({
              manifests: args.manifests,
              timeScale: positive('--time-scale', args['time-scale']),
              router: args.router,
              reloadInterval: positive('--reload-interval', args['reload-interval']),
              reloads: args['router-reloads'],
              imageCommands: args['image-command'],
              controlPort: port('--control-port', args['control-port']),
              verbose: args.verbose,
            });
          },
        )
        .command(
          'rollout <workloads..>',
          'roll out workloads of a running "zdd local up" at the same moment (oc rollout latest)',
          (y) =>
            y
              .positional('workloads', { type: 'string', array: true, demandOption: true })
              .option('control-port', { type: 'number', default: DEFAULT_CONTROL_PORT }),
          async (args) => {
            const { localRollout } = await import('../commands/local/rollout.js');
            process.exitCode = await localRollout({
              workloads: args.workloads,
              controlPort: port('--control-port', args['control-port']),
            });
          },
        )
        .command(
          'events',
          'print the event log of a running "zdd local up"',
          (y) =>
            y
              .option('follow', { type: 'boolean', default: false, alias: 'f', describe: 'keep printing new events' })
              .option('json', { type: 'boolean', default: false, describe: 'one JSON object per line' })
              .option('control-port', { type: 'number', default: DEFAULT_CONTROL_PORT }),
          async (args) => {
            const { localEvents } = await import('../commands/local/events.js');
            await localEvents({
              controlPort: port('--control-port', args['control-port']),
              follow: args.follow,
              json: args.json,
            });
          },
        )
        .demandCommand(1, 'Name a local command: up, rollout or events'),
    )
    .demandCommand(1, 'Name a command: zdd synth, zdd compare, zdd local')
    .strict()
    .recommendCommands()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}
