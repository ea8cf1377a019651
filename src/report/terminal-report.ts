/**
 * `zdd report`'s terminal output: the comparison table (the same as `zdd
 * compare` prints), per-round failures, the rollouts, notes and the verdict. Pure.
 */
import Table from 'cli-table3';
import { FIGURE_COLUMNS, tableLines } from './columns.js';
import type { ReportData } from './report-data.js';
import { rolloutsTable } from './table.js';

const PLAIN = { head: [], border: [] };

export function terminalReport(data: ReportData): string[] {
  const table = new Table({ head: ['variant', ...FIGURE_COLUMNS.map((column) => column.title)], style: PLAIN });
  for (const line of tableLines(data.rows)) table.push(line);
  const lines = [data.description, table.toString()];
  const rounds = data.rows[0]?.rounds ?? [];
  if (rounds.length > 1) {
    const perRound = new Table({
      head: ['round', ...data.rows.flatMap((row) => [`${row.name} failed`, `${row.name} longest outage (ms)`])],
      style: PLAIN,
    });
    for (const [index, round] of rounds.entries()) {
      perRound.push([
        round.round,
        ...data.rows.flatMap((row) => {
          const figures = row.rounds[index];
          return [`${figures?.failed ?? 0} of ${figures?.requests ?? 0}`, (figures?.longestOutageMs ?? 0).toFixed(0)];
        }),
      ]);
    }
    lines.push(perRound.toString());
  }
  if (data.rounds.some((round) => round.rollouts.length > 0)) lines.push(rolloutsTable(data.rounds));
  for (const note of data.notes) lines.push(`note: ${note}`);
  lines.push(data.verdict.message);
  return lines;
}
