/**
 * `zdd report`'s terminal output: the comparison table (the same as `zdd
 * compare` prints; with `--wide`, a file of another tool's adds min, median and
 * p90), what its latency figures measure, per-round failures, the rollouts,
 * notes and the verdict, fitted to the terminal's width. Pure.
 */
import { latencyLine } from '../load/latency.js';
import { DEFAULT_WIDTH } from '../runtime/terminal.js';
import { wrapText } from '../runtime/wrap-text.js';
import { DETAILED_FIGURE_COLUMNS, FIGURE_COLUMNS } from './columns.js';
import type { ReportData } from './report-data.js';
import { figuresTable, perRoundTable, rolloutsTable, type TableOptions } from './table.js';

export interface TerminalOptions extends TableOptions {
  /** With `wide`: min, median and p90 too (`zdd report --from`). @default false */
  readonly latencyDetail?: boolean;
}

export function terminalReport(data: ReportData, options: TerminalOptions = {}): string[] {
  const width = options.width ?? DEFAULT_WIDTH;
  const say = (line: string) => wrapText(line, width);
  const columns = options.wide ? (options.latencyDetail ? DETAILED_FIGURE_COLUMNS : FIGURE_COLUMNS) : undefined;
  const lines = [
    say(data.description),
    figuresTable(data.rows, { ...options, ...(columns && { columns }) }),
    say(latencyLine(data.latency)),
  ];
  if ((data.rows[0]?.rounds.length ?? 0) > 1) lines.push(perRoundTable(data.rows, options));
  if (data.rounds.some((round) => round.rollouts.length > 0)) lines.push(rolloutsTable(data.rounds, options));
  for (const note of data.notes) lines.push(say(`note: ${note}`));
  lines.push(say(data.verdict.message));
  return lines;
}
