import { COMPARE_DEFAULTS, TARGETS } from '../../compare-flow/options.js';
import { CONNECTIONS_CHOICES } from '../../load/connections.js';
import { DEFAULT_RUNNER_IMAGE } from '../../load/k6-operator/test-run.js';
import { LOAD_KINDS } from '../../load/load-kind.js';
import { PLATFORM_NAMES } from '../../platforms/names.js';
import { defineCommand } from '../command.js';
import { numberOption } from '../flags/number-option.js';
import { layerFromFlags, withSpecFlags } from '../flags/spec-flags.js';
import { LOCAL_CLUSTER_OPTIONS } from '../local/cluster-options.js';

const CLUSTER = 'With --target cluster:';
const OPERATOR = 'With --load k6-operator (and --target cluster):';

/** The load and the verdict: the flags before the local cluster's in --help. */
const LOAD_OPTIONS = {
  config: { type: 'string', describe: 'YAML or JSON file of settings (see README)' },
  target: {
    choices: TARGETS,
    default: COMPARE_DEFAULTS.target,
    describe: 'local: real processes on 127.0.0.1; cluster: the kubeconfig’s cluster, through oc or kubectl',
  },
  rate: {
    ...numberOption('--rate'),
    default: COMPARE_DEFAULTS.rate,
    describe: 'requests per second on each variant (open model)',
  },
  connections: {
    choices: CONNECTIONS_CHOICES,
    default: COMPARE_DEFAULTS.connections,
    describe: 'reused keep-alive connections, a new connection per request, or both (half the rate each)',
  },
  warmup: {
    ...numberOption('--warmup'),
    default: COMPARE_DEFAULTS.warmup,
    describe: 'seconds of load before the rollouts',
  },
  cooldown: {
    ...numberOption('--cooldown'),
    default: COMPARE_DEFAULTS.cooldown,
    describe: 'seconds of load after the rollouts',
  },
  rounds: {
    ...numberOption('--rounds'),
    default: COMPARE_DEFAULTS.rounds,
    describe: 'rollouts of both variants, one after the other',
  },
  'max-error-rate': {
    ...numberOption('--max-error-rate'),
    default: COMPARE_DEFAULTS.maxErrorRate,
    describe: "the zero-downtime variant's error budget per connection pattern, in percent",
  },
  load: {
    choices: LOAD_KINDS,
    default: COMPARE_DEFAULTS.load,
    describe:
      'load generator: k6, builtin, auto (k6 if installed), or k6-operator (k6 runners inside the cluster, --target cluster)',
  },
} as const;

/** `--load k6-operator`'s runners. */
const OPERATOR_OPTIONS = {
  parallelism: {
    ...numberOption('--parallelism'),
    describe: 'k6 runners that share the load, each its segment of it (default: 1)',
    group: OPERATOR,
  },
  'runner-image': {
    type: 'string',
    describe: `the runners' image (default: ${DEFAULT_RUNNER_IMAGE}, the k6 zdd is tested with)`,
    group: OPERATOR,
  },
  'runner-router-address': {
    type: 'string',
    describe:
      "HOST:PORT: the router as the runners reach it, each route's host as Host header (OpenShift: router-internal-default.openshift-ingress.svc:80; default: the route's host)",
    group: OPERATOR,
  },
  'runner-service-account': { type: 'string', describe: "the runner pods' service account", group: OPERATOR },
  'runner-node-selector': {
    type: 'string',
    array: true,
    describe: 'KEY=VALUE: run the runners on nodes with this label (repeatable)',
    group: OPERATOR,
  },
  'runner-toleration': {
    type: 'string',
    array: true,
    describe: 'KEY[=VALUE]:EFFECT: let the runners run on nodes with this taint (repeatable)',
    group: OPERATOR,
  },
  'runner-requests': {
    type: 'string',
    describe: "the runners' resource requests, e.g. cpu=1,memory=512Mi",
    group: OPERATOR,
  },
  'runner-limits': { type: 'string', describe: "the runners' resource limits, e.g. cpu=2,memory=1Gi", group: OPERATOR },
} as const;

