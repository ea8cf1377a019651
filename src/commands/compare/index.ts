import { join } from 'node:path';
import { App } from 'cdk8s';
import { resolveAccess } from '../../cluster/remote/cluster-target.js';
import { dryRunLines } from '../../cluster/remote/dry-run.js';
import { findClusterCli } from '../../cluster/remote/kubectl.js';
import { labelledManifests, writeManifestsFile } from '../../cluster/remote/run-files.js';
import type { TargetRoute } from '../../cluster/target.js';
import { k6OperatorSection } from '../../compare-flow/k6-operator-config.js';
import { loadPlan } from '../../compare-flow/load-plan.js';
import { type ComparePlan, type ComparePlanInput, comparePlan, describeRate } from '../../compare-flow/options.js';
import { checkResultsFolder } from '../../compare-flow/preflight.js';
import { createProgress } from '../../compare-flow/progress.js';
import { runCompare } from '../../compare-flow/run-compare.js';
import { patternsOf } from '../../load/connections.js';
import { operatorDryRun } from '../../load/k6-operator/dry-run.js';
import type { RunnerReport } from '../../load/k6-operator/runner-log.js';
import { latencyLine, RUN_LATENCY } from '../../load/latency.js';
import { generatorName, resolveLoadGenerator } from '../../load/start-load.js';
import { addVariants, renderCharts } from '../../manifests/variants.js';
import { type FolderReport, writeFolderReport } from '../../report/folder-report.js';
import { reportMarkdown } from '../../report/markdown/report-markdown.js';
import { comparisonTable, rolloutsTable, roundsTable, type TableOptions } from '../../report/table.js';
import { variantDelta } from '../../report/variant-delta.js';
import { TIMELINE_FILE } from '../../report/write-report.js';
import {
  copyPodLogs,
  partialFolder,
  resultsFolder,
  writeFailedRun,
  writeResults,
} from '../../results-folder/results-folder.js';
import { summarizeRun, verdict } from '../../results-folder/run-result.js';
import { compareSummary } from '../../results-folder/summary-file.js';
import { ExitCode, UsageError } from '../../runtime/errors.js';
import { packageVersion } from '../../runtime/package-info.js';
import { stdoutTerminal, type Terminal } from '../../runtime/terminal.js';
import { Timing } from '../../runtime/timing.js';
import { wrapText } from '../../runtime/wrap-text.js';
import type { AppSpec } from '../../spec/app-spec.js';
import { readConfig } from '../../spec/config-file.js';
import { resolveSpec } from '../../spec/resolve.js';
import type { SpecLayer } from '../../spec/schema.js';
import type { OutputFormat } from '../report/index.js';

export interface CompareOptions {
  /** App settings from the command line, over the config file, over the preset. */
  readonly flags: SpecLayer;
  /** A YAML or JSON settings file. @default - none */
  readonly config?: string;
  /** The run's plan as the flags give it. */
  readonly plan: ComparePlanInput;
  /** Aborting stops the run and everything it started. @default - none */
  readonly signal?: AbortSignal;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** What goes to stdout: the table (and every other line), the Markdown report, or summary.json. @default 'table' */
  readonly format?: OutputFormat;
  /** `--wide`: every figure in the table, however wide it runs. @default false */
  readonly wide?: boolean;
  /** The width and colours of what is printed. @default - stdout's (stderr's for markdown and json) */
  readonly terminal?: Terminal;
  /** The other lines, with markdown and json. @default console.error */
  readonly info?: (line: string) => void;
}

/**
 * `zdd compare`: the same load on both variants while they roll out; prints
 * the comparison table, writes the results, and returns the exit code: 0 when
 * the zero-downtime variant stayed within --max-error-rate, 1 when not, 3 when
 * the run cannot be judged.
 */
