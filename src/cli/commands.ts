import yargs, { type Argv } from 'yargs';
import { LOCAL_CLUSTER_DEFAULTS, ROUTER_KINDS } from '../cluster/local/settings.js';
import { RELOAD_DISCIPLINES } from '../cluster/router/reloading-router.js';
import { DEFAULT_CONTROL_PORT } from '../commands/local/control.js';
import { COMPARE_DEFAULTS, LOAD_KINDS, TARGETS } from '../compare/options.js';
import { UsageError } from '../errors.js';
import { port, positive } from '../flag-checks.js';
import { CONNECTIONS_CHOICES } from '../load/connections.js';
import {
  checkFlagSpellings,
  checkRepeatedFlags,
  type DeclaredFlags,
  numberFlag,
  oneLineYargsMessage,
} from './flag-parsing.js';
import { RELOAD_INTERVAL_OPTION } from './reload-interval-flag.js';
import { layerFromFlags, withSpecFlags } from './spec-flags.js';

/** What every command may use besides its flags. */
export interface CliContext {
  /** Aborted by Ctrl-C or SIGTERM: long-running commands stop what they started. */
  readonly signal?: AbortSignal;
}

const CLUSTER = 'With --target cluster:';

/** Flags that may be given more than once, each adding a value. */
const REPEATABLE = new Set(['env', 'image-command', 'manifests', 'route-url', 'variant', 'workload', 'rollout-at']);

/** What a command's required positional argument is, for yargs' "Not enough non-option arguments". */
const REQUIRED_ARGUMENTS: Readonly<Record<string, string>> = {
  check: 'name at least one file or folder to check, or - for standard input (e.g. zdd check dist/)',
  'local rollout': 'name at least one workload to roll out (e.g. zdd local rollout default-app)',
};

/** The commands that take positional arguments, as yargs declares them. */
const POSITIONAL_COMMANDS = {
  diff: 'diff [files..]',
  check: 'check <paths..>',
  report: 'report [dir]',
  localRollout: 'rollout <workloads..>',
} as const;

/** Their arguments' names: yargs would also take them as flags (`--files a b`), which they are not. */
const POSITIONAL_NAMES: ReadonlySet<string> = new Set(
  Object.values(POSITIONAL_COMMANDS).flatMap((command) =>
    [...command.matchAll(/[<[](\w+)(?:\.\.)?[>\]]/g)].map((match) => match[1] ?? ''),
  ),
);

/** The part of yargs' option table that says which flags a command declares (what `.check` is given). */
interface OptionTable {
  readonly key: Readonly<Record<string, unknown>>;
  readonly boolean: readonly string[];
}

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

