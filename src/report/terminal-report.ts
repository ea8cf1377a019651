/**
 * `zdd report`'s terminal output: the comparison table (the same as `zdd
 * compare` prints; a file of another tool's adds min, median and p90), what its
 * latency figures measure, per-round failures, the rollouts, notes and the
 * verdict. Pure.
 */
import { latencyLine } from '../load/latency.js';
import { DETAILED_FIGURE_COLUMNS, FIGURE_COLUMNS } from './columns.js';
import type { ReportData } from './report-data.js';
import { figuresTable, perRoundTable, rolloutsTable } from './table.js';

export interface TerminalOptions {
  /** Min, median and p90 too (`zdd report --from`). @default false */
  readonly latencyDetail?: boolean;
}

export function terminalReport(data: ReportData, options: TerminalOptions = {}): string[] {
  const columns = options.latencyDetail ? DETAILED_FIGURE_COLUMNS : FIGURE_COLUMNS;
  const lines = [data.description, figuresTable(data.rows, columns), latencyLine(data.latency)];
  if ((data.rows[0]?.rounds.length ?? 0) > 1) lines.push(perRoundTable(data.rows));
  if (data.rounds.some((round) => round.rollouts.length > 0)) lines.push(rolloutsTable(data.rounds));
  for (const note of data.notes) lines.push(`note: ${note}`);
  lines.push(data.verdict.message);
  return lines;
}
