/**
 * What a report shows, whatever it was read from (a results folder, a JMeter
 * or k6 file): the rows of the comparison table, the rollouts, the verdict, the
 * settings, and what the timeline is drawn from. The Markdown, HTML and
 * terminal renderers all read this one shape.
 */

import type { ConnectionPattern } from '../load/connections.js';
import type { LatencyDefinition } from '../load/latency.js';
import type { ErrorKind, Sample } from '../load/sample.js';
import type { Variant } from '../manifests/labels.js';
import type { Round, VariantResult, Verdict } from '../results-folder/run-result.js';
import type { RecordedVariant } from '../results-folder/summary-file.js';
import type { ClusterEvent } from '../runtime/events.js';
import type { SettingDifference } from './variant-delta.js';

/** A row's figures; undefined where the source does not say (a k6 summary has no per-request detail). */
export interface Figures {
  readonly requests: number;
  readonly failed?: number;
  readonly errorRate?: number;
  readonly avgMs?: number;
  readonly minMs?: number;
  readonly medianMs?: number;
  readonly p90Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly maxMs?: number;
  readonly tps?: number;
  readonly byKind?: Readonly<Record<ErrorKind, number>>;
  readonly longestOutageMs?: number;
  /** Requests scheduled but not sent on time (dropped or late) and their share of the scheduled ones. */
  readonly notSentOnTime?: { readonly count: number; readonly shortfall: number };
}

export interface ReportRow {
  /** The variant, label or scenario. */
  readonly name: string;
  /** Which variant it is; undefined for a label that is neither (it is shown, not judged). */
  readonly role?: Variant;
  readonly figures: Figures;
  /** Per connection pattern, when the load used more than one. */
  readonly byConnection: ReadonlyArray<Figures & { readonly connection: ConnectionPattern }>;
  /** Per rollout round (requests from its trigger to the next one's). */
  readonly rounds: VariantResult['rounds'];
}

/** What the timeline is drawn from. */
export interface TimelineInput {
  readonly samples: readonly Sample[];
  readonly events: readonly ClusterEvent[];
  /** Which workload of `events` served each row's requests. */
  readonly workloads: ReadonlyMap<string, string>;
}

/**
 * A report without a verdict: its source holds one variant, so there is nothing to compare (exit 0). zdd's
 * verdicts (`Verdict`) compare two.
 */
export interface NoVerdict {
  readonly outcome: 'none';
  readonly exitCode: 0;
  readonly reasons: readonly string[];
  readonly message: string;
}

export interface ReportData {
  readonly title: string;
  /** Where the figures come from: the results folder, or the file and its kind. */
  readonly source: string;
  /** The load, in one line (e.g. "k6 v1.8.1, 50 req/s per variant (…), 1 rollout round(s) on the local cluster"). */
  readonly description: string;
  readonly rows: readonly ReportRow[];
  readonly rounds: readonly Round[];
  readonly verdict: Verdict | NoVerdict;
  /** What the latency figures (avg, percentiles, max) measure, for this source. */
  readonly latency: LatencyDefinition;
  /** The run's settings worth showing, as name and value. */
  readonly settings: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** What differs between the variants; undefined when the source does not record it. */
  readonly variantDelta?: readonly SettingDifference[];
  /** Undefined when the source has no per-request data (a k6 summary). */
  readonly timeline?: TimelineInput;
  /** What the readers skipped, assumed or could not reconcile, one sentence each. */
  readonly notes: readonly string[];
  /** The zdd version that wrote the report. */
  readonly zddVersion: string;
}

/** A variant's (or a pattern's) figures from `summarizeRun` or a results folder. */
export function figuresOf(result: Omit<RecordedVariant['byConnection'][number], 'connection'>): Figures {
  const { delivery, ...figures } = result;
  return {
    requests: figures.requests,
    failed: figures.failed,
    errorRate: figures.errorRate,
    avgMs: figures.avgMs,
    ...(figures.minMs !== undefined && { minMs: figures.minMs }),
    ...(figures.medianMs !== undefined && { medianMs: figures.medianMs }),
    ...(figures.p90Ms !== undefined && { p90Ms: figures.p90Ms }),
    p95Ms: figures.p95Ms,
    p99Ms: figures.p99Ms,
    maxMs: figures.maxMs,
    tps: figures.tps,
    byKind: figures.byKind,
    longestOutageMs: figures.longestOutageMs,
    notSentOnTime: { count: delivery.dropped + delivery.late, shortfall: delivery.shortfall },
  };
}

/** Rows from `summarizeRun`'s results (or summary.json's variants). */
export function rowsOf(results: readonly RecordedVariant[]): ReportRow[] {
  return results.map((result) => ({
    name: result.name,
    role: result.role,
    figures: figuresOf(result),
    byConnection: result.byConnection.map((pattern) => ({ connection: pattern.connection, ...figuresOf(pattern) })),
    rounds: result.rounds,
  }));
}
