/**
 * k6 as zdd's load generator: starts k6/rollout-load.js with one scenario per
 * variant and connection pattern, and turns what k6 wrote into the same
 * `LoadResult` the built-in generator gives.
 */

import { join } from 'node:path';
import type { LoadResult, LoadRun, StartLoadOptions, StreamDelivery } from '../load-run.js';
import type { Sample } from '../sample.js';
import { scenarioName } from './args.js';
import { followK6Output } from './follow-output.js';
import { type K6Result, startK6 } from './run.js';

export async function startK6Load(
  options: Omit<StartLoadOptions, 'generator'> & { readonly k6Path: string; readonly version: string },
): Promise<LoadRun> {
  const samplesFile = join(options.workDir, 'k6-samples.ndjson');
  const run = startK6({
    samplesFile,
    k6Path: options.k6Path,
    targets: options.targets,
    rate: options.rate,
    maxDurationMs: options.maxDurationMs,
    timeoutMs: options.timeoutMs,
    maxErrorRate: options.maxErrorRate,
    gated: options.gated,
    workDir: options.workDir,
    allowRemote: options.allowRemote,
  });
  // k6 reports no request as it ends: its output file is read as it grows.
  const followed = options.onSample && followK6Output(samplesFile, options.onSample);
  const done = run.done.finally(() => followed?.stop());
  // Handled here too: when k6 never gets ready, nobody awaits `done`.
  done.catch(() => undefined);
  try {
    await run.ready;
  } catch (error) {
    await followed?.stop();
    throw error;
  }
  return {
    generator: `k6 ${options.version}`,
    stop: () => run.stop(),
    done: done.then((result) => toLoadResult(result, options.targets)),
  };
}

/** k6's samples, its dropped iterations per scenario, its thresholds, and what does not add up. */
export function toLoadResult(
  result: K6Result,
  targets: readonly { readonly name: string; readonly connection?: 'reused' | 'new' }[],
): LoadResult {
  const delivery = streamDelivery(targets, result.samples, (scenario) => result.droppedIterations.get(scenario) ?? 0);
  const notes = [...result.notes];
  for (const name of new Set(targets.map((target) => target.name))) {
    const counted = result.summary.variants.get(name)?.requests;
    const sampled = result.samples.filter((sample) => sample.target === name).length;
    // k6 counts a request in its summary when it ends; zdd stops k6 with requests in flight, whose points
    // may be missing from the JSON output: a small difference is expected, a large one is not.
    if (counted !== undefined && Math.abs(counted - sampled) > Math.max(2, counted * 0.001)) {
      notes.push(`${name}: k6's summary counts ${counted} requests, its JSON output holds ${sampled}`);
    }
  }
  return {
    samples: result.samples,
    delivery,
    capped: false,
    thresholds: result.summary.thresholds,
    notes,
  };
}

/**
 * How each target and connection pattern kept its schedule: the requests sampled, and the iterations k6 dropped
 * in its scenario (`dropped(scenario)`: one k6's count, or the sum over the k6-operator's runners).
 */
export function streamDelivery(
  targets: readonly { readonly name: string; readonly connection?: 'reused' | 'new' }[],
  samples: readonly Sample[],
  dropped: (scenario: string) => number,
): StreamDelivery[] {
  return targets.map((target) => {
    const connection = target.connection ?? 'reused';
    const sent = samples.filter(
      (sample) => sample.target === target.name && (sample.connection ?? 'reused') === connection,
    ).length;
    const lost = dropped(scenarioName(target.name, connection));
    return { target: target.name, connection, scheduled: sent + lost, sent, dropped: lost, late: 0 };
  });
}
