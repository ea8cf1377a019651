import Table from 'cli-table3';
import type { Round, VariantResult } from '../compare/result.js';
import type { TargetSummary } from '../load/summary.js';

const PLAIN = { head: [], border: [] };

/**
 * The comparison table: the seed's columns first (transactions, average
 * response, error rate, TPS), then tail latencies, failures by kind, the
 * longest outage and the requests the generator did not send on time. One
 * row per variant, and one per connection pattern when the load used both.
 * Pure: returns the text.
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
      'not sent on time',
    ],
    style: PLAIN,
  });
  for (const result of results) {
    table.push(row(result.name, result, result.delivery));
    if (result.byConnection.length < 2) continue;
    for (const pattern of result.byConnection) {
      table.push(row(`  ${pattern.connection} connections`, pattern, pattern.delivery));
    }
  }
  return table.toString();
}

function row(label: string, r: TargetSummary, delivery: VariantResult['delivery']): (string | number)[] {
  const missed = delivery.dropped + delivery.late;
  return [
    label,
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
    missed === 0 ? '0' : `${missed} (${(delivery.shortfall * 100).toFixed(2)} %)`,
  ];
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

/** Every rollout of every round: how it ended, how long it took, and why it failed. */
export function rolloutsTable(rounds: readonly Round[]): string {
  const table = new Table({ head: ['round', 'rollout', 'outcome', 'took (s)', 'reason'], style: PLAIN });
  for (const round of rounds) {
    for (const rollout of round.rollouts) {
      table.push([
        round.number,
        `${rollout.workload} → ${rollout.revision}`,
        rollout.outcome,
        ((rollout.endedAt - rollout.startedAt) / 1000).toFixed(1),
        rollout.reason ?? '',
      ]);
    }
  }
  return table.toString();
}
