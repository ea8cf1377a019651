import { join } from 'node:path';
import { type ComparePlanInput, comparePlan } from '../../compare/options.js';
import { summarizeRun, verdict } from '../../compare/result.js';
import { runCompare } from '../../compare/run-compare.js';
import { packageVersion } from '../../package-info.js';
import { createProgress } from '../../report/progress.js';
import {
  compareSummary,
  copyPodLogs,
  partialFolder,
  resultsFolder,
  writeFailedRun,
  writeResults,
} from '../../report/results.js';
import { comparisonTable, rolloutsTable, roundsTable } from '../../report/table.js';
import { readConfigFile } from '../../spec/config-file.js';
import { resolveSpec } from '../../spec/resolve.js';
import type { SpecLayer } from '../../spec/schema.js';

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
}

/**
 * `zdd compare`: the same load on both variants while they roll out; prints
 * the comparison table, writes the results, and returns the exit code: 0 when
 * the zero-downtime variant stayed within --max-error-rate, 1 when not, 3 when
 * the run cannot be judged.
 */
export async function compare(options: CompareOptions): Promise<number> {
  const log = options.log ?? console.log;
  const plan = comparePlan(options.plan);
  const layers = options.config === undefined ? [options.flags] : [await readConfigFile(options.config), options.flags];
  const spec = resolveSpec(layers);
  const progress = createProgress();
  const startedAt = Date.now();
  const folder = resultsFolder(plan.resultsDir, startedAt);
  let run: Awaited<ReturnType<typeof runCompare>>;
  try {
    run = await runCompare(spec, plan, {
      progress,
      signal: options.signal,
      onFailure: ({ error, events, podLogsDir }) =>
        writeFailedRun(folder, error instanceof Error ? error.message : String(error), events, podLogsDir),
      // Copied out of the cluster's temp folder before it is removed.
      onLogs: (podLogsDir) => copyPodLogs(podLogsDir, join(partialFolder(folder), 'logs')),
    });
  } finally {
    progress.end();
  }
  const results = summarizeRun(run);
  const judgement = verdict(results, run, plan.maxErrorRate);
  log(
    `${run.loadGenerator}, ${plan.rate} req/s per variant (${describeConnections(run.connections)}), ${plan.rounds} rollout round(s) on the local cluster` +
      `${plan.timeScale === 1 ? '' : ` (time scale ${plan.timeScale})`}, router ${plan.router} (reload every ${plan.reloadIntervalSeconds} s)`,
  );
  log(comparisonTable(results));
  if (plan.rounds > 1) log(roundsTable(results));
  log(rolloutsTable(run.rounds));
  for (const note of run.load.notes) log(`note: ${note}`);
  const crossed = run.load.thresholds.filter((threshold) => !threshold.ok);
  if (crossed.length > 0) {
    log(`k6 thresholds crossed: ${crossed.map((threshold) => `${threshold.metric} ${threshold.source}`).join(', ')}`);
  }
  const written = await writeResults(folder, run, compareSummary(run, results, judgement, packageVersion()));
  log(judgement.message);
  log(`results: ${written}/ (summary.json, samples.ndjson, events.json, logs/)`);
  return judgement.exitCode;
}

function describeConnections(connections: readonly string[]): string {
  return connections.length > 1
    ? `half on new connections, half on reused ones`
    : `${connections[0] ?? 'reused'} connections`;
}
