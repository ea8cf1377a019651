import { DEFAULT_PLATFORM, PLATFORM_NAMES } from '../../platforms/names.js';
import { defineCommand } from '../command.js';
import { numberOption } from '../flags/number-option.js';
import { RELOAD_INTERVAL_OPTION } from '../flags/reload-interval-flag.js';

export const checkCommand = defineCommand({
  command: 'check <paths..>',
  describe:
    'audit manifests for zero-downtime rollouts (readiness, preStop vs the platform, grace period, rolling parameters, PDBs); exit 1 on a finding at or above --fail-on, 2 on unreadable input',
  missingArgument: 'name at least one file or folder to check, or - for standard input (e.g. zdd check dist/)',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'files, folders (their .yaml, .yml and .json files), or - for standard input',
      })
      .option('format', {
        choices: ['human', 'json', 'sarif', 'codequality'] as const,
        default: 'human' as const,
        describe:
          "human: grouped by object; json: for scripts; sarif: SARIF 2.1.0 for code-scanning UIs; codequality: GitLab's Code Quality report",
      })
      .option('fail-on', {
        choices: ['error', 'warning', 'info'] as const,
        default: 'error' as const,
        describe: 'the least severe finding that makes the exit code 1',
      })
      .option('platform', {
        choices: PLATFORM_NAMES,
        default: DEFAULT_PLATFORM,
        describe: 'what sends the pods requests: the preStop must outlast its worst propagation (zdd platforms)',
      })
      .option('reload-interval', RELOAD_INTERVAL_OPTION)
      .option('shutdown-seconds', {
        ...numberOption('--shutdown-seconds'),
        describe: 'seconds the app needs to finish its requests after SIGTERM (default 10)',
      })
      .example('$0 check dist/', 'the synthesized manifests')
      .example('$0 check --platform aws-alb-ip k8s/', 'behind an AWS ALB in IP mode')
      .example('helm template my-release chart/ | $0 check -', 'a chart, rendered')
      .example('$0 check k8s/ --format sarif > zdd.sarif', 'for code scanning')
      .example('$0 check k8s/ --format codequality > gl-code-quality.json', "for GitLab's merge request widget"),
  run: async (args, { argv, signal }) => {
    const { check } = await import('./index.js');
    const { restoreStdinDash } = await import('./stdin-dash.js');
    return check({
      paths: restoreStdinDash(args.paths, argv),
      format: args.format,
      failOn: args['fail-on'],
      platform: args.platform,
      routerReloadIntervalSeconds: args['reload-interval'],
      shutdownSeconds: args['shutdown-seconds'],
      ...(signal && { signal }),
    });
  },
});
