import Table from 'cli-table3';
import type { VariantResult } from '../compare/result.js';

const PLAIN = { head: [], border: [] };

/**
 * The comparison table: the seed's columns first (transactions, average
 * response, error rate, TPS), then tail latencies, failures by kind and the
 * longest outage. Pure: returns the text.
 */
export function comparisonTable(results: readonly VariantResult[]): string {
  const table = new Table({
    head: [
      'variant',
      'transactions',
      'avg (ms)',
      'error rate',
      'TPS',
      'p95 (ms)',
      'p99 (ms)',
      'max (ms)',
      'refused',
      'reset',
      'timeout',
      '5xx',
      '4xx',
      'longest outage (ms)',
    ],
    style: PLAIN,
  });
  for (const r of results) {
    table.push([
      r.name,
      r.requests,
      r.avgMs.toFixed(1),
      `${(r.errorRate * 100).toFixed(2)} %`,
      r.tps.toFixed(1),
      r.p95Ms.toFixed(1),
      r.p99Ms.toFixed(1),
      r.maxMs.toFixed(1),
      r.byKind.refused,
      r.byKind.reset,
      r.byKind.timeout,
      r.byKind.http_5xx,
      r.byKind.http_4xx,
      r.longestOutageMs.toFixed(0),
    ]);
  }
  return table.toString();
}

/** Failed requests per round and variant, for `--rounds` > 1. */
export function roundsTable(results: readonly VariantResult[]): string {
  const table = new Table({
    head: ['round', ...results.flatMap((r) => [`${r.name} failed`, `${r.name} longest outage (ms)`])],
    style: PLAIN,
  });
  const rounds = results[0]?.rounds ?? [];
  for (const [index, round] of rounds.entries()) {
    table.push([
      round.round,
      ...results.flatMap((r) => {
        const row = r.rounds[index];
        return [`${row?.failed ?? 0} of ${row?.requests ?? 0}`, (row?.longestOutageMs ?? 0).toFixed(0)];
      }),
    ]);
  }
  return table.toString();
}
