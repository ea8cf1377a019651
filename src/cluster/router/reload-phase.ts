import { randomInt } from 'node:crypto';

/**
 * Where a router's periodic reload timer stands when a rollout starts. A
 * router shared by many routes reloads on its own schedule, in phase with
 * nobody's rollout, and that phase decides how long a deleted pod stays in
 * the router's backend (from 0 to a whole reload interval): with one replica
 * and no preStop sleep, the phase alone decides whether requests fail. So
 * the local cluster's router does not keep the phase its start gave it:
 * each rollout round puts it at a phase drawn from the run's seed, the same
 * at every time scale, so that a sped-up run replays the real-speed one and
 * `--seed` replays any run.
 */

/** Seeds are unsigned 32-bit integers. */
export const MAX_SEED = 2 ** 32 - 1;

/** A fresh seed for a run that was not given one. */
export function newSeed(): number {
  return randomInt(0, MAX_SEED + 1);
}

/** The golden ratio's fractional part: consecutive rounds land far apart in the cycle, whatever their number. */
const GOLDEN = 0.6180339887498949;

/**
 * The phase of round `round` (1-based) of a run with `seed`, from 0
 * (a reload at the rollout's trigger) to just under 1 (a whole interval
 * after it). The first round's phase is uniform in [0, 1); each later round
 * adds the golden ratio, so that any number of rounds covers the cycle
 * evenly (a Weyl sequence) and no two rounds repeat a phase. Pure.
 */
export function reloadPhase(seed: number, round: number): number {
  const phase = (firstPhase(seed) + (round - 1) * GOLDEN) % 1;
  return Math.floor(phase * 1e6) / 1e6;
}

/** mulberry32's first output for `seed`, in [0, 1): a well-mixed number from any integer. */
function firstPhase(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
