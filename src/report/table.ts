import Table from 'cli-table3';
import type { Round } from '../results-folder/run-result.js';
import type { RecordedVariant } from '../results-folder/summary-file.js';
import { DEFAULT_WIDTH } from '../runtime/terminal.js';
import { displayWidth, wrapLine } from '../runtime/wrap-text.js';
import {
  budgetColumn,
  type Column,
  DECIDING_COLUMNS,
  FIGURE_COLUMNS,
  OVER_BUDGET,
  ROLLOUTS_HEAD,
  ROUNDS_BY_ROW_HEAD,
  rolloutsLines,
  roundsByRowLines,
  tableLines,
  WITHIN_BUDGET,
} from './columns.js';
import { COLUMN_GAP, fitColumns } from './fit-columns.js';
import { type ReportRow, rowsOf } from './report-data.js';

/**
 * The terminal's tables (cli-table3), from the columns every report shares: columns apart by two spaces, a
 * rule under the head and none between rows, fitted to the terminal's width (a head too wide wraps, its
 * lines at the bottom). Pure.
 */

export interface TableOptions {
  /** The columns a line may take. @default DEFAULT_WIDTH */
  readonly width?: number;
  /** Every figure (`--wide`), and a table that may run wider than `width` rather than cut a cell. @default false */
  readonly wide?: boolean;
  /** Colour the budget marks. @default false */
  readonly colour?: boolean;
  /** `--max-error-rate` (a fraction): adds each row's mark against it. @default - no marks */
  readonly maxErrorRate?: number;
}

const GREEN = (text: string) => `\u001b[32m${text}\u001b[39m`;
const RED = (text: string) => `\u001b[31m${text}\u001b[39m`;

/** No border but the rule under the head; `COLUMN_GAP` spaces between columns. */
const CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '─',
  'mid-mid': ' '.repeat(COLUMN_GAP),
  right: '',
  'right-mid': '',
  middle: ' '.repeat(COLUMN_GAP),
};

function render(
  head: readonly string[],
  lines: readonly (readonly string[])[],
  wraps: readonly boolean[],
  options: TableOptions,
): string {
  const widths = fitColumns({
    head,
    lines,
    wraps,
    width: options.width ?? DEFAULT_WIDTH,
    truncate: options.wide !== true,
  });
  // Cells are wrapped here (at spaces, continuation lines indented) rather than by cli-table3, which counts a
  // cell's leading spaces as nothing; what still does not fit, cli-table3 cuts with "…".
  const fitted = (cells: readonly string[], indent?: string) =>
    cells.map((cell, index) => {
      const width = widths[index] ?? 1;
      return displayWidth(cell) <= width ? cell : wrapLine(cell, width, indent).join('\n');
    });
  const table = new Table({
    head: fitted(head, ''),
    colWidths: widths,
    rowAligns: ['bottom'],
    chars: CHARS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  for (const line of lines) table.push(fitted(line).map((cell) => (options.colour ? coloured(cell) : cell)));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

function coloured(cell: string): string {
  if (cell === WITHIN_BUDGET) return GREEN(cell);
  if (cell === OVER_BUDGET) return RED(cell);
  return cell;
}

/**
 * The comparison table of report rows: one per variant, and one per connection pattern when there are
 * several. `columns`: the deciding ones (`DECIDING_COLUMNS`), or with `--wide` every figure
 * (`FIGURE_COLUMNS`, or `DETAILED_FIGURE_COLUMNS`); the budget mark last.
 */
export function figuresTable(
  rows: readonly ReportRow[],
  options: TableOptions & { readonly columns?: readonly Column[] } = {},
): string {
  const columns = [
    ...(options.columns ?? (options.wide ? FIGURE_COLUMNS : DECIDING_COLUMNS)),
    ...(options.maxErrorRate === undefined ? [] : [budgetColumn(options.maxErrorRate)]),
  ];
  const head = ['variant', ...columns.map((column) => column.title)];
  return render(
    head,
    tableLines(rows, columns),
    head.map((_, index) => index === 0),
    options,
  );
}

/** Failed requests per round and row, a line each. */
export function perRoundTable(rows: readonly ReportRow[], options: TableOptions = {}): string {
  return render(ROUNDS_BY_ROW_HEAD, roundsByRowLines(rows), [false, true, false, false], options);
}

/** The comparison table of a run's results. */
export function comparisonTable(results: readonly RecordedVariant[], options: TableOptions = {}): string {
  return figuresTable(rowsOf(results), options);
}

/** Failed requests per round and variant, for `--rounds` > 1. */
export function roundsTable(results: readonly RecordedVariant[], options: TableOptions = {}): string {
  return perRoundTable(rowsOf(results), options);
}

/** Every rollout of every round: how it ended, how long it took, and why it failed. */
export function rolloutsTable(rounds: readonly Round[], options: TableOptions = {}): string {
  return render(ROLLOUTS_HEAD, rolloutsLines(rounds), [false, true, false, false, true], options);
}