export async function compare(options: CompareOptions): Promise<number> {
  const log = options.log ?? console.log;
  const format = options.format ?? 'table';
  const print = format === 'table' ? log : (options.info ?? console.error);
  const terminal = options.terminal ?? stdoutTerminal(format === 'table' ? process.stdout : process.stderr);
  // Messages wrap at spaces; tables are laid out to the width already.
  const info = (line: string) => print(wrapText(line, terminal.width));
  const tableOptions = {
    width: terminal.width,
    colour: terminal.colour,
    wide: options.wide === true,
  };
  const { spec, plan } = await specAndPlan(options);
  if (plan.target === 'cluster' && plan.cluster.dryRun) {
    for (const line of await dryRun(spec, plan)) log(line);
    return ExitCode.ok;
  }
  // Hints of the cluster target name only flags the user has not given.
  const givenFlags = new Set([
    ...(options.flags.names?.default !== undefined ? ['--name-default'] : []),
    ...(options.flags.names?.zeroDowntime !== undefined ? ['--name-zero-downtime'] : []),
    ...(plan.cluster.runIdGiven ? ['--run-id'] : []),
  ]);
  const progress = createProgress({ quiet: format === 'json', signal: options.signal });
  const startedAt = Date.now();
  const folder = resultsFolder(plan.resultsDir, startedAt);
  let run: Awaited<ReturnType<typeof runCompare>>;
  let ended: 'done' | 'stopped' = 'stopped';
  try {
    run = await runCompare(spec, plan, {
      progress,
      signal: options.signal,
      onFailure: ({ error, events, podLogsDir }) =>
        writeFailedRun(folder, error instanceof Error ? error.message : String(error), events, podLogsDir),
      // Copied out of the cluster's temp folder before it is removed.
      onLogs: (podLogsDir) => copyPodLogs(podLogsDir, join(partialFolder(folder), 'logs')),
      // The cluster target's manifests and cleanup command go with the results, from before the first change.
      recordDir: partialFolder(folder),
      givenFlags,
    });
    ended = 'done';
  } finally {
    progress.end(ended);
  }
  const results = summarizeRun(run);
  const judgement = verdict(results, run, plan.maxErrorRate, { requireReproduced: plan.requireReproduced });
  printRun(run, results, plan, { info, print, tableOptions });
  const summary = compareSummary(run, results, judgement, packageVersion(), settingsDelta(spec));
  const written = await writeResults(folder, run, summary);
  // The verdict stands even when the report cannot be drawn; the report can be made again with zdd report.
  let report: FolderReport | undefined;
  try {
    report = await writeFolderReport(written, packageVersion());
  } catch (error) {
    info(
      `note: the report could not be written (${error instanceof Error ? error.message : String(error)}); try zdd report ${written}`,
    );
  }
  info(judgement.message);
  info(
    `results: ${written}/ (summary.json, samples.ndjson, events.json, logs/${report ? ', report.html, report.md, timeline.svg' : ''})`,
  );
  if (format === 'json') log(JSON.stringify(summary, null, 2));
  if (format === 'markdown' && report) {
    log(reportMarkdown(report.data, report.rendered.timeline, join(written, TIMELINE_FILE)).trimEnd());
  }
  return judgement.exitCode;
}

/**
 * The app's settings (preset < config file < flags) and the run's plan (flags over the config file's `k6Operator:`
 * section), checked.
 */
async function specAndPlan(options: CompareOptions): Promise<{ spec: AppSpec; plan: ComparePlan }> {
  const config = options.config === undefined ? undefined : await readConfig(options.config);
  const layers = config === undefined ? [options.flags] : [config.layer, options.flags];
  // spec.platform: the platform (--platform, or platform: in the config file; always named) both variants are
  // synthesized for, and what the local cluster emulates unless --emulate names another.
  const spec = resolveSpec(layers);
  const plan = comparePlan({
    ...options.plan,
    platform: options.plan.platform ?? spec.platform,
    ...(config &&
      options.config !== undefined && {
        k6OperatorFile: k6OperatorSection(config.sections.k6Operator, options.config, config.written),
      }),
  });
  if (options.plan.platform !== undefined && plan.target === 'cluster') {
    throw new UsageError(
      '--emulate: only with --target local; a real cluster has its own platform in front of the pods',
    );
  }
  return { spec, plan };
}

/** A finished run on the terminal: what ran, the tables, what the latency covers, the load's notes. */
function printRun(
  run: Awaited<ReturnType<typeof runCompare>>,
  results: ReturnType<typeof summarizeRun>,
  plan: ComparePlan,
  out: { info: (line: string) => void; print: (text: string) => void; tableOptions: TableOptions },
): void {
  const { info, print, tableOptions } = out;
  info(
    `${run.loadGenerator}, ${describeRate(plan)} per variant (${describeConnections(run.connections)}), ${plan.rounds} rollout round(s) on ${run.targetDescription}${run.rounds.some((round) => round.reloadPhase !== undefined) ? `; --seed ${plan.seed} replays its reload phases` : ''}`,
  );
  print(comparisonTable(results, { ...tableOptions, maxErrorRate: plan.maxErrorRate }));
  info(latencyLine(RUN_LATENCY));
  if (plan.rounds > 1) print(roundsTable(results, tableOptions));
  print(rolloutsTable(run.rounds, tableOptions));
  for (const runner of run.load.runners ?? []) info(runnerLine(runner));
  for (const note of run.load.notes) info(`note: ${note}`);
  const crossed = run.load.thresholds.filter((threshold) => !threshold.ok);
  if (crossed.length > 0) {
    info(`k6 thresholds crossed: ${crossed.map((threshold) => `${threshold.metric} ${threshold.source}`).join(', ')}`);
  }
}

