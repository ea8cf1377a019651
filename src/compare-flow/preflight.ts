import { constants } from 'node:fs';
import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterObjects } from '../cluster/local/objects.js';
import { patternsOf } from '../load/connections.js';
import type { LoadGenerator } from '../load/load-run.js';
import { MAX_REQUESTS_PER_TARGET } from '../load/open-model.js';
import { SetupError, UsageError } from '../runtime/errors.js';
import { describeFsError } from '../runtime/fs-errors.js';
import { DirectoryError, makeDirectory } from '../runtime/make-directory.js';
import { compareFloorSeconds } from './floor.js';
import { type ComparePlan, checkSentRate, MAX_RATE, sentRate } from './options.js';

/** k6 takes its scenario duration as a bound; a day is the most zdd asks for (k6/rollout-load.js's DURATION). */
const MAX_LOAD_MS = 24 * 60 * 60 * 1000;
/** Rollouts on a busy machine take longer than the floor; the cap must hold for runs this many times as long. */
const SLOW_RUN_FACTOR = 3;

/**
 * The longest the load may run before it stops by itself, ms: warm-up,
 * cool-down, and each round's rollouts and wait, both bounded by --timeout,
 * plus a minute for start and stop. zdd stops the load long before, unless it hangs.
 */
export function loadBoundMs(plan: ComparePlan): number {
  const nominal = plan.warmupSeconds + plan.cooldownSeconds + plan.rounds * 2 * plan.timeoutSeconds;
  return Math.ceil(nominal * 1000 * plan.timeScale) + 60_000;
}

/**
 * Checks, before anything is deployed, that the load fits the generator: the
 * run's length for k6, and the request cap that bounds memory (one sample per
 * request) for a run several times as long as its floor. Returns the cap.
 */
export function checkLoadLimits(
  objects: ClusterObjects,
  plan: ComparePlan,
  generator: LoadGenerator,
): { readonly maxRequestsPerTarget: number } {
  if (generator.kind === 'k6') {
    checkSentRate(plan.rate, plan.timeScale, {
      max: MAX_RATE.k6,
      by: ' with k6',
      advice: `(it keeps --rate × 11 VUs ready, about 250 kB each); use --load builtin for up to ${MAX_RATE.builtin}`,
    });
  }
  const bound = loadBoundMs(plan);
  if (generator.kind !== 'builtin' && bound > MAX_LOAD_MS) {
    throw new UsageError(
      `--rounds ${plan.rounds} × --timeout ${plan.timeoutSeconds} s: the load could have to run ${Math.round(bound / 3_600_000)} h, longer than the ${MAX_LOAD_MS / 3_600_000} h k6 is given; lower --timeout or --rounds`,
    );
  }
  const streams = patternsOf(plan.connections).length;
  const seconds = compareFloorSeconds(objects, plan) * plan.timeScale * SLOW_RUN_FACTOR;
  const needed = Math.ceil((sentRate(plan) / streams) * seconds);
  if (needed > MAX_REQUESTS_PER_TARGET) {
    throw new UsageError(
      `--rate ${plan.rate} for a run of at least ${Math.round(seconds / SLOW_RUN_FACTOR)} s (--warmup, --rounds ${plan.rounds}, --cooldown and the rollouts) would need about ${needed} requests per variant and connection pattern, more than the ${MAX_REQUESTS_PER_TARGET} zdd keeps (one sample each); lower --rate or --rounds`,
    );
  }
  return { maxRequestsPerTarget: MAX_REQUESTS_PER_TARGET };
}

/** The results folder can be created and written to (checked with a file that is removed at once). */
export async function checkResultsFolder(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
    await access(dir, constants.W_OK);
    const probe = join(dir, `.zdd-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    if (error instanceof DirectoryError) throw new SetupError(`--results: ${error.message}`);
    throw new SetupError(`--results: cannot write to ${dir}: ${describeFsError(error)}`);
  }
}
