import type { RolloutResult } from '../cluster/rollout-result.js';
import type { ConnectionPattern } from '../load/connections.js';
import type { LoadResult, StreamDelivery } from '../load/load-run.js';
import type { Sample } from '../load/sample.js';
import { summarizeTarget, type TargetSummary } from '../load/summary.js';
import type { Variant } from '../manifests/labels.js';
import type { ClusterEvent } from '../runtime/events.js';

/** One round: the rollouts of both variants, triggered at the same moment. */
export interface Round {
  readonly number: number;
  /** Epoch ms when the rollouts were triggered. */
  readonly startedAt: number;
  /** Epoch ms when both had completed (or failed) and every old pod had exited. */
  readonly endedAt: number;
  readonly rollouts: readonly RolloutResult[];
  /**
   * Where the local router's periodic reloads stood when the round started:
   * the next reload came this fraction of an interval later (reload-phase.ts).
   */
  readonly reloadPhase?: number;
  /** What went wrong after the rollouts completed (e.g. old pods that never exited). */
  readonly problem?: string;
}

/**
 * What a run's verdict and summary.json need of the plan it followed. Compare's plan (`ComparePlan`) has these
 * and more; summary.json records all of it.
 */
export interface RunPlan {
  readonly rate: number;
  readonly rounds: number;
  /** The zero-downtime variant's highest acceptable error rate, 0..1, for each connection pattern. */
  readonly maxErrorRate: number;
}

/** What `compare` measured, before any judgement. */
export interface CompareRun {
  readonly plan: RunPlan;
  /** Where the variants ran, e.g. "the local cluster" or "context prod, namespace demo (oc)". */
  readonly targetDescription: string;
  /** The load generator that ran: `k6 v1.8.1` or `builtin`. */
  readonly loadGenerator: string;
  readonly variants: ReadonlyArray<{ readonly name: string; readonly role: Variant }>;
  /** The connection patterns the load used, in report order. */
  readonly connections: readonly ConnectionPattern[];
  readonly startedAt: number;
  readonly endedAt: number;
  readonly rounds: readonly Round[];
  readonly samples: readonly Sample[];
  /** How the load generator kept its schedule, and what it noted. */
  readonly load: Omit<LoadResult, 'samples'>;
  readonly events: readonly ClusterEvent[];
}

/** How much of the asked load reached a variant (or one of its connection patterns). */
export interface Delivery {
  readonly scheduled: number;
  readonly dropped: number;
  readonly late: number;
  /** (dropped + late) / scheduled, 0..1. */
  readonly shortfall: number;
}

/** The figures of one connection pattern of a variant. */
export interface PatternResult extends TargetSummary {
  readonly connection: ConnectionPattern;
  readonly delivery: Delivery;
}

export interface VariantResult extends TargetSummary {
  readonly name: string;
  readonly role: Variant;
  readonly delivery: Delivery;
  /** The same figures per connection pattern. */
  readonly byConnection: readonly PatternResult[];
  /** Per round: requests from its trigger to the next round's (the last: to the end of the load). */
  readonly rounds: ReadonlyArray<{
    readonly round: number;
    readonly requests: number;
    readonly failed: number;
    readonly longestOutageMs: number;
  }>;
}

/**
 * Figures per variant and per connection pattern, all from the per-request
 * samples, whichever generator ran, so that every figure in a row is measured
 * the same way (see `TargetSummary`). Pure.
 */
export function summarizeRun(
  run: Pick<CompareRun, 'variants' | 'rounds' | 'samples' | 'connections'> & {
    readonly load: Pick<LoadResult, 'delivery'>;
  },
): VariantResult[] {
  return run.variants.map(({ name, role }) => {
    const samples = run.samples.filter((sample) => sample.target === name);
    const streams = run.load.delivery.filter((stream) => stream.target === name);
    const rounds = run.rounds.map((round, index) => {
      const next = run.rounds[index + 1]?.startedAt ?? Number.POSITIVE_INFINITY;
      const from = index === 0 ? Number.NEGATIVE_INFINITY : round.startedAt;
      const summary = summarizeTarget(samples.filter((sample) => sample.epochMs >= from && sample.epochMs < next));
      return {
        round: round.number,
        requests: summary.requests,
        failed: summary.failed,
        longestOutageMs: summary.longestOutageMs,
      };
    });
    const byConnection = run.connections.map((connection) => ({
      connection,
      ...summarizeTarget(samples.filter((sample) => (sample.connection ?? 'reused') === connection)),
      delivery: delivery(streams.filter((stream) => stream.connection === connection)),
    }));
    return { name, role, ...summarizeTarget(samples), delivery: delivery(streams), byConnection, rounds };
  });
}

