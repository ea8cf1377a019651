import { exitCodeOf } from '../../check/check-report.js';
import { formatCodeQuality } from '../../check/format-codequality.js';
import { formatHuman } from '../../check/format-human.js';
import { formatJson } from '../../check/format-json.js';
import { formatSarif } from '../../check/format-sarif.js';
import { RULES } from '../../check/rules/index.js';
import { checkManifests } from '../../check/run-check.js';
import { CHECK_DEFAULTS, type CheckSettings } from '../../check/settings.js';
import type { Severity } from '../../check/severity.js';
import { atLeast } from '../../input/flag-checks.js';
import type { PlatformName } from '../../platforms/names.js';
import { packageVersion } from '../../runtime/package-info.js';
import { terminalWidth } from '../../runtime/terminal.js';
import { readInputs } from './read-inputs.js';

export const CHECK_FORMATS = ['human', 'json', 'sarif', 'codequality'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckOptions {
  /** Files, folders, or `-` for standard input. */
  readonly paths: readonly string[];
  readonly format: CheckFormat;
  readonly failOn: Severity;
  /** What sends the pods requests. @default - `CHECK_DEFAULTS.platform` */
  readonly platform?: PlatformName;
  /** Undefined: the default (`CHECK_DEFAULTS`). */
  readonly routerReloadIntervalSeconds?: number;
  readonly shutdownSeconds?: number;
  readonly stdin?: AsyncIterable<unknown>;
  /** Aborted by Ctrl-C or SIGTERM: stops waiting for standard input. */
  readonly signal?: AbortSignal;
  /** Where the report goes (stdout) and where input problems are said (stderr). */
  readonly write?: (text: string) => void;
  readonly warn?: (line: string) => void;
}

/**
 * `zdd check`: reads the manifests, runs every rule, prints the report in the
 * chosen format and returns the exit code: 0 when no finding is at or above
 * `failOn`, 1 when one is, 2 when some input could not be read (the rest is
 * still checked and reported).
 */
export async function check(options: CheckOptions): Promise<number> {
  const settings: CheckSettings = {
    platform: options.platform ?? CHECK_DEFAULTS.platform,
    routerReloadIntervalSeconds: atLeast(
      '--reload-interval',
      options.routerReloadIntervalSeconds ?? CHECK_DEFAULTS.routerReloadIntervalSeconds,
      0,
    ),
    shutdownSeconds: atLeast('--shutdown-seconds', options.shutdownSeconds ?? CHECK_DEFAULTS.shutdownSeconds, 0),
  };
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const warn = options.warn ?? ((line: string) => console.error(line));
  const read = await readInputs(options.paths, options.stdin ?? process.stdin, options.signal);
  const report = checkManifests(read.inputs, settings, { problems: read.problems, notes: read.notes });
  for (const problem of report.problems) {
    const where =
      problem.file === undefined ? '' : `${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}: `;
    warn(`zdd: ${where}${problem.message}`);
  }
  if (options.format === 'json') write(formatJson(report, options.failOn, packageVersion()));
  else if (options.format === 'sarif') write(formatSarif(report, RULES, packageVersion()));
  else if (options.format === 'codequality') write(formatCodeQuality(report));
  else write(formatHuman(report, options.failOn, terminalWidth()));
  return exitCodeOf(report, options.failOn);
}
