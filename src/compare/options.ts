import type { RouterKind } from '../cluster/local/local-cluster.js';
import type { ReloadDiscipline } from '../cluster/router/reloading-router.js';
import { UsageError } from '../errors.js';
import { atLeast, integer, percent, positive } from '../flag-checks.js';

/** Which load generator puts the load on the routes. */
export type LoadKind = 'k6' | 'builtin' | 'auto';
export const LOAD_KINDS: readonly LoadKind[] = ['k6', 'builtin', 'auto'];

/** Where the variants run. */
export const TARGETS = ['local'] as const;
export type TargetKind = (typeof TARGETS)[number];

/** The run's plan, checked. Durations are nominal seconds (the time scale applies to them). */
export interface ComparePlan {
  readonly target: TargetKind;
  /** Requests per second on each variant. */
  readonly rate: number;
  readonly warmupSeconds: number;
  readonly cooldownSeconds: number;
  readonly rounds: number;
  /** The zero-downtime variant's highest acceptable error rate, 0..1. */
  readonly maxErrorRate: number;
  readonly load: LoadKind;
  readonly timeScale: number;
  readonly router: RouterKind;
  readonly reloadIntervalSeconds: number;
  readonly reloads: ReloadDiscipline;
  /** Seconds to wait for the variants to become ready, and for each rollout. */
  readonly timeoutSeconds: number;
  /** Folder for the results; a timestamped folder is made inside it. */
  readonly resultsDir: string;
}

/** Raw values as the flags give them. */
export interface ComparePlanInput {
  readonly target?: string;
  readonly rate?: number;
  readonly warmup?: number;
  readonly cooldown?: number;
  readonly rounds?: number;
  /** Percent, e.g. 0.5 for 0.5 %. */
  readonly maxErrorRate?: number;
  readonly load?: LoadKind;
  readonly timeScale?: number;
  readonly router?: RouterKind;
  readonly reloadInterval?: number;
  readonly reloads?: ReloadDiscipline;
  readonly timeout?: number;
  readonly results?: string;
}

/** Applies the defaults and checks every value; errors name the flag. */
export function comparePlan(input: ComparePlanInput): ComparePlan {
  const target = input.target ?? 'local';
  if (!(TARGETS as readonly string[]).includes(target)) {
    throw new UsageError(
      `--target: unknown target ${JSON.stringify(target)}; available: ${TARGETS.join(', ')} (the local cluster of real processes; a real cluster is not supported yet)`,
    );
  }
  return {
    target: target as TargetKind,
    rate: positive('--rate', input.rate ?? 50),
    warmupSeconds: atLeast('--warmup', input.warmup ?? 10, 0),
    cooldownSeconds: atLeast('--cooldown', input.cooldown ?? 10, 0),
    rounds: integer('--rounds', input.rounds ?? 1, 1),
    maxErrorRate: percent('--max-error-rate', input.maxErrorRate ?? 0) / 100,
    load: input.load ?? 'auto',
    timeScale: positive('--time-scale', input.timeScale ?? 1),
    router: input.router ?? 'builtin',
    reloadIntervalSeconds: positive('--reload-interval', input.reloadInterval ?? 5),
    reloads: input.reloads ?? 'periodic',
    timeoutSeconds: positive('--timeout', input.timeout ?? 600),
    resultsDir: input.results ?? 'results',
  };
}
