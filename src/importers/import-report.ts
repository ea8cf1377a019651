/**
 * Report data from another tool's results: one row per label (JMeter) or
 * variant/scenario (k6), the variants' roles, the rollout rounds, and zdd's
 * verdict on them, judged as `zdd compare` judges its own runs. Pure.
 */

import type { ConnectionPattern } from '../load/connections.js';
import type { K6Summary, K6VariantSummary } from '../load/k6/summary.js';
import type { LatencyDefinition } from '../load/latency.js';
import type { StreamDelivery } from '../load/load-run.js';
import type { Sample } from '../load/sample.js';
import { summarizeTarget } from '../load/summary.js';
import type { Variant } from '../manifests/labels.js';
import { percent } from '../report/columns.js';
import { type Figures, figuresOf, type NoVerdict, type ReportData, type ReportRow } from '../report/report-data.js';
import type { Round, VariantResult, Verdict } from '../results-folder/run-result.js';
import { summarizeRun, verdict } from '../results-folder/run-result.js';
import type { ClusterEvent } from '../runtime/events.js';
import { FORMAT_NAMES, type ImportFormat } from './detect-format.js';

export interface ImportContext {
  readonly file: string;
  readonly format: ImportFormat;
  /** Every label, in the order the file has them. */
  readonly labels: readonly string[];
  readonly roles: ReadonlyMap<string, Variant>;
  readonly rounds: readonly Round[];
  /** Where the rounds came from, for the settings: "events.json", "--rollout-at", or none. */
  readonly roundsFrom?: string;
  readonly events: readonly ClusterEvent[];
  /** Which workload of the events served each label. */
  readonly workloads: ReadonlyMap<string, string>;
  readonly maxErrorRate: number;
  /** What the reader skipped or assumed. */
  readonly warnings: readonly string[];
  /** What the latency figures measure. */
  readonly latency: LatencyDefinition;
  readonly zddVersion: string;
}

/** Rows ordered default, zero-downtime, then the other labels as the file has them. */
function ordered(context: ImportContext): string[] {
  const rank = (label: string) => {
    const role = context.roles.get(label);
    return role === 'default' ? 0 : role === 'zero-downtime' ? 1 : 2;
  };
  return [...context.labels].sort((a, b) => rank(a) - rank(b));
}

/** From per-request samples (a JMeter CSV file, k6's `--out json`): every figure, and the timeline. */
export function reportFromSamples(
  samples: readonly Sample[],
  droppedIterations: ReadonlyMap<string, number>,
  context: ImportContext,
): ReportData {
  const labels = ordered(context);
  // Requests without a connection pattern count as reused: JMeter and k6 keep connections alive by default.
  const present = new Set(samples.map((sample) => sample.connection ?? 'reused'));
  const connections: ConnectionPattern[] = (['new', 'reused'] as const).filter((pattern) => present.has(pattern));
  if (connections.length === 0) connections.push('reused');
  const delivery: StreamDelivery[] = labels.flatMap((label) =>
    connections.map((connection, index) => {
      const sent = samples.filter(
        (sample) => sample.target === label && (sample.connection ?? 'reused') === connection,
      ).length;
      // The file says how many were dropped per label, not per pattern: counted on the first.
      const dropped = index === 0 ? (droppedIterations.get(label) ?? 0) : 0;
      return { target: label, connection, scheduled: sent + dropped, sent, dropped, late: 0 };
    }),
  );
  const results = summarizeRun({
    variants: labels.map((name) => ({ name, role: context.roles.get(name) ?? 'default' })),
    rounds: context.rounds,
    samples,
    connections,
    load: { delivery },
  });
  const rows: ReportRow[] = results.map((result) => ({
    name: result.name,
    ...(context.roles.has(result.name) && { role: result.role }),
    figures: figuresOf(result),
    byConnection: result.byConnection.map((pattern) => ({ connection: pattern.connection, ...figuresOf(pattern) })),
    rounds: result.rounds,
  }));
  const judged = results.filter((result) => context.roles.has(result.name));
  const requests = samples.length;
  const spanS =
    (samples.reduce((max, sample) => Math.max(max, sample.epochMs), 0) -
      samples.reduce((min, sample) => Math.min(min, sample.epochMs), Number.POSITIVE_INFINITY)) /
    1000;
  return {
    ...common(context, rows),
    description: `${FORMAT_NAMES[context.format]}: ${requests} requests over ${spanS.toFixed(1)} s, ${labels.length} ${labelWord(context)}${labels.length === 1 ? '' : 's'}${roundsText(context)}`,
    verdict: labels.length < 2 ? noVerdict(labels, context) : judge(judged, context),
    timeline: { samples, events: context.events, workloads: context.workloads },
  };
}

