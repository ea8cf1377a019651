import { type ComparePlanInput, comparePlan } from '../../compare/options.js';
import { summarizeRun, verdict } from '../../compare/result.js';
import { runCompare } from '../../compare/run-compare.js';
import { packageVersion } from '../../package-info.js';
import { createProgress } from '../../report/progress.js';
import { compareSummary, writeResults } from '../../report/results.js';
import { comparisonTable, roundsTable } from '../../report/table.js';
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
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/**
 * `zdd compare`: the same load on both variants while they roll out; prints
 * the comparison table, writes the results, and returns the exit code: 0 when
 * the zero-downtime variant stayed within --max-error-rate, 1 when not.
 */
export async function compare(options: CompareOptions): Promise<number> {
  const log = options.log ?? console.log;
  const plan = comparePlan(options.plan);
  const layers = options.config === undefined ? [options.flags] : [await readConfigFile(options.config), options.flags];
  const spec = resolveSpec(layers);
  const progress = createProgress();
  let run: Awaited<ReturnType<typeof runCompare>>;
  try {
    run = await runCompare(spec, plan, progress);
  } finally {
    progress.end();
  }
  const results = summarizeRun(run);
  const judgement = verdict(results, plan.maxErrorRate);
  log(
    `${run.loadGenerator}, ${plan.rate} req/s per variant, ${plan.rounds} rollout round(s) on the local cluster` +
      `${plan.timeScale === 1 ? '' : ` (time scale ${plan.timeScale})`}, router ${plan.router} (reload every ${plan.reloadIntervalSeconds} s)`,
  );
  log(comparisonTable(results));
  if (plan.rounds > 1) log(roundsTable(results));
  const folder = await writeResults(plan.resultsDir, run, compareSummary(run, results, judgement, packageVersion()));
  log(judgement.message);
  log(`results: ${folder}/ (summary.json, samples.ndjson, events.json)`);
  return judgement.exitCode;
}