/** Every zdd command, declared in one place; each lazily imports its folder in src/commands. */
export function cli(argv: readonly string[], context: CliContext = {}): Argv {
  checkRepeatedFlags(argv, REPEATABLE);
  return withOneSpelling(yargs([...argv]), argv)
    .scriptName('zdd')
    .usage('$0 <command> [options]\n\nProves that a rollout drops zero requests.')
    .command(
      'synth',
      'write the default and zero-downtime manifests: one file per variant, a kustomize base and overlay, a Helm chart',
      (y) =>
        withSpecFlags(y)
          .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
          .option('out', { type: 'string', default: 'dist', describe: 'folder to write the files to' })
          .option('stdout', {
            type: 'boolean',
            default: false,
            describe: 'print the manifests instead of writing files',
          })
          .option('format', {
            type: 'string',
            describe: 'forms to write, comma-separated: plain (one file per variant), kustomize, helm (default: all)',
          })
          .example('$0 synth', 'the sample app, DeploymentConfig + Service + Route, into dist/')
          .example('$0 synth --preset seed --out seed/', "the seed's demo, exactly")
          .example('$0 synth --workload deployment --expose ingress --domain apps.example.com', 'plain Kubernetes')
          .example('$0 synth --format helm', 'only the Helm chart, into dist/helm/<chart>/'),
      async (args) => {
        const { synth } = await import('../commands/synth/index.js');
        const { parseOutputFormats } = await import('../outputs/formats.js');
        await synth({
          flags: layerFromFlags(args),
          config: args.config,
          out: args.out,
          formats: args.format === undefined ? undefined : parseOutputFormats('--format', args.format),
          stdout: args.stdout,
        });
      },
    )
    .command(
      POSITIONAL_COMMANDS.diff,
      'what the zero-downtime variant changes, field by field, and why each change matters for a rollout; or diff two manifest files or folders',
      (y) =>
        withSpecFlags(y)
          .positional('files', {
            type: 'string',
            array: true,
            describe: 'two manifest files or folders (default: the two variants)',
          })
          .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
          .option('format', {
            choices: ['text', 'markdown', 'json'] as const,
            default: 'text' as const,
            describe: 'text (colour on a terminal), markdown (for a pull-request comment) or json',
          })
          .example('$0 diff', 'the two variants of the sample app')
          .example('$0 diff --preset seed --format markdown', "the seed's variants, for a PR comment")
          .example('$0 diff old/ new/', 'any two manifest files or folders'),
      async (args) => {
        const { diff } = await import('../commands/diff/index.js');
        const { givenSpecFlags } = await import('./spec-flags.js');
        const noColor = (process.env.NO_COLOR ?? '') !== '';
        await diff({
          files: args.files,
          flags: layerFromFlags(args),
          settingFlags: givenSpecFlags(args),
          config: args.config,
          format: args.format,
          color: process.stdout.isTTY === true && !noColor,
        });
      },
    )
    .command(
      'compare',
      'put the same load on both variants while they roll out; print the comparison; exit 1 if zero-downtime dropped requests, 3 if the run cannot be judged',
      (y) =>
        withSpecFlags(y)
          .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
          .option('target', {
            choices: TARGETS,
            default: COMPARE_DEFAULTS.target,
            describe: 'local: real processes on 127.0.0.1; cluster: the kubeconfig’s cluster, through oc or kubectl',
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
          .option('seed', {
            type: 'string',
            coerce: numberFlag('--seed'),
            describe:
              "decides where the local router's periodic reloads stand at each round's rollout (default: random; summary.json keeps it, so --seed replays a run)",
          })
          .option('require-reproduced', {
            type: 'boolean',
            default: false,
            describe: 'INCONCLUSIVE instead of PASS when the default variant stayed within the error budget too',
          })
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
          .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (--target cluster)', group: CLUSTER })
          .option('context', { type: 'string', describe: 'kubeconfig context (--target cluster)', group: CLUSTER })
          .option('namespace', {
            type: 'string',
            describe: "namespace to deploy to (default: the context's)",
            group: CLUSTER,
          })
          .option('route-url', {
            type: 'string',
            array: true,
            describe: 'NAME=URL: send this variant’s load to URL instead of its route’s host (repeatable)',
            group: CLUSTER,
          })
          .option('router-address', {
            type: 'string',
            describe: "HOST:PORT: send to this router with each route's host as Host header (curl --resolve)",
            group: CLUSTER,
          })
          .option('cleanup', {
            type: 'boolean',
            describe: 'delete what the run applied when it ends, also after Ctrl-C',
            group: CLUSTER,
          })
          .option('dry-run', {
            type: 'boolean',
            describe: 'print every command the run would execute, in order; run none (writes only the manifests file)',
            group: CLUSTER,
          })
          .option('run-id', {
            type: 'string',
            describe:
              "label the run's objects zdd/run-id=ID instead of a new id: run again over that run's objects (the only ones zdd changes or deletes)",
            group: CLUSTER,
          })
          .option('format', {
            choices: ['table', 'markdown', 'json'] as const,
            default: 'table' as const,
            describe: 'what goes to stdout: the table, the Markdown report, or summary.json (the rest goes to stderr)',
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
            seed: args.seed,
            requireReproduced: args['require-reproduced'],
            timeout: args.timeout,
            results: args.results,
            kubeconfig: args.kubeconfig,
            context: args.context,
            namespace: args.namespace,
            routeUrls: args['route-url'],
            routerAddress: args['router-address'],
            cleanup: args.cleanup,
            dryRun: args['dry-run'],
            runId: args['run-id'],
          },
          format: args.format,
        });
      },
    )
    .command(
      POSITIONAL_COMMANDS.check,
      'audit manifests for zero-downtime rollouts (readiness, preStop vs the router, grace period, rolling parameters, PDBs); exit 1 on a finding at or above --fail-on, 2 on unreadable input',
      (y) =>
        y
          .positional('paths', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'files, folders (their .yaml, .yml and .json files), or - for standard input',
          })
          .option('format', {
            choices: ['human', 'json', 'sarif'] as const,
            default: 'human' as const,
            describe: 'human: grouped by object; json: for scripts; sarif: SARIF 2.1.0 for code-scanning UIs',
          })
          .option('fail-on', {
            choices: ['error', 'warning', 'info'] as const,
            default: 'error' as const,
            describe: 'the least severe finding that makes the exit code 1',
          })
          .option('reload-interval', RELOAD_INTERVAL_OPTION)
          .option('shutdown-seconds', {
            type: 'string',
            coerce: numberFlag('--shutdown-seconds'),
            describe: 'seconds the app needs to finish its requests after SIGTERM (default 10)',
          })
          .example('$0 check dist/', 'the synthesized manifests')
          .example('helm template my-release chart/ | $0 check -', 'a chart, rendered')
          .example('$0 check k8s/ --format sarif > zdd.sarif', 'for code scanning'),
      async (args) => {
        const { check } = await import('../commands/check/index.js');
        const { restoreStdinDash } = await import('../commands/check/stdin-dash.js');
        process.exitCode = await check({
          paths: restoreStdinDash(args.paths, argv),
          format: args.format,
          failOn: args['fail-on'],
          routerReloadIntervalSeconds: args['reload-interval'],
          shutdownSeconds: args['shutdown-seconds'],
          ...(context.signal && { signal: context.signal }),
        });
      },
    )
    .command(
      POSITIONAL_COMMANDS.report,
      'write report.html, report.md and timeline.svg for a results folder, or for JMeter or k6 results (--from); print the table',
      (y) =>
        y
          .positional('dir', { type: 'string', describe: 'a results folder of zdd compare (results/<timestamp>)' })
          .option('from', {
            type: 'string',
            describe:
              'another tool’s results instead: a JMeter .jtl (CSV), k6 --out json or --out csv output, or a k6 summary JSON',
          })
          .option('variant', {
            type: 'string',
            array: true,
            describe: 'ROLE=LABEL: which label or k6 variant/scenario is default or zero-downtime (repeatable)',
          })
          .option('events', {
            type: 'string',
            describe: 'rollout times and cluster events: events.json of a run, or zdd local events --json output',
          })
          .option('workload', {
            type: 'string',
            array: true,
            describe: 'LABEL=WORKLOAD: the workload in --events that served LABEL (default: the one named LABEL)',
          })
          .option('rollout-at', {
            type: 'string',
            array: true,
            describe: 'ISO 8601 time a rollout started, when there is no --events (repeatable)',
          })
          .option('max-error-rate', {
            type: 'string',
            coerce: numberFlag('--max-error-rate'),
            describe:
              "with --from: the zero-downtime variant's error budget per connection pattern, in percent (default 0)",
          })
          .option('latency', {
            choices: ['duration', 'total'] as const,
            describe:
              "what the latency figures measure: total (from the request's start, connecting included; the default where the source has it) or duration (k6's http_req_duration: from sending it; a k6 summary's only)",
          })
          .option('out', {
            type: 'string',
            describe: 'folder for the files (default: the results folder; with --from, <file>-report/ beside the file)',
          })
          .option('format', {
            choices: ['table', 'markdown', 'json'] as const,
            default: 'table' as const,
            describe: 'what goes to stdout: the table, the Markdown report, or the figures as JSON',
          })
          .example('$0 report results/2026-11-29T18-12-34-157Z', 'the report of a compare run')
          .example(
            '$0 report --from run.jtl --variant default=old-app --variant zero-downtime=new-app --events events.json',
            'JMeter results of your own, with the rollout times of zdd local events --json',
          )
          .example('$0 report --from k6.ndjson --rollout-at 2026-11-29T18:48:31Z', 'k6 --out json output')
          .example('$0 report --from k6.csv --latency duration', 'k6 --out csv output, latency as http_req_duration'),
      async (args) => {
        const { report } = await import('../commands/report/index.js');
        process.exitCode = await report({
          ...(args.dir !== undefined && { folder: args.dir }),
          ...(args.from !== undefined && { from: args.from }),
          variants: args.variant ?? [],
          workloads: args.workload ?? [],
          ...(args.events !== undefined && { events: args.events }),
          rolloutAt: args['rollout-at'] ?? [],
          ...(args['max-error-rate'] !== undefined && { maxErrorRate: args['max-error-rate'] }),
          ...(args.latency !== undefined && { latency: args.latency }),
          ...(args.out !== undefined && { out: args.out }),
          format: args.format,
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
          POSITIONAL_COMMANDS.localRollout,
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
    .command('testbed', 'a real Kubernetes control plane on 127.0.0.1 to try --target cluster on', (testbed) =>
      testbed
        .command(
          'up',
          'start it in the foreground (needs testbed/build.sh); prints its kubeconfig and router; Ctrl-C stops it',
          (y) =>
            y
              .option('reload-interval', RELOAD_INTERVAL_OPTION)
              .option('router-reloads', {
                choices: RELOAD_DISCIPLINES,
                default: LOCAL_CLUSTER_DEFAULTS.reloads,
                describe: 'periodic or coalesced, as with zdd local up',
              })
              .option('seed', {
                type: 'string',
                coerce: numberFlag('--seed'),
                describe:
                  "at each workload's new revision, put the router's periodic reloads where zdd compare --seed puts the local router's",
              }),
          async (args) => {
            const { testbedUp } = await import('../commands/testbed/up.js');
            const { seedFlag } = await import('../compare/options.js');
            await testbedUp({
              reloadIntervalSeconds: positive('--reload-interval', args['reload-interval']),
              reloads: args['router-reloads'],
              ...(args.seed !== undefined && { seed: seedFlag(args.seed) }),
              ...(context.signal && { signal: context.signal }),
            });
          },
        )
        .demandCommand(1, 'Name a testbed command: up'),
    )
    .demandCommand(1, 'Name a command: zdd synth, zdd compare, zdd report, zdd diff, zdd check, zdd local, zdd testbed')
    .strict()
    .recommendCommands()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      // yargs wraps what a `coerce` throws in its own error; ours carry the message already.
      if (error instanceof Error && error.name !== 'YError') throw error;
      throw new UsageError(oneLineYargsMessage(message ?? error?.message ?? 'bad arguments', argv, REQUIRED_ARGUMENTS));
    });
}

/**
 * One spelling per flag: no camelCase twin (`--maxErrorRate`), no nested keys (`--image.x`), and what yargs
 * would still take is checked against the command's own flags, before validation, so that a misspelt flag is
 * named before yargs reports what its value did.
 */
function withOneSpelling(y: Argv, argv: readonly string[]): Argv {
  return y
    .parserConfiguration({ 'camel-case-expansion': false, 'dot-notation': false })
    .middleware((_args: unknown, parser?: { getOptions(): OptionTable }) => {
      if (parser) checkFlagSpellings(argv, declaredFlags(parser.getOptions()));
    }, true);
}

function declaredFlags(options: OptionTable): DeclaredFlags {
  const names = Object.keys(options.key).filter((name) => !POSITIONAL_NAMES.has(name));
  return { names: new Set(names), switches: new Set(options.boolean) };
}
