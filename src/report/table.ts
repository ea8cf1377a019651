import Table from 'cli-table3';
import type { Round } from '../results-folder/run-result.js';
import type { RecordedVariant } from '../results-folder/summary-file.js';
import {
  type Column,
  FIGURE_COLUMNS,
  ROLLOUTS_HEAD,
  rolloutsLines,
  roundsHead,
  roundsLines,
  tableLines,
} from './columns.js';
import { type ReportRow, rowsOf } from './report-data.js';

/** The terminal's tables (cli-table3, no colours), from the columns every report shares. Pure. */
const PLAIN = { head: [], border: [] };

function render(head: readonly string[], lines: readonly (readonly string[])[]): string {
  const table = new Table({ head: [...head], style: PLAIN });
  for (const line of lines) table.push([...line]);
  return table.toString();
}

/**
 * The comparison table of report rows: one per variant, and one per connection pattern when there are
 * several. `columns`: `FIGURE_COLUMNS` (zdd compare's), or `DETAILED_FIGURE_COLUMNS`.
 */
export function figuresTable(rows: readonly ReportRow[], columns: readonly Column[] = FIGURE_COLUMNS): string {
  return render(['variant', ...columns.map((column) => column.title)], tableLines(rows, columns));
}

/** Failed requests per round and row. */
export function perRoundTable(rows: readonly ReportRow[]): string {
  return render(roundsHead(rows), roundsLines(rows));
}

/** The comparison table of a run's results (see `FIGURE_COLUMNS`). */
export function comparisonTable(results: readonly RecordedVariant[]): string {
  return figuresTable(rowsOf(results));
}

/** Failed requests per round and variant, for `--rounds` > 1. */
export function roundsTable(results: readonly RecordedVariant[]): string {
  return perRoundTable(rowsOf(results));
}

/** Every rollout of every round: how it ended, how long it took, and why it failed. */
export function rolloutsTable(rounds: readonly Round[]): string {
  return render(ROLLOUTS_HEAD, rolloutsLines(rounds));
}
