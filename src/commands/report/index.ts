import { basename, dirname, extname, join } from 'node:path';
import { importReport } from '../../importers/read-import.js';
import { percent as percentFlag } from '../../input/flag-checks.js';
import type { LatencyMeasure } from '../../load/latency.js';
import { writeFolderReport } from '../../report/folder-report.js';
import { reportMarkdown } from '../../report/markdown/report-markdown.js';
import type { ReportData } from '../../report/report-data.js';
import { reportJson } from '../../report/report-json.js';
import { terminalReport } from '../../report/terminal-report.js';
import { renderReport, TIMELINE_FILE, writeReportFiles } from '../../report/write-report.js';
import { UsageError } from '../../runtime/errors.js';
import { DirectoryError } from '../../runtime/make-directory.js';
import { packageVersion } from '../../runtime/package-info.js';
import { stdoutTerminal, type Terminal } from '../../runtime/terminal.js';
import { wrapText } from '../../runtime/wrap-text.js';

/** What `--format` prints on stdout. */
export const OUTPUT_FORMATS = ['table', 'markdown', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ReportOptions {
  /** A results folder of `zdd compare`. Exactly one of `folder` and `from`. */
  readonly folder?: string;
  /** `--from`: a JMeter CSV file, k6's `--out json` or `--out csv` output, or a k6 summary. */
  readonly from?: string;
  /** `--variant ROLE=LABEL` (with --from). */
  readonly variants?: readonly string[];
  /** `--workload LABEL=WORKLOAD` (with --from and --events). */
  readonly workloads?: readonly string[];
  /** `--events FILE` (with --from). */
  readonly events?: string;
  /** `--rollout-at TIME` (with --from). */
  readonly rolloutAt?: readonly string[];
  /** `--max-error-rate`, percent (with --from). @default 0 */
  readonly maxErrorRate?: number;
  /**
   * `--latency`: what the latency figures measure, where the source can give both.
   * @default - `total` wherever the source has it (a k6 summary has `duration` only)
   */
  readonly latency?: LatencyMeasure;
  /** `--out`: where the files go. @default - the results folder; with --from, `<file without extension>-report/` beside it */
  readonly out?: string;
  /** @default 'table' */
  readonly format?: OutputFormat;
  /** `--wide`: every figure in the table, however wide it runs. @default false */
  readonly wide?: boolean;
  /** The width and colours of what is printed. @default - stdout's (stderr's for markdown and json) */
  readonly terminal?: Terminal;
  /** stdout. @default console.log */
  readonly log?: (line: string) => void;
  /** Lines that are not the chosen format's output, with markdown and json. @default console.error */
  readonly info?: (line: string) => void;
}

/**
 * `zdd report`: writes report.html, report.md and timeline.svg for a results
 * folder or for another tool's results (`--from`), prints the table (or the
 * Markdown, or the JSON), and returns the verdict's exit code: 0 PASS, 1 FAIL,
 * 3 INCONCLUSIVE; 0 with no verdict (a file of one variant: nothing to compare).
 */
export async function report(options: ReportOptions): Promise<number> {
  const log = options.log ?? console.log;
  const format = options.format ?? 'table';
  const terminal = options.terminal ?? stdoutTerminal(format === 'table' ? process.stdout : process.stderr);
  const info = (line: string) =>
    (format === 'table' ? log : (options.info ?? console.error))(wrapText(line, terminal.width));
  if ((options.folder === undefined) === (options.from === undefined)) {
    throw new UsageError(
      options.folder === undefined
        ? 'name a results folder (zdd report results/<timestamp>) or another tool’s results (--from FILE)'
        : 'give a results folder or --from FILE, not both',
    );
  }
  refuseFolderOnlyFlags(options);
  const folder = options.folder as string;
  const out = options.out ?? (options.from === undefined ? folder : defaultOut(options.from));
  let data: ReportData;
  let json: string;
  let timeline: ReturnType<typeof renderReport>['timeline'];
  let files: readonly string[];
  let maxErrorRate: number;
  if (options.from === undefined) {
    const written = await outFolder(
      options.out === undefined ? undefined : '--out',
      writeFolderReport(folder, packageVersion(), out),
    );
    ({ data, files } = written);
    timeline = written.rendered.timeline;
    json = written.results.summaryText;
    maxErrorRate = written.results.summary.settings.maxErrorRate;
  } else {
    maxErrorRate = percentFlag('--max-error-rate', options.maxErrorRate ?? 0) / 100;
    data = await importReport({
      file: options.from,
      variants: options.variants ?? [],
      workloads: options.workloads ?? [],
      ...(options.events !== undefined && { events: options.events }),
      rolloutAt: options.rolloutAt ?? [],
      maxErrorRate,
      ...(options.latency !== undefined && { latency: options.latency }),
      zddVersion: packageVersion(),
    });
    const rendered = renderReport(data);
    files = await outFolder('--out', writeReportFiles(out, rendered));
    timeline = rendered.timeline;
    json = reportJson(data);
  }
  if (format === 'json') log(json.trimEnd());
  else if (format === 'markdown') log(reportMarkdown(data, timeline, join(out, TIMELINE_FILE)).trimEnd());
  else {
    const lines = terminalReport(data, {
      latencyDetail: options.from !== undefined,
      wide: options.wide === true,
      width: terminal.width,
      colour: terminal.colour,
      maxErrorRate,
    });
    for (const line of lines) log(line);
  }
  info(`report: ${out}/ (${files.map((file) => basename(file)).join(', ')})`);
  return data.verdict.exitCode;
}

/** `run.jtl` → `run-report/` beside it. */
function defaultOut(file: string): string {
  const name = basename(file, extname(file));
  return join(dirname(file), `${name}-report`);
}

/**
 * The files are written once everything is read and rendered (the folder is
 * made only then). A folder that cannot be made or written is named, with
 * `--out` when the user chose it (or `--from` chose it for them).
 */
async function outFolder<T>(flag: string | undefined, writing: Promise<T>): Promise<T> {
  try {
    return await writing;
  } catch (error) {
    if (error instanceof DirectoryError)
      throw new UsageError(flag === undefined ? error.message : `${flag}: ${error.message}`);
    throw error;
  }
}

/** The flags that only mean something with --from, refused for a results folder. */
function refuseFolderOnlyFlags(options: ReportOptions): void {
  if (options.from === undefined) {
    const onlyWithFrom = [
      ['--variant', (options.variants ?? []).length > 0],
      ['--workload', (options.workloads ?? []).length > 0],
      ['--events', options.events !== undefined],
      ['--rollout-at', (options.rolloutAt ?? []).length > 0],
      ['--max-error-rate', options.maxErrorRate !== undefined],
    ] as const;
    const given = onlyWithFrom.find(([, isGiven]) => isGiven)?.[0];
    if (given !== undefined) {
      throw new UsageError(
        `${given} applies to --from: a results folder keeps the variants, rollouts and verdict of its run`,
      );
    }
  }
  if (options.from === undefined && options.latency === 'duration') {
    throw new UsageError(
      '--latency duration: a results folder records each request’s total latency only (from its start, connecting included); duration is for --from files that have it (k6 --out json or csv, JMeter with a Connect column)',
    );
  }
}
