import { LOCAL_CLUSTER_DEFAULTS } from '../../cluster/local/settings.js';
import { RELOAD_DISCIPLINES } from '../../cluster/router/reloading-router.js';
import { positive } from '../../input/flag-checks.js';
import { ExitCode } from '../../runtime/errors.js';
import { defineCommand, defineGroup } from '../command.js';
import { numberOption } from '../flags/number-option.js';
import { RELOAD_INTERVAL_OPTION } from '../flags/reload-interval-flag.js';

const upCommand = defineCommand({
  command: 'up',
  describe: 'start it in the foreground (needs testbed/build.sh); prints its kubeconfig and router; Ctrl-C stops it',
  builder: (y) =>
    y
      .option('reload-interval', RELOAD_INTERVAL_OPTION)
      .option('router-reloads', {
        choices: RELOAD_DISCIPLINES,
        default: LOCAL_CLUSTER_DEFAULTS.reloads,
        describe: 'periodic or coalesced, as with zdd local up',
      })
      .option('k6-operator', {
        type: 'boolean',
        default: false,
        describe:
          "also run grafana/k6-operator (testbed/build.sh builds it) on a network of the test bed's own (needs root); its runner pods run your k6",
      })
      .option('seed', {
        ...numberOption('--seed'),
        describe:
          "at each workload's new revision, put the router's periodic reloads where zdd compare --seed puts the local router's",
      }),
  run: async (args, { signal }) => {
    const { testbedUp } = await import('./up.js');
    const { seedFlag } = await import('../../compare-flow/options.js');
    const k6Operator = args['k6-operator'];
    const { requireK6 } = await import('../../load/k6/find-k6.js');
    await testbedUp({
      ...(k6Operator && { k6Operator: { k6: requireK6() } }),
      reloadIntervalSeconds: positive('--reload-interval', args['reload-interval']),
      reloads: args['router-reloads'],
      ...(args.seed !== undefined && { seed: seedFlag(args.seed) }),
      ...(signal && { signal }),
    });
    return ExitCode.ok;
  },
});

export const testbedCommand = defineGroup({
  command: 'testbed',
  describe: 'a real Kubernetes control plane on 127.0.0.1 to try --target cluster on',
  subcommands: [upCommand],
  demand: 'Name a testbed command: up',
});
