/**
 * The comparison table's columns, declared once for the terminal, Markdown and
 * HTML: the seed's columns first (transactions, average response, error rate,
 * TPS), then tail latencies, failures by kind, the longest outage and the
 * requests not sent on time. The same text as `comparisonTable`. Pure.
 */
import type { ErrorKind } from '../load/sample.js';
import type { Figures, ReportRow } from './report-data.js';

/** What a report shows for a figure its source does not have. */
export const UNKNOWN = '—';

export interface Column {
  readonly title: string;
  readonly cell: (figures: Figures) => string;
}

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

/** One table line per row, and one per connection pattern when there are several: [label, …cells]. */
export function tableLines(rows: readonly ReportRow[]): string[][] {
  return rows.flatMap((row) => [
    [row.name, ...FIGURE_COLUMNS.map((column) => column.cell(row.figures))],
    ...(row.byConnection.length < 2
      ? []
      : row.byConnection.map((pattern) => [
          `  ${pattern.connection} connections`,
          ...FIGURE_COLUMNS.map((column) => column.cell(pattern)),
        ])),
  ]);
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
