import type { ClusterEvent } from '../cluster/local/events.js';
import type { RolloutResult } from '../cluster/local/workload-controller.js';
import type { Sample } from '../load/sample.js';
import type { LoadAggregates } from '../load/start-load.js';
import { summarizeTarget, type TargetSummary } from '../load/summary.js';
import type { Variant } from '../manifests/labels.js';
import type { ComparePlan } from './options.js';

/** One round: the rollouts of both variants, triggered at the same moment. */
export interface Round {
  readonly number: number;
  /** Epoch ms when the rollouts were triggered. */
  readonly startedAt: number;
  /** Epoch ms when both had completed and every old pod had exited. */
  readonly endedAt: number;
  readonly rollouts: readonly RolloutResult[];
}

/** What `compare` measured, before any judgement. */
export interface CompareRun {
  readonly plan: ComparePlan;
  /** The load generator that ran: k6 (with its version) or builtin. */
  readonly loadGenerator: string;
  readonly variants: ReadonlyArray<{ readonly name: string; readonly role: Variant }>;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly rounds: readonly Round[];
  readonly samples: readonly Sample[];
  /** The generator's own figures per variant (k6's summary), preferred for the table's totals. */
  readonly aggregates?: ReadonlyMap<string, LoadAggregates>;
  readonly events: readonly ClusterEvent[];
}

export interface VariantResult extends TargetSummary {
  readonly name: string;
  readonly role: Variant;
  /** Per round: requests from its trigger to the next round's (the last: to the end of the load). */
  readonly rounds: ReadonlyArray<{
    readonly round: number;
    readonly requests: number;
    readonly failed: number;
    readonly longestOutageMs: number;
  }>;
}

/**
 * Summaries per variant, with per-round counts. The totals come from the
 * generator's own summary when it has one (k6), the error kinds, the longest
 * outage and the rounds from the per-request samples. Pure.
 */
export function summarizeRun(run: Pick<CompareRun, 'variants' | 'rounds' | 'samples' | 'aggregates'>): VariantResult[] {
  return run.variants.map(({ name, role }) => {
    const samples = run.samples.filter((sample) => sample.target === name);
    const rounds = run.rounds.map((round, index) => {
      const next = run.rounds[index + 1]?.startedAt ?? Number.POSITIVE_INFINITY;
      const from = index === 0 ? Number.NEGATIVE_INFINITY : round.startedAt;
      const inRound = samples.filter((sample) => sample.epochMs >= from && sample.epochMs < next);
      const summary = summarizeTarget(inRound);
      return {
        round: round.number,
        requests: summary.requests,
        failed: summary.failed,
        longestOutageMs: summary.longestOutageMs,
      };
    });
    const fromSamples = summarizeTarget(samples);
    const own = run.aggregates?.get(name);
    const totals = own
      ? {
          requests: own.requests,
          failed: own.failed,
          errorRate: own.requests === 0 ? 0 : own.failed / own.requests,
          avgMs: own.avgMs,
          p95Ms: own.p95Ms,
          p99Ms: own.p99Ms ?? fromSamples.p99Ms,
          maxMs: own.maxMs,
          tps: own.tps,
        }
      : {};
    return { name, role, ...fromSamples, ...totals, rounds };
  });
}

/** The judgement: exit 0 when the zero-downtime variant stayed within the error budget. */
export interface Verdict {
  readonly exitCode: 0 | 1;
  readonly passed: boolean;
  /** False when the default variant dropped nothing either: the run did not show the problem. */
  readonly reproduced: boolean;
  readonly message: string;
}

export function verdict(results: readonly VariantResult[], maxErrorRate: number): Verdict {
  const zd = results.find((result) => result.role === 'zero-downtime');
  const defaults = results.find((result) => result.role === 'default');
  const passed = zd !== undefined && zd.requests > 0 && zd.errorRate <= maxErrorRate;
  const reproduced = defaults !== undefined && defaults.failed > 0;
  const budget = `${(maxErrorRate * 100).toFixed(2)} %`;
  const zdText = zd
    ? `${zd.name} failed ${zd.failed} of ${zd.requests} requests (${(zd.errorRate * 100).toFixed(2)} %, budget ${budget})`
    : 'no zero-downtime variant';
  const message = passed
    ? `PASS: ${zdText}.${reproduced ? '' : ` WARNING: ${defaults?.name ?? 'the default variant'} dropped no request either, so this run did not reproduce the problem; try a higher --rate or more --rounds.`}`
    : `FAIL: ${zdText}.`;
  return { exitCode: passed ? 0 : 1, passed, reproduced, message };
}