/** From a k6 summary: k6's own totals per variant, no per-request detail, no timeline. */
export function reportFromSummary(summary: K6Summary, context: ImportContext): ReportData {
  const byLabel = new Map<string, K6VariantSummary>(summary.variants);
  if (byLabel.size === 0 && summary.total) byLabel.set(ALL_REQUESTS, summary.total);
  const labels = ordered({ ...context, labels: [...byLabel.keys()] });
  const rows: ReportRow[] = labels.map((label) => {
    const figures = summaryFigures(byLabel.get(label) as K6VariantSummary);
    const role = context.roles.get(label);
    return { name: label, ...(role !== undefined && { role }), figures, byConnection: [], rounds: [] };
  });
  const unknown = rows.filter((row) => row.role !== undefined && row.figures.failed === undefined);
  const judged = rows.flatMap((row) =>
    row.role === undefined || row.figures.failed === undefined ? [] : [forVerdict(row)],
  );
  const seconds =
    summary.testRunDurationMs === undefined ? '' : ` over ${(summary.testRunDurationMs / 1000).toFixed(1)} s`;
  return {
    ...common(context, rows),
    description: `${FORMAT_NAMES[context.format]} (${summary.shape} shape${summary.k6Version ? `, k6 ${summary.k6Version}` : ''}): ${summary.total?.requests ?? 0} requests${seconds}, ${rows.length} variant${rows.length === 1 ? '' : 's'}${roundsText(context)}`,
    verdict:
      rows.length < 2
        ? noVerdict(labels, context)
        : unknown.length > 0
          ? inconclusive([
              `${context.file} has no http_req_failed figure for ${unknown.map((row) => row.name).join(', ')}, so its failed requests are unknown`,
            ])
          : judge(judged, context),
    notes: [
      ...(summary.variants.size === 0
        ? [
            `${context.file} has no per-variant figures (k6 reports a tag’s figures only for metrics with a threshold, e.g. http_reqs{variant:NAME}): one row for all requests`,
          ]
        : []),
      ...context.warnings,
      ...summary.warnings,
      ...summary.thresholds.filter((t) => !t.ok).map((t) => `k6 threshold crossed: ${t.metric} ${t.source}`),
    ],
  };
}

const ALL_REQUESTS = 'all requests';

function summaryFigures(figures: K6VariantSummary): Figures {
  const dropped = figures.droppedIterations;
  return {
    requests: figures.requests,
    ...(figures.failed !== undefined && { failed: figures.failed }),
    ...(figures.errorRate !== undefined && { errorRate: figures.errorRate }),
    avgMs: figures.avgMs,
    maxMs: figures.maxMs,
    ...(figures.minMs !== undefined && { minMs: figures.minMs }),
    ...(figures.medianMs !== undefined && { medianMs: figures.medianMs }),
    ...(figures.p90Ms !== undefined && { p90Ms: figures.p90Ms }),
    ...(figures.p95Ms !== undefined && { p95Ms: figures.p95Ms }),
    ...(figures.p99Ms !== undefined && { p99Ms: figures.p99Ms }),
    ...(figures.rps !== undefined && { tps: figures.rps }),
    ...(dropped !== undefined && {
      notSentOnTime: { count: dropped, shortfall: dropped / Math.max(1, figures.requests + dropped) },
    }),
  };
}