function delivery(streams: readonly StreamDelivery[]): Delivery {
  const scheduled = streams.reduce((sum, stream) => sum + stream.scheduled, 0);
  const dropped = streams.reduce((sum, stream) => sum + stream.dropped, 0);
  const late = streams.reduce((sum, stream) => sum + stream.late, 0);
  return { scheduled, dropped, late, shortfall: scheduled === 0 ? 0 : (dropped + late) / scheduled };
}

/** A run that delivered more than this fraction of a variant's requests late or not at all cannot be judged. */
export const MAX_LOAD_SHORTFALL = 0.01;

export type Outcome = 'pass' | 'fail' | 'inconclusive';

/** The judgement, and the exit code that carries it. */
export interface Verdict {
  readonly outcome: Outcome;
  /** 0 pass, 1 the zero-downtime variant dropped requests, 3 inconclusive. */
  readonly exitCode: 0 | 1 | 3;
  readonly passed: boolean;
  /**
   * True when the default variant broke the error budget on some connection
   * pattern: the run showed the problem the zero-downtime settings remove.
   * False when it stayed within the budget too (the contrast is missing).
   */
  readonly reproduced: boolean;
  /** Why the run is inconclusive (empty otherwise): each failed rollout, each stream short of its load, … */
  readonly reasons: readonly string[];
  readonly message: string;
}

/** The fewest requests per variant and connection pattern that can back a PASS: fewer prove nothing. */
export const MIN_REQUESTS_TO_JUDGE = 100;

/** How strict the verdict is beyond the error budget. */
export interface VerdictOptions {
  /**
   * A PASS whose default variant stayed within the budget too (nothing was
   * reproduced) becomes INCONCLUSIVE: for CI gates that want the contrast.
   * @default false
   */
  readonly requireReproduced?: boolean;
  /**
   * How to get more requests, said when a connection pattern got too few.
   * @default 'raise --rate, --warmup or --cooldown' (zdd compare's load)
   */
  readonly moreRequests?: string;
}

/**
 * PASS needs every round's rollouts to have completed, the load delivered as
 * asked (at most 1 % of a variant's requests late or dropped), at least
 * `MIN_REQUESTS_TO_JUDGE` requests on every connection pattern of each
 * variant, and every connection pattern of the zero-downtime variant within
 * the error budget. A run that cannot be judged is INCONCLUSIVE, even when the
 * zero-downtime variant dropped requests (they are reported, but a broken
 * rollout or a starved load may be their cause). Too few requests, or (with
 * `requireReproduced`) a default variant that stayed within the budget, only
 * stand in the way of a PASS: requests the zero-downtime variant dropped are
 * a FAIL however few were sent. Pure.
 */
