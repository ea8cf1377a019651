/**
 * Wall time of a fast local compare (time scale 0.1, built-in load) against
 * the floor its own timings allow (first pods ready + warm-up + rollouts +
 * cool-down, from the manifests): once in-process (the orchestration alone)
 * and once through the real CLI (with Node's and the CLI's start-up).
 * Target: ≤ 1.15 × the floor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { execa } from 'execa';
import { parseManifests } from '../src/cluster/local/objects.js';
import { compareFloorSeconds } from '../src/compare-flow/floor.js';
import { comparePlan } from '../src/compare-flow/options.js';
import { runCompare } from '../src/compare-flow/run-compare.js';
import { addVariants, renderCharts } from '../src/manifests/variants.js';
import { resolveSpec } from '../src/spec/resolve.js';

const SCALE = 0.1;
const ROUNDS = 3;
/** Per modelled second: 100 requests per real second at time scale 0.1. */
const RATE = 10;
const spec = resolveSpec([]);
const plan = comparePlan({
  load: 'builtin',
  timeScale: SCALE,
  rate: RATE,
  rounds: ROUNDS,
  results: mkdtempSync(join(tmpdir(), 'zdd-bench-results-')),
});
const objects = parseManifests(
  renderCharts(addVariants(new App(), spec)).map((variant) => ({ source: variant.fileName, yaml: variant.yaml })),
);
const floorMs = compareFloorSeconds(objects, plan) * 1000 * SCALE;
const quiet = { phase() {}, sample() {}, log() {} };

async function median(run: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return [...times].sort((a, b) => a - b)[1] ?? 0;
}

// The results folder goes, also when a run throws.
try {
  const inProcess = await median(async () => {
    await runCompare(spec, plan, { progress: quiet });
  });
  const cli = await median(async () => {
    const args = [
      'bin/zdd.js',
      'compare',
      '--load',
      'builtin',
      '--time-scale',
      String(SCALE),
      '--rate',
      String(RATE),
      '--rounds',
      String(ROUNDS),
      '--results',
      plan.resultsDir,
    ];
    const result = await execa(process.execPath, args, { reject: false });
    // 3 (inconclusive: a busy machine started some requests late) still measures the wall time.
    if (result.exitCode !== 0 && result.exitCode !== 3) {
      throw new Error(`compare exited ${result.exitCode}: ${result.stderr}`);
    }
  });
  const line = (name: string, ms: number) =>
    `  ${name.padEnd(11)} ${(ms / 1000).toFixed(2)} s = ${(ms / floorMs).toFixed(2)}× the floor (target ≤ 1.15×: ${ms / floorMs <= 1.15 ? 'meets' : 'misses'})`;
  console.log(
    `compare wall time, time scale ${SCALE}, ${ROUNDS} rounds, median of 3; floor ${(floorMs / 1000).toFixed(2)} s`,
  );
  console.log(line('in-process', inProcess));
  console.log(line('CLI', cli));
} finally {
  rmSync(plan.resultsDir, { recursive: true, force: true });
}
