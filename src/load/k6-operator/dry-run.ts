/**
 * What `compare --dry-run --load k6-operator` shows of the load: its checks, the ConfigMap and TestRun it would
 * create (written to a file, so that the printed create command can be typed), how it follows the runners and
 * how it stops them. Built by the functions the run uses.
 */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { type ClusterCli, describe } from '../../cluster/remote/kubectl.js';
import type { K6ScriptOptions } from '../k6/args.js';
import { OPERATOR_RESOURCES, operatorCommands, operatorPermissions, runnerSelector } from './commands.js';
import { operatorObjects, RUNNER_START_TIMEOUT_MS, testRunName } from './operator-load.js';
import type { RunnerSettings } from './test-run.js';

export interface OperatorDryRunOptions {
  readonly cli: Pick<ClusterCli, 'name' | 'access'>;
  readonly runId: string;
  readonly cleanup: boolean;
  readonly parallelism: number;
  readonly runner: RunnerSettings;
  /** The load; its targets' hosts are placeholders until the routes are admitted. */
  readonly load: K6ScriptOptions;
  /** Where the ConfigMap and TestRun are written. */
  readonly file: string;
}

/** The lines for the dry run's checks, its load's start (with the objects) and its stop. */
export async function operatorDryRun(
  options: OperatorDryRunOptions,
): Promise<{ checks: string[]; start: string[]; stop: string[]; resources: readonly string[] }> {
  const show = (command: { readonly args: readonly string[] }) => describe(options.cli, command);
  const name = testRunName();
  const list = await operatorObjects({ ...options.load, ...options, cli: options.cli }, name);
  await writeFile(options.file, `${JSON.stringify(list, null, 2)}\n`);
  // The script is zdd's k6/rollout-load.js, whole in the file: shown by name, not line by line.
  const shown = list.items.map((item) =>
    item.kind === 'ConfigMap'
      ? {
          ...item,
          data: Object.fromEntries(Object.keys(item.data ?? {}).map((key) => [key, `<zdd's k6/${key}>`])),
        }
      : item,
  );
  return {
    checks: [
      show(operatorCommands.api()),
      ...operatorPermissions(options.cleanup).map((permission) => show(operatorCommands.canI(permission))),
    ],
    start: [
      `# the ConfigMap with zdd's k6 script and the TestRun (${options.parallelism} runner(s), a new name each run), in ${options.file}:`,
      ...stringify(shown, { lineWidth: 0, aliasDuplicateObjects: false })
        .trimEnd()
        .split('\n')
        .map((line) => `#   ${line}`),
      show(operatorCommands.create(options.file)),
      `# every second until each runner sends (at most ${RUNNER_START_TIMEOUT_MS / 60_000} minutes), and each runner's log followed from its start:`,
      show(operatorCommands.runnerPods(name)),
      show(operatorCommands.follow(`<each runner pod: ${runnerSelector(name)}>`)),
    ],
    resources: OPERATOR_RESOURCES,
    stop: [
      '# stop the runners: their pods get SIGTERM, each k6 prints its count, and their logs end',
      show(operatorCommands.stop(name)),
    ],
  };
}