export function verdict(
  results: readonly VariantResult[],
  run: Pick<CompareRun, 'rounds'> & { readonly load: Pick<LoadResult, 'capped' | 'thresholds' | 'problems'> },
  maxErrorRate: number,
  options: VerdictOptions = {},
): Verdict {
  const zd = results.find((result) => result.role === 'zero-downtime');
  const defaults = results.find((result) => result.role === 'default');
  const reasons: string[] = [];
  for (const round of run.rounds) {
    if (round.problem) reasons.push(`round ${round.number}: ${round.problem}`);
    for (const rollout of round.rollouts) {
      if (rollout.outcome !== 'completed') {
        reasons.push(
          `round ${round.number}: the rollout of ${rollout.workload} to ${rollout.revision} failed${rollout.reason ? ` (${rollout.reason})` : ''}`,
        );
      }
    }
  }
  // What keeps a PASS from being one, but does not undo a FAIL.
  const notProof: string[] = [];
  for (const result of results) {
    const { scheduled, dropped, late, shortfall } = result.delivery;
    if (shortfall > MAX_LOAD_SHORTFALL) {
      const how = [dropped > 0 && `${dropped} dropped`, late > 0 && `${late} started late`].filter(Boolean);
      reasons.push(
        `${result.name}: ${dropped + late} of ${scheduled} requests were not sent on time (${how.join(', ')}; more than ${percent(MAX_LOAD_SHORTFALL)}): the load generator could not keep up; lower --rate`,
      );
    }
    for (const pattern of result.byConnection) {
      if (pattern.requests === 0)
        reasons.push(`${result.name} (${pattern.connection} connections): no request was sent`);
      else if (pattern.requests < MIN_REQUESTS_TO_JUDGE)
        notProof.push(
          `${result.name} (${pattern.connection} connections): ${pattern.requests} requests, too few to judge (at least ${MIN_REQUESTS_TO_JUDGE} per connection pattern; ${options.moreRequests ?? 'raise --rate, --warmup or --cooldown'})`,
        );
    }
  }
  // The k6-operator's runners: samples that may not be every request sent cannot be judged.
  reasons.push(...(run.load.problems ?? []));
  if (run.load.capped) {
    reasons.push('the load reached the generator’s request cap before the run ended; fewer --rounds or a lower --rate');
  }
  const overBudget = (zd?.byConnection ?? []).filter((pattern) => pattern.errorRate > maxErrorRate);
  const k6Crossed = run.load.thresholds.filter((threshold) => !threshold.ok);
  if (zd && overBudget.length === 0 && k6Crossed.length > 0) {
    reasons.push(
      `k6 reports crossed thresholds (${k6Crossed.map((t) => `${t.metric} ${t.source}`).join(', ')}) that zdd's count of the same requests does not: the two disagree`,
    );
  }
  if (!zd) reasons.push('no zero-downtime variant');
  const reproduced = defaults?.byConnection.some((pattern) => pattern.errorRate > maxErrorRate) === true;
  const notReproduced = defaults ? describeNotReproduced(defaults, maxErrorRate) : 'there is no default variant';
  if (options.requireReproduced && !reproduced) {
    notProof.push(`the run did not reproduce the problem (--require-reproduced): ${notReproduced}`);
  }
  const outcome: Outcome =
    reasons.length > 0
      ? 'inconclusive'
      : overBudget.length > 0
        ? 'fail'
        : notProof.length > 0
          ? 'inconclusive'
          : 'pass';
  const allReasons = outcome === 'inconclusive' ? [...reasons, ...notProof] : reasons;
  const figures = zd ? describeZeroDowntime(zd, maxErrorRate) : '';
  const message =
    outcome === 'inconclusive'
      ? `INCONCLUSIVE: ${allReasons.join('; ')}.${figures ? ` ${figures}.` : ''}`
      : outcome === 'fail'
        ? `FAIL: ${figures}.`
        : `PASS: ${figures}.${reproduced ? '' : ` WARNING: this run did not reproduce the problem: ${notReproduced}; try a higher --rate or more --rounds (--require-reproduced makes this INCONCLUSIVE).`}`;
  const exitCode = outcome === 'pass' ? 0 : outcome === 'fail' ? 1 : 3;
  return { outcome, exitCode, passed: outcome === 'pass', reproduced, reasons: allReasons, message };
}

/** Why the default variant shows no problem: it dropped nothing, or no more than the budget allows. */
function describeNotReproduced(defaults: VariantResult, maxErrorRate: number): string {
  if (defaults.failed === 0) return `${defaults.name} dropped no request either`;
  return `${defaults.name} stayed within the budget too (${defaults.failed} of ${defaults.requests} failed, ${percent(defaults.errorRate)}; budget ${percent(maxErrorRate)} per connection pattern), so it did no worse than the zero-downtime variant may`;
}

function describeZeroDowntime(zd: VariantResult, maxErrorRate: number): string {
  const total = `${zd.name} failed ${zd.failed} of ${zd.requests} requests (${percent(zd.errorRate)}, budget ${percent(maxErrorRate)} per connection pattern)`;
  if (zd.byConnection.length < 2) return total;
  const patterns = zd.byConnection.map(
    (pattern) => `${pattern.connection} connections ${pattern.failed} of ${pattern.requests}`,
  );
  return `${total}: ${patterns.join(', ')}`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}