/**
 * What `verdict` reads of a row from a summary: its counts and error rate (it
 * reads no latency, kind or outage; those are left at summarizeTarget's empty
 * values and shown nowhere).
 */
function forVerdict(row: ReportRow): VariantResult {
  const failed = row.figures.failed ?? 0;
  const dropped = row.figures.notSentOnTime?.count ?? 0;
  const delivery = {
    scheduled: row.figures.requests + dropped,
    dropped,
    late: 0,
    shortfall: row.figures.notSentOnTime?.shortfall ?? 0,
  };
  const counts = {
    ...summarizeTarget([]),
    requests: row.figures.requests,
    failed,
    errorRate: row.figures.errorRate ?? 0,
    delivery,
  };
  return {
    ...counts,
    name: row.name,
    role: row.role ?? 'default',
    byConnection: [{ ...counts, connection: 'reused' }],
    rounds: [],
  };
}

function judge(results: readonly VariantResult[], context: ImportContext): Verdict {
  if (!results.some((result) => result.role === 'zero-downtime')) {
    return inconclusive([
      `no label is the zero-downtime variant: name it with --variant zero-downtime=LABEL (${context.file} has ${context.labels.map((label) => JSON.stringify(label)).join(', ')})`,
    ]);
  }
  return verdict(results, { rounds: context.rounds, load: { capped: false, thresholds: [] } }, context.maxErrorRate, {
    moreRequests: 'send more requests',
  });
}

/** One variant: nothing to compare, so no verdict (exit 0), and how to give the file two. */
function noVerdict(labels: readonly string[], context: ImportContext): NoVerdict {
  const found = labels.map((label) => JSON.stringify(label)).join(', ') || 'none';
  const reason = `${context.file} holds one ${labelWord(context)} (${found}), so there is nothing to compare`;
  return {
    outcome: 'none',
    exitCode: 0,
    reasons: [reason],
    message: `NO VERDICT: ${reason}; the table has its figures. To judge a rollout, measure the default and the zero-downtime variant in one run, each with its own ${context.format === 'jmeter' ? 'label' : 'scenario or variant tag'}, and name them with --variant default=LABEL --variant zero-downtime=LABEL.`,
  };
}

function inconclusive(reasons: readonly string[]): Verdict {
  return {
    outcome: 'inconclusive',
    exitCode: 3,
    passed: false,
    reproduced: false,
    reasons,
    message: `INCONCLUSIVE: ${reasons.join('; ')}.`,
  };
}

/** What every import's report shares. */
function common(context: ImportContext, rows: readonly ReportRow[]) {
  const role = (variant: Variant) => rows.find((row) => row.role === variant)?.name ?? 'none';
  return {
    title: `${FORMAT_NAMES[context.format]}: ${context.file}`,
    source: `${context.file} (${FORMAT_NAMES[context.format]})`,
    rows,
    rounds: context.rounds,
    settings: [
      { name: 'file', value: context.file },
      { name: 'format', value: FORMAT_NAMES[context.format] },
      { name: 'default variant', value: role('default') },
      { name: 'zero-downtime variant', value: role('zero-downtime') },
      { name: 'rollouts from', value: context.roundsFrom ?? 'none given: the whole run' },
      { name: 'error budget (zero-downtime, per connection pattern)', value: percent(context.maxErrorRate) },
    ],
    notes: context.warnings,
    latency: context.latency,
    zddVersion: context.zddVersion,
  };
}

function labelWord(context: ImportContext): string {
  return context.format === 'jmeter' ? 'label' : 'variant';
}

function roundsText(context: ImportContext): string {
  return context.rounds.length === 0 ? '' : `, ${context.rounds.length} rollout round(s) from ${context.roundsFrom}`;
}
