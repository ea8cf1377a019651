import yargs, { type Argv } from 'yargs';
import { LOCAL_CLUSTER_DEFAULTS, ROUTER_KINDS } from '../cluster/local/settings.js';
import { RELOAD_DISCIPLINES } from '../cluster/router/reloading-router.js';
import { DEFAULT_CONTROL_PORT } from '../commands/local/control.js';
import { COMPARE_DEFAULTS, LOAD_KINDS, TARGETS } from '../compare/options.js';
import { UsageError } from '../errors.js';
import { port, positive } from '../flag-checks.js';
import { CONNECTIONS_CHOICES } from '../load/connections.js';
import { checkRepeatedFlags, numberFlag, oneLineYargsMessage } from './flag-parsing.js';
import { layerFromFlags, withSpecFlags } from './spec-flags.js';

/** What every command may use besides its flags. */
export interface CliContext {
  /** Aborted by Ctrl-C or SIGTERM: long-running commands stop what they started. */
  readonly signal?: AbortSignal;
}

/** Flags that may be given more than once, each adding a value. */
const REPEATABLE = new Set(['env', 'image-command', 'manifests']);

/** How the local cluster runs: shared by `compare` and `local up`. */
const LOCAL_CLUSTER_OPTIONS = {
  'time-scale': {
    type: 'string',
    default: LOCAL_CLUSTER_DEFAULTS.timeScale,
    coerce: numberFlag('--time-scale'),
    describe: 'stretch every duration (0.1 = ten times faster; 0.01 to 100)',
  },
  router: {
    choices: ROUTER_KINDS,
    default: LOCAL_CLUSTER_DEFAULTS.router,
    describe: 'router in front of the Services',
  },
  'reload-interval': {
    type: 'string',
    default: LOCAL_CLUSTER_DEFAULTS.reloadIntervalSeconds,
    coerce: numberFlag('--reload-interval'),
    describe: "router reload interval in seconds (OpenShift's RELOAD_INTERVAL)",
  },
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

/** Every zdd command, declared in one place; each lazily imports its folder in src/commands. */
export function cli(argv: readonly string[], context: CliContext = {}): Argv {
  checkRepeatedFlags(argv, REPEATABLE);
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
      'put the same load on both variants while they roll out; print the comparison; exit 1 if zero-downtime dropped requests, 3 if the run cannot be judged',
      (y) =>
        withSpecFlags(y)
          .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
          .option('target', {
            type: 'string',
            default: COMPARE_DEFAULTS.target,
            describe: `where the variants run: ${TARGETS.join(', ')} (real processes on 127.0.0.1)`,
          })
          .option('rate', {
            type: 'string',
            default: COMPARE_DEFAULTS.rate,
            coerce: numberFlag('--rate'),
            describe: 'requests per second on each variant (open model)',
          })
          .option('connections', {
            choices: CONNECTIONS_CHOICES,
            default: COMPARE_DEFAULTS.connections,
            describe: 'reused keep-alive connections, a new connection per request, or both (half the rate each)',
          })
          .option('warmup', {
            type: 'string',
            default: COMPARE_DEFAULTS.warmup,
            coerce: numberFlag('--warmup'),
            describe: 'seconds of load before the rollouts',
          })
          .option('cooldown', {
            type: 'string',
            default: COMPARE_DEFAULTS.cooldown,
            coerce: numberFlag('--cooldown'),
            describe: 'seconds of load after the rollouts',
          })
          .option('rounds', {
            type: 'string',
            default: COMPARE_DEFAULTS.rounds,
            coerce: numberFlag('--rounds'),
            describe: 'rollouts of both variants, one after the other',
          })
          .option('max-error-rate', {
            type: 'string',
            default: COMPARE_DEFAULTS.maxErrorRate,
            coerce: numberFlag('--max-error-rate'),
            describe: "the zero-downtime variant's error budget per connection pattern, in percent",
          })
          .option('load', {
            choices: LOAD_KINDS,
            default: COMPARE_DEFAULTS.load,
            describe: 'load generator: k6, builtin, or auto (k6 if installed)',
          })
          .options(LOCAL_CLUSTER_OPTIONS)
          .option('timeout', {
            type: 'string',
            default: COMPARE_DEFAULTS.timeout,
            coerce: numberFlag('--timeout'),
            describe: 'seconds to wait for the variants to become ready, and for each rollout',
          })
          .option('results', {
            type: 'string',
            default: COMPARE_DEFAULTS.results,
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
          signal: context.signal,
          plan: {
            target: args.target,
            rate: args.rate,
            connections: args.connections,
            warmup: args.warmup,
            cooldown: args.cooldown,
            rounds: args.rounds,
            maxErrorRate: args['max-error-rate'],
            load: args.load,
            timeScale: args['time-scale'],
            router: args.router,
            reloadIntervalSeconds: args['reload-interval'],
            reloads: args['router-reloads'],
            imageCommands: args['image-command'],
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
              .option('control-port', {
                type: 'string',
                default: DEFAULT_CONTROL_PORT,
                coerce: numberFlag('--control-port'),
                describe: 'port of the control API on 127.0.0.1',
              })
              .option('verbose', { type: 'boolean', default: false, describe: 'print every event as it happens' }),
          async (args) => {
            const { localUp } = await import('../commands/local/up.js');
            const { timeScale } = await import('../compare/options.js');
            await localUp({
              manifests: args.manifests,
              timeScale: timeScale(args['time-scale']),
              router: args.router,
              reloadIntervalSeconds: positive('--reload-interval', args['reload-interval']),
              reloads: args['router-reloads'],
              imageCommands: args['image-command'],
              controlPort: port('--control-port', args['control-port']),
              verbose: args.verbose,
              signal: context.signal,
            });
          },
        )
        .command(
          'rollout <workloads..>',
          'roll out workloads of a running "zdd local up" at the same moment (oc rollout latest)',
          (y) =>
            y.positional('workloads', { type: 'string', array: true, demandOption: true }).option('control-port', {
              type: 'string',
              default: DEFAULT_CONTROL_PORT,
              coerce: numberFlag('--control-port'),
            }),
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
              .option('control-port', {
                type: 'string',
                default: DEFAULT_CONTROL_PORT,
                coerce: numberFlag('--control-port'),
              }),
          async (args) => {
            const { localEvents } = await import('../commands/local/events.js');
            await localEvents({
              controlPort: port('--control-port', args['control-port']),
              follow: args.follow,
              json: args.json,
              signal: context.signal,
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
      // yargs wraps what a `coerce` throws in its own error; ours carry the message already.
      if (error instanceof Error && error.name !== 'YError') throw error;
      throw new UsageError(oneLineYargsMessage(message ?? error?.message ?? 'bad arguments', argv));
    });
}
