/**
 * `zdd report`'s terminal output: the comparison table (the same as `zdd
 * compare` prints), per-round failures, the rollouts, notes and the verdict. Pure.
 */
import type { ReportData } from './report-data.js';
import { figuresTable, perRoundTable, rolloutsTable } from './table.js';

export function terminalReport(data: ReportData): string[] {
  const lines = [data.description, figuresTable(data.rows)];
  if ((data.rows[0]?.rounds.length ?? 0) > 1) lines.push(perRoundTable(data.rows));
  if (data.rounds.some((round) => round.rollouts.length > 0)) lines.push(rolloutsTable(data.rounds));
  for (const note of data.notes) lines.push(`note: ${note}`);
  lines.push(data.verdict.message);
  return lines;
}
