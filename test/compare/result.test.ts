import { describe, expect, test } from 'vitest';
import { comparePlan } from '../../src/compare/options.js';
import { summarizeRun, verdict } from '../../src/compare/result.js';
import type { Sample } from '../../src/load/sample.js';
import { comparisonTable, roundsTable } from '../../src/report/table.js';

function sample(target: string, epochMs: number, error?: Sample['error']): Sample {
  return { target, scheduledMs: epochMs, startMs: epochMs, epochMs, latencyMs: 5, status: error ? 503 : 200, error };
}

const variants = [
  { name: 'default-app', role: 'default' as const },
  { name: 'zero-downtime-app', role: 'zero-downtime' as const },
];
const rounds = [
  { number: 1, startedAt: 1000, endedAt: 1500, rollouts: [] },
  { number: 2, startedAt: 2000, endedAt: 2500, rollouts: [] },
];

describe('summarizeRun', () => {
  test('per-variant totals, and per round the requests from its trigger to the next', () => {
    const samples = [
      sample('default-app', 500),
      sample('default-app', 1100, 'http_5xx'),
      sample('default-app', 1120, 'http_5xx'),
      sample('default-app', 2100, 'refused'),
      sample('default-app', 2200),
      sample('zero-downtime-app', 500),
      sample('zero-downtime-app', 1100),
      sample('zero-downtime-app', 2100),
    ];
    const [defaults, zd] = summarizeRun({ variants, rounds, samples });
    expect(defaults).toMatchObject({ name: 'default-app', role: 'default', requests: 5, failed: 3 });
    expect(defaults?.byKind).toMatchObject({ http_5xx: 2, refused: 1 });
    expect(defaults?.rounds).toEqual([
      { round: 1, requests: 3, failed: 2, longestOutageMs: 25 },
      { round: 2, requests: 2, failed: 1, longestOutageMs: 5 },
    ]);
    expect(zd).toMatchObject({ requests: 3, failed: 0, errorRate: 0 });
  });
});

describe('summarizeRun with k6', () => {
  test("k6's own summary gives the totals; the samples give kinds, outage and rounds", () => {
    const aggregates = new Map([
      ['default-app', { requests: 10, failed: 2, avgMs: 7, p95Ms: 9, maxMs: 30, tps: 49.5 }],
    ]);
    const [defaults] = summarizeRun({
      variants,
      rounds,
      samples: [sample('default-app', 1100, 'http_5xx'), sample('default-app', 1200, 'reset')],
      aggregates,
    });
    expect(defaults).toMatchObject({
      requests: 10,
      failed: 2,
      errorRate: 0.2,
      avgMs: 7,
      p95Ms: 9,
      p99Ms: 5,
      maxMs: 30,
      tps: 49.5,
    });
    expect(defaults?.byKind).toMatchObject({ http_5xx: 1, reset: 1 });
  });
});

describe('verdict', () => {
  const results = (defaultFailed: number, zdFailed: number) =>
    summarizeRun({
      variants,
      rounds: rounds.slice(0, 1),
      samples: [
        ...Array.from({ length: 100 }, (_, i) => sample('default-app', i, i < defaultFailed ? 'http_5xx' : undefined)),
        ...Array.from({ length: 100 }, (_, i) => sample('zero-downtime-app', i, i < zdFailed ? 'reset' : undefined)),
      ],
    });

  test('0: the zero-downtime variant dropped nothing', () => {
    expect(verdict(results(20, 0), 0)).toEqual({
      exitCode: 0,
      passed: true,
      reproduced: true,
      message: 'PASS: zero-downtime-app failed 0 of 100 requests (0.00 %, budget 0.00 %).',
    });
  });

  test('1: it dropped more than --max-error-rate allows', () => {
    expect(verdict(results(20, 2), 0.01)).toMatchObject({
      exitCode: 1,
      message: 'FAIL: zero-downtime-app failed 2 of 100 requests (2.00 %, budget 1.00 %).',
    });
    expect(verdict(results(20, 1), 0.01).exitCode).toBe(0);
  });

  test('a warning when the default variant dropped nothing either', () => {
    const judgement = verdict(results(0, 0), 0);
    expect(judgement).toMatchObject({ exitCode: 0, reproduced: false });
    expect(judgement.message).toContain(
      'WARNING: default-app dropped no request either, so this run did not reproduce the problem',
    );
  });
});

describe('the table', () => {
  test("the seed's columns first, then tails, kinds and the longest outage", () => {
    const [defaults, zd] = summarizeRun({
      variants,
      rounds,
      samples: [
        sample('default-app', 1100, 'http_5xx'),
        sample('default-app', 1200),
        sample('zero-downtime-app', 1100),
      ],
    });
    const text = comparisonTable([defaults, zd].filter((r) => r !== undefined));
    const header = text.split('\n')[1] ?? '';
    expect(
      header
        .split('│')
        .map((cell) => cell.trim())
        .filter(Boolean),
    ).toEqual([
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
    ]);
    expect(text).toMatch(/│ default-app\s+│ 2\s+│ 5\.0\s+│ 50\.00 %/);
    expect(roundsTable([defaults, zd].filter((r) => r !== undefined))).toMatch(/│ 1\s+│ 1 of 2\s+│/);
  });
});

describe('comparePlan rejects', () => {
  test.each([
    [{ target: 'openshift' }, '--target: unknown target "openshift"; available: local'],
    [{ rate: 0 }, '--rate: expected a number > 0, got 0'],
    [{ rate: Number.NaN }, '--rate: expected a number > 0, got NaN'],
    [{ rounds: 1.5 }, '--rounds: expected an integer ≥ 1, got 1.5'],
    [{ maxErrorRate: 120 }, '--max-error-rate: expected a percentage from 0 to 100, got 120'],
    [{ warmup: -1 }, '--warmup: expected a number ≥ 0, got -1'],
  ])('%j', (input, message) => {
    expect(() => comparePlan(input)).toThrowError(message);
  });
});

describe('the floor of a compare run', () => {
  test('first pods ready + warm-up + each round’s slower rollout + cool-down, from the manifests', async () => {
    const { compareFloorSeconds } = await import('../../src/compare/floor.js');
    const { synthObjects } = await import('../helpers/local.js');
    // Default preset: the zero-downtime pods serve after 8 s (2 s boot + 6 s warm-up), probed every 2 s: ready at 8 s.
    // Its rollout: 2 steps of (8 s + updatePeriod 1 s + interval 1 s), then the last old pod's 10 s preStop sleep.
    expect(compareFloorSeconds(synthObjects({}), { warmupSeconds: 10, cooldownSeconds: 10, rounds: 2 })).toBe(
      8 + 10 + 2 * 30 + 10,
    );
  });
});
