/**
 * The report's tables, declared once for the terminal, Markdown and HTML: the
 * comparison (the seed's columns first: transactions, average response, error
 * rate, TPS; then the latencies (min, median and p90 too, where the table may be
 * wider), failures by kind, the longest outage and the requests not sent on time), the per-round failures and the rollouts. Pure.
 */

import type { ErrorKind } from '../load/sample.js';
import type { Round } from '../results-folder/run-result.js';
import type { Figures, ReportRow } from './report-data.js';

/** What a report shows for a figure its source does not have. */
export const UNKNOWN = '—';

export interface Column {
  readonly title: string;
  readonly cell: (figures: Figures) => string;
}

/** The latency figures k6 users read first, in the reports and the imported-file table. */
const LATENCY_DETAIL: readonly Column[] = [
  { title: 'min (ms)', cell: (f) => fixed(f.minMs, 1) },
  { title: 'median (ms)', cell: (f) => fixed(f.medianMs, 1) },
  { title: 'p90 (ms)', cell: (f) => fixed(f.p90Ms, 1) },
];

/**
 * The columns that decide, as a terminal shows them by default (80 columns wide): how many requests, how
 * many failed, their share, the longest outage and p95. `zdd compare --wide` and `zdd report --wide` show
 * `FIGURE_COLUMNS`; report.md, report.html and summary.json have every figure.
 */
export const DECIDING_COLUMNS: readonly Column[] = [
  { title: 'requests', cell: (f) => String(f.requests) },
  { title: 'failed', cell: (f) => (f.failed === undefined ? UNKNOWN : String(f.failed)) },
  { title: 'error rate', cell: (f) => (f.errorRate === undefined ? UNKNOWN : percent(f.errorRate)) },
  { title: 'longest outage (ms)', cell: (f) => fixed(f.longestOutageMs, 0) },
  { title: 'p95 (ms)', cell: (f) => fixed(f.p95Ms, 1) },
];

/** The mark of a row within the error budget, and of one over it (the verdict judges the zero-downtime rows). */
export const WITHIN_BUDGET = '✓ ok';
export const OVER_BUDGET = '✗ over';

/**
 * Each row's error rate against the budget (`--max-error-rate`, a fraction): the zero-downtime variant's
 * marks are what its verdict reads; the default variant's `over` is the problem reproduced.
 */
export function budgetColumn(maxErrorRate: number): Column {
  return {
    title: 'budget',
    cell: (f) => (f.errorRate === undefined ? UNKNOWN : f.errorRate > maxErrorRate ? OVER_BUDGET : WITHIN_BUDGET),
  };
}

/** The comparison's columns as `zdd compare --wide` prints them. */
export const FIGURE_COLUMNS: readonly Column[] = [
  { title: 'transactions', cell: (f) => String(f.requests) },
  { title: 'avg (ms)', cell: (f) => fixed(f.avgMs, 1) },
  { title: 'error rate', cell: (f) => (f.errorRate === undefined ? UNKNOWN : percent(f.errorRate)) },
  { title: 'TPS', cell: (f) => fixed(f.tps, 1) },
  { title: 'p95 (ms)', cell: (f) => fixed(f.p95Ms, 1) },
  { title: 'p99 (ms)', cell: (f) => fixed(f.p99Ms, 1) },
  { title: 'max (ms)', cell: (f) => fixed(f.maxMs, 1) },
  kindColumn('refused', 'refused'),
  kindColumn('reset', 'reset'),
  kindColumn('timeout', 'timeout'),
  kindColumn('5xx', 'http_5xx'),
  kindColumn('4xx', 'http_4xx'),
  { title: 'longest outage (ms)', cell: (f) => fixed(f.longestOutageMs, 0) },
  {
    title: 'not sent on time',
    cell: (f) => {
      if (f.notSentOnTime === undefined) return UNKNOWN;
      const { count, shortfall } = f.notSentOnTime;
      return count === 0 ? '0' : `${count} (${percent(shortfall)})`;
    },
  },
];

/** With min, median and p90 before p95: report.md, report.html and the table of `zdd report --from`. */
export const DETAILED_FIGURE_COLUMNS: readonly Column[] = [
  ...FIGURE_COLUMNS.slice(0, 4),
  ...LATENCY_DETAIL,
  ...FIGURE_COLUMNS.slice(4),
];

/** One table line per row, and one per connection pattern when there are several: [label, …cells]. */
export function tableLines(rows: readonly ReportRow[], columns: readonly Column[] = FIGURE_COLUMNS): string[][] {
  return rows.flatMap((row) => [
    [row.name, ...columns.map((column) => column.cell(row.figures))],
    ...(row.byConnection.length < 2
      ? []
      : row.byConnection.map((pattern) => [
          `  ${pattern.connection} connections`,
          ...columns.map((column) => column.cell(pattern)),
        ])),
  ]);
}

/** The per-round table's head: for each row, its failures and its longest outage. */
export function roundsHead(rows: readonly ReportRow[]): string[] {
  return ['round', ...rows.flatMap((row) => [`${row.name} failed`, `${row.name} longest outage (ms)`])];
}

/** One line per round: each row's failed requests of its requests, and its longest outage. */
export function roundsLines(rows: readonly ReportRow[]): string[][] {
  const rounds = rows[0]?.rounds ?? [];
  return rounds.map((round, index) => [
    String(round.round),
    ...rows.flatMap((row) => {
      const figures = row.rounds[index];
      return [`${figures?.failed ?? 0} of ${figures?.requests ?? 0}`, (figures?.longestOutageMs ?? 0).toFixed(0)];
    }),
  ]);
}

/** The per-round table for a terminal, a line per round and row (it stays narrow however many rows). */
export const ROUNDS_BY_ROW_HEAD: readonly string[] = ['round', 'variant', 'failed', 'longest outage (ms)'];

/** One line per round and row: the row's failed requests of its requests, and its longest outage. */
export function roundsByRowLines(rows: readonly ReportRow[]): string[][] {
  const rounds = rows[0]?.rounds ?? [];
  return rounds.flatMap((round, index) =>
    rows.map((row) => {
      const figures = row.rounds[index];
      return [
        String(round.round),
        row.name,
        `${figures?.failed ?? 0} of ${figures?.requests ?? 0}`,
        (figures?.longestOutageMs ?? 0).toFixed(0),
      ];
    }),
  );
}

export const ROLLOUTS_HEAD: readonly string[] = ['round', 'rollout', 'outcome', 'took (s)', 'reason'];

/** Every rollout of every round: how it ended, how long it took, and why it failed. */
export function rolloutsLines(rounds: readonly Round[]): string[][] {
  return rounds.flatMap((round) =>
    round.rollouts.map((rollout) => [
      String(round.number),
      `${rollout.workload} → ${rollout.revision}`,
      rollout.outcome,
      ((rollout.endedAt - rollout.startedAt) / 1000).toFixed(1),
      rollout.reason ?? '',
    ]),
  );
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? UNKNOWN : value.toFixed(digits);
}

function kindColumn(title: string, kind: ErrorKind): Column {
  return { title, cell: (f) => (f.byKind === undefined ? UNKNOWN : String(f.byKind[kind])) };
}