/** The run itself: the flags after the local cluster's. */
const RUN_OPTIONS = {
  emulate: {
    choices: PLATFORM_NAMES,
    describe:
      "the platform the local cluster puts in front of the pods, when not --platform's: e.g. manifests synthesized for openshift-router, run behind aws-alb-ip",
  },
  seed: {
    ...numberOption('--seed'),
    describe:
      "decides where the local router's periodic reloads stand at each round's rollout (default: random; summary.json keeps it, so --seed replays a run)",
  },
  'require-reproduced': {
    type: 'boolean',
    default: false,
    describe: 'INCONCLUSIVE instead of PASS when the default variant stayed within the error budget too',
  },
  timeout: {
    ...numberOption('--timeout'),
    default: COMPARE_DEFAULTS.timeout,
    describe: 'seconds to wait for the variants to become ready, and for each rollout',
  },
  results: {
    type: 'string',
    default: COMPARE_DEFAULTS.results,
    describe: 'folder for the results (a timestamped folder inside)',
  },
} as const;

const CLUSTER_OPTIONS = {
  kubeconfig: { type: 'string', describe: 'kubeconfig file (--target cluster)', group: CLUSTER },
  context: { type: 'string', describe: 'kubeconfig context (--target cluster)', group: CLUSTER },
  namespace: {
    type: 'string',
    describe: "namespace to deploy to (default: the context's)",
    group: CLUSTER,
  },
  'route-url': {
    type: 'string',
    array: true,
    describe: 'NAME=URL: send this variant’s load to URL instead of its route’s host (repeatable)',
    group: CLUSTER,
  },
  'router-address': {
    type: 'string',
    describe: "HOST:PORT: send to this router with each route's host as Host header (curl --resolve)",
    group: CLUSTER,
  },
  cleanup: {
    type: 'boolean',
    describe: 'delete what the run applied when it ends, also after Ctrl-C',
    group: CLUSTER,
  },
  'dry-run': {
    type: 'boolean',
    describe: 'print every command the run would execute, in order; run none (writes only the manifests file)',
    group: CLUSTER,
  },
  'run-id': {
    type: 'string',
    describe:
      "label the run's objects zdd/run-id=ID instead of a new id: run again over that run's objects (the only ones zdd changes or deletes)",
    group: CLUSTER,
  },
} as const;

export const compareCommand = defineCommand({
  command: 'compare',
  describe:
    'put the same load on both variants while they roll out; print the comparison; exit 1 if zero-downtime dropped requests, 3 if the run cannot be judged',
  repeatable: ['env', 'image-command', 'route-url', 'runner-node-selector', 'runner-toleration'],
  builder: (y) =>
    withSpecFlags(y)
      .options(LOAD_OPTIONS)
      .options(LOCAL_CLUSTER_OPTIONS)
      .options(RUN_OPTIONS)
      .options(CLUSTER_OPTIONS)
      .options(OPERATOR_OPTIONS)
      .option('format', {
        choices: ['table', 'markdown', 'json'] as const,
        default: 'table' as const,
        describe: 'what goes to stdout: the table, the Markdown report, or summary.json (the rest goes to stderr)',
      })
      .option('wide', {
        type: 'boolean',
        default: false,
        describe: 'every figure in the table (latencies, TPS, failures by kind, …), however wide it runs',
      })
      .example('$0 compare', 'the sample app, 50 req/s, one rollout each')
      .example('$0 compare --time-scale 0.1 --rounds 5', 'five rounds, ten times faster')
      .example('$0 compare --preset seed --load k6', "the seed's settings, load from k6"),
  run: async (args, { signal }) => {
    const { compare } = await import('./index.js');
    return compare({
      flags: layerFromFlags(args),
      config: args.config,
      signal,
      plan: {
        target: args.target,
        rate: args.rate,
        connections: args.connections,
        warmup: args.warmup,
        cooldown: args.cooldown,
        rounds: args.rounds,
        maxErrorRate: args['max-error-rate'],
        load: args.load,
        k6Operator: {
          parallelism: args.parallelism,
          runnerImage: args['runner-image'],
          runnerRouterAddress: args['runner-router-address'],
          runnerServiceAccount: args['runner-service-account'],
          runnerNodeSelector: args['runner-node-selector'],
          runnerToleration: args['runner-toleration'],
          runnerRequests: args['runner-requests'],
          runnerLimits: args['runner-limits'],
        },
        timeScale: args['time-scale'],
        router: args.router,
        reloadIntervalSeconds: args['reload-interval'],
        reloads: args['router-reloads'],
        imageCommands: args['image-command'],
        seed: args.seed,
        requireReproduced: args['require-reproduced'],
        platform: args.emulate,
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
      wide: args.wide,
    });
  },
});