/** One k6-operator runner: its pod, segment, the requests its log gave and its own k6's count. */
function runnerLine(runner: RunnerReport): string {
  const own = runner.httpReqs === undefined ? 'no end-of-test count' : `its k6 counted ${runner.httpReqs}`;
  const dropped = Object.values(runner.dropped).reduce((sum, count) => sum + count, 0);
  const cancelled = runner.cancelled > 0 ? `, ${runner.cancelled} cancelled by the stop (not counted)` : '';
  return `runner ${runner.runner}${runner.segment ? ` (segment ${runner.segment})` : ''}: ${runner.requests} requests read from its log, ${own}${dropped > 0 ? `, ${dropped} dropped` : ''}${cancelled}`;
}

/** What differs between the two variants' manifests, recorded in summary.json for the report. */
function settingsDelta(spec: AppSpec) {
  const rendered = renderCharts(addVariants(new App(), spec));
  const yaml = (variant: string) => rendered.find((chart) => chart.variant === variant)?.yaml ?? '';
  return variantDelta({ default: yaml('default'), zeroDowntime: yaml('zero-downtime') }, spec.names);
}

/**
 * `--dry-run`: the commands a cluster run would execute; the local kubeconfig is read, the cluster is not. The
 * one file it writes is the manifests the create command reads, in `<results>/<timestamp>.dry-run/`, so that the
 * commands can be typed as printed.
 */
async function dryRun(spec: AppSpec, plan: ComparePlan): Promise<string[]> {
  const found = findClusterCli({ ...plan.cluster.access, namespace: 'default' });
  const access = await resolveAccess(found, plan.cluster.access);
  const generator = await resolveLoadGenerator(plan.load, plan.k6Operator);
  const connections = patternsOf(plan.connections);
  const variants = renderCharts(addVariants(new App(), spec));
  await checkResultsFolder(plan.resultsDir);
  const folder = `${resultsFolder(plan.resultsDir, Date.now())}.dry-run`;
  const manifestsFile = await writeManifestsFile(folder, labelledManifests(variants, plan.cluster.runId).yaml);
  const inCluster =
    generator.kind === 'k6-operator'
      ? await operatorDryRun({
          cli: { name: found.name, access },
          runId: plan.cluster.runId,
          cleanup: plan.cluster.cleanup,
          parallelism: generator.parallelism,
          runner: generator.runner,
          // The routes' hosts are known once they are admitted: placeholders here.
          load: loadPlan(spec, plan, connections, placeholderRoutes(spec, plan), new Timing(1)),
          file: join(folder, 'k6-operator-load.json'),
        })
      : undefined;
  const lines = dryRunLines(variants, {
    cli: { name: found.name, access },
    runId: plan.cluster.runId,
    manifestsFile,
    rounds: plan.rounds,
    cleanup: plan.cluster.cleanup,
    routeUrls: plan.cluster.routeUrls,
    ...(plan.cluster.routerAddress !== undefined && { routerAddress: plan.cluster.routerAddress }),
    ...(inCluster && { inCluster }),
    load: `${generatorName(generator)}, ${plan.rate} req/s per variant (${describeConnections(connections)}), ${plan.warmupSeconds} s of warm-up, ${plan.cooldownSeconds} s of cool-down`,
  });
  return [
    `zdd compare --dry-run: what a run on ${found.name === 'oc' ? 'OpenShift' : 'the cluster'} would execute, in order; nothing was run, and the one file written is ${manifestsFile} (the manifests the create command reads)`,
    ...lines,
  ];
}

/** Each variant's route as the dry run shows it: `--route-url`'s, else a placeholder for its host. */
function placeholderRoutes(spec: AppSpec, plan: ComparePlan): TargetRoute[] {
  return [spec.names.default, spec.names.zeroDowntime].map((variant) => {
    const given = plan.cluster.routeUrls.get(variant);
    if (given !== undefined) return { variant, url: given };
    const host = `host-of-${variant}.invalid`;
    return plan.cluster.routerAddress === undefined
      ? { variant, url: `http://${host}/` }
      : { variant, url: `http://${plan.cluster.routerAddress}/`, host };
  });
}

function describeConnections(connections: readonly string[]): string {
  return connections.length > 1
    ? `half on new connections, half on reused ones`
    : `${connections[0] ?? 'reused'} connections`;
}
