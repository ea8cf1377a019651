import { describe, expect, test } from 'vitest';
import type { RolloutResult } from '../../src/cluster/rollout-result.js';
import { comparePlan } from '../../src/compare-flow/options.js';
import type { ConnectionPattern } from '../../src/load/connections.js';
import type { StreamDelivery } from '../../src/load/load-run.js';
import type { Sample } from '../../src/load/sample.js';
import { comparisonTable, rolloutsTable, roundsTable } from '../../src/report/table.js';
import { MIN_REQUESTS_TO_JUDGE, type Round, summarizeRun, verdict } from '../../src/results-folder/run-result.js';
import { tableRow } from '../helpers/terminal-text.js';

function sample(
  target: string,
  epochMs: number,
  error?: Sample['error'],
  connection: ConnectionPattern = 'reused',
): Sample {
  return {
    target,
    connection,
    scheduledMs: epochMs,
    startMs: epochMs,
    epochMs,
    latencyMs: 5,
    status: error ? 503 : 200,
    error,
  };
}

const variants = [
  { name: 'default-app', role: 'default' as const },
  { name: 'zero-downtime-app', role: 'zero-downtime' as const },
];
const rounds: Round[] = [
  { number: 1, startedAt: 1000, endedAt: 1500, rollouts: [] },
  { number: 2, startedAt: 2000, endedAt: 2500, rollouts: [] },
];

/** Every stream delivered exactly its samples, on time. */
function onTime(samples: readonly Sample[]): StreamDelivery[] {
  const streams = new Map<string, StreamDelivery>();
  for (const s of samples) {
    const key = `${s.target}/${s.connection}`;
    const before = streams.get(key);
    const sent = (before?.sent ?? 0) + 1;
    streams.set(key, {
      target: s.target,
      connection: s.connection ?? 'reused',
      scheduled: sent,
      sent,
      dropped: 0,
      late: 0,
    });
  }
  return [...streams.values()];
}

function summarize(samples: Sample[], connections: ConnectionPattern[] = ['reused'], delivery = onTime(samples)) {
  return summarizeRun({ variants, rounds, samples, connections, load: { delivery } });
}

const healthy = { capped: false, thresholds: [] };
const completed = (workload: string): RolloutResult => ({
  workload,
  revision: `${workload}-2`,
  outcome: 'completed',
  startedAt: 1000,
  endedAt: 1400,
});

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
    const [defaults, zd] = summarize(samples);
    expect(defaults).toMatchObject({ name: 'default-app', role: 'default', requests: 5, failed: 3 });
    expect(defaults?.byKind).toMatchObject({ http_5xx: 2, refused: 1 });
    expect(defaults?.rounds).toEqual([
      { round: 1, requests: 3, failed: 2, longestOutageMs: 25 },
      { round: 2, requests: 2, failed: 1, longestOutageMs: 5 },
    ]);
    expect(zd).toMatchObject({ requests: 3, failed: 0, errorRate: 0 });
  });

  test('the same figures per connection pattern, and the delivery of each', () => {
    const samples = [
      sample('default-app', 100, undefined, 'new'),
      sample('default-app', 110, 'refused', 'new'),
      sample('default-app', 120, 'reset', 'reused'),
      sample('default-app', 130, undefined, 'reused'),
      sample('zero-downtime-app', 100, undefined, 'new'),
      sample('zero-downtime-app', 110, undefined, 'reused'),
    ];
    const delivery = onTime(samples).map((stream) =>
      stream.target === 'default-app' && stream.connection === 'new' ? { ...stream, scheduled: 4, dropped: 2 } : stream,
    );
    const [defaults] = summarize(samples, ['new', 'reused'], delivery);
    expect(
      defaults?.byConnection.map((p) => [p.connection, p.requests, p.failed, p.byKind.refused, p.byKind.reset]),
    ).toEqual([
      ['new', 2, 1, 1, 0],
      ['reused', 2, 1, 0, 1],
    ]);
    expect(defaults?.delivery).toEqual({ scheduled: 6, dropped: 2, late: 0, shortfall: 2 / 6 });
    expect(defaults?.byConnection[0]?.delivery).toEqual({ scheduled: 4, dropped: 2, late: 0, shortfall: 0.5 });
  });
});

describe('verdict', () => {
  const results = (defaultFailed: number, zdFailed: number, zdFailedNew = 0) => {
    const samples = [
      ...Array.from({ length: 100 }, (_, i) =>
        sample('default-app', i, i < defaultFailed ? 'http_5xx' : undefined, 'new'),
      ),
      ...Array.from({ length: 100 }, (_, i) => sample('default-app', i, undefined, 'reused')),
      ...Array.from({ length: 100 }, (_, i) =>
        sample('zero-downtime-app', i, i < zdFailedNew ? 'refused' : undefined, 'new'),
      ),
      ...Array.from({ length: 100 }, (_, i) =>
        sample('zero-downtime-app', i, i < zdFailed ? 'reset' : undefined, 'reused'),
      ),
    ];
    return summarize(samples, ['new', 'reused']);
  };
  const run = (
    extra: Partial<{
      rounds: Round[];
      capped: boolean;
      thresholds: { metric: string; source: string; ok: boolean }[];
    }> = {},
  ) => ({
    rounds: extra.rounds ?? [
      { number: 1, startedAt: 0, endedAt: 1, rollouts: [completed('default-app'), completed('zero-downtime-app')] },
    ],
    load: { ...healthy, ...extra },
  });

  test('0 PASS: every round rolled out, the load was delivered, both connection patterns are clean', () => {
    expect(verdict(results(20, 0), run(), 0)).toEqual({
      outcome: 'pass',
      exitCode: 0,
      passed: true,
      reproduced: true,
      reasons: [],
      message:
        'PASS: zero-downtime-app failed 0 of 200 requests (0.00 %, budget 0.00 % per connection pattern): new connections 0 of 100, reused connections 0 of 100.',
    });
  });

  test('1 FAIL: one connection pattern over the budget is enough, even when the total is within it', () => {
    expect(verdict(results(20, 2), run(), 0.01)).toMatchObject({
      outcome: 'fail',
      exitCode: 1,
      message:
        'FAIL: zero-downtime-app failed 2 of 200 requests (1.00 %, budget 1.00 % per connection pattern): new connections 0 of 100, reused connections 2 of 100.',
    });
    expect(verdict(results(20, 1), run(), 0.01).exitCode).toBe(0);
    expect(verdict(results(20, 0, 2), run(), 0.01).outcome).toBe('fail');
  });

  test('3 INCONCLUSIVE: a rollout that failed, whatever the requests did', () => {
    const failed: RolloutResult = {
      ...completed('zero-downtime-app'),
      outcome: 'failed',
      reason: 'not complete after timeoutSeconds (600000 ms)',
    };
    const judgement = verdict(
      results(20, 0),
      run({ rounds: [{ number: 1, startedAt: 0, endedAt: 1, rollouts: [completed('default-app'), failed] }] }),
      0,
    );
    expect(judgement).toMatchObject({ outcome: 'inconclusive', exitCode: 3, passed: false });
    expect(judgement.reasons).toEqual([
      'round 1: the rollout of zero-downtime-app to zero-downtime-app-2 failed (not complete after timeoutSeconds (600000 ms))',
    ]);
    expect(judgement.message).toMatch(/^INCONCLUSIVE: round 1: the rollout of zero-downtime-app/);
    // Dropped requests do not turn it into a FAIL: the failed rollout may be their cause.
    expect(
      verdict(results(20, 5), run({ rounds: [{ number: 1, startedAt: 0, endedAt: 1, rollouts: [failed] }] }), 0)
        .exitCode,
    ).toBe(3);
  });

  test('3 INCONCLUSIVE: more than 1 % of a variant’s requests dropped or late', () => {
    const samples = Array.from({ length: 200 }, (_, i) =>
      sample(i % 2 ? 'zero-downtime-app' : 'default-app', i, undefined),
    );
    const delivery = onTime(samples).map((stream) =>
      stream.target === 'zero-downtime-app' ? { ...stream, scheduled: 103, dropped: 2, late: 1 } : stream,
    );
    const judgement = verdict(summarize(samples, ['reused'], delivery), run(), 0);
    expect(judgement.exitCode).toBe(3);
    expect(judgement.reasons).toEqual([
      'zero-downtime-app: 3 of 103 requests were not sent on time (2 dropped, 1 started late; more than 1.00 %): the load generator could not keep up; lower --rate',
    ]);
    const within = onTime(samples).map((stream) =>
      stream.target === 'zero-downtime-app' ? { ...stream, scheduled: 101, late: 1 } : stream,
    );
    expect(verdict(summarize(samples, ['reused'], within), run(), 0).exitCode).toBe(0);
  });

  test('3 INCONCLUSIVE: the load reached its cap; k6 and zdd disagree; a pattern got no request', () => {
    expect(verdict(results(20, 0), run({ capped: true }), 0).reasons[0]).toMatch(/request cap/);
    const crossed = [
      { metric: 'http_req_failed{variant:zero-downtime-app,connection:new}', source: 'rate<=0', ok: false },
    ];
    expect(verdict(results(20, 0), run({ thresholds: crossed }), 0).reasons[0]).toMatch(/the two disagree/);
    // When zdd counts the failures too, k6's crossed threshold agrees with the FAIL.
    expect(verdict(results(20, 0, 3), run({ thresholds: crossed }), 0).outcome).toBe('fail');
    const onlyReused = Array.from({ length: 10 }, (_, i) => sample(i % 2 ? 'zero-downtime-app' : 'default-app', i));
    expect(verdict(summarize(onlyReused, ['new', 'reused']), run(), 0).reasons).toContain(
      'zero-downtime-app (new connections): no request was sent',
    );
  });

  test('a warning when the default variant dropped nothing either', () => {
    const judgement = verdict(results(0, 0), run(), 0);
    expect(judgement).toMatchObject({ exitCode: 0, reproduced: false });
    expect(judgement.message).toContain(
      'WARNING: this run did not reproduce the problem: default-app dropped no request either',
    );
  });

  test('reproduced means the default variant broke the budget, not merely dropped something', () => {
    // 20 % of the default variant's new connections failed, within a 50 % budget: no contrast.
    const judgement = verdict(results(20, 0), run(), 0.5);
    expect(judgement).toMatchObject({ outcome: 'pass', reproduced: false });
    expect(judgement.message).toContain(
      'default-app stayed within the budget too (20 of 200 failed, 10.00 %; budget 50.00 % per connection pattern)',
    );
    expect(verdict(results(20, 0), run(), 0.19).reproduced).toBe(true);
  });

  test('--require-reproduced: a PASS without the contrast is INCONCLUSIVE; a FAIL stays a FAIL', () => {
    const judgement = verdict(results(20, 0), run(), 0.5, { requireReproduced: true });
    expect(judgement).toMatchObject({ outcome: 'inconclusive', exitCode: 3, reproduced: false });
    expect(judgement.reasons).toEqual([
      'the run did not reproduce the problem (--require-reproduced): default-app stayed within the budget too (20 of 200 failed, 10.00 %; budget 50.00 % per connection pattern), so it did no worse than the zero-downtime variant may',
    ]);
    expect(verdict(results(20, 0), run(), 0, { requireReproduced: true }).outcome).toBe('pass');
    expect(verdict(results(0, 3), run(), 0, { requireReproduced: true }).outcome).toBe('fail');
  });

  test(`fewer than ${MIN_REQUESTS_TO_JUDGE} requests on a connection pattern: INCONCLUSIVE, not PASS; a FAIL stays`, () => {
    const few = [
      ...Array.from({ length: 200 }, (_, i) => sample('default-app', i, i < 50 ? 'http_5xx' : undefined)),
      ...Array.from({ length: 99 }, (_, i) => sample('zero-downtime-app', i)),
    ];
    const judgement = verdict(summarize(few), run(), 0);
    expect(judgement).toMatchObject({ outcome: 'inconclusive', exitCode: 3 });
    expect(judgement.reasons).toEqual([
      'zero-downtime-app (reused connections): 99 requests, too few to judge (at least 100 per connection pattern; raise --rate, --warmup or --cooldown)',
    ]);
    const failing = [...few.slice(0, 200), sample('zero-downtime-app', 1, 'refused')];
    expect(verdict(summarize(failing), run(), 0).outcome).toBe('fail');
  });
});

describe('the tables', () => {
  test("the deciding columns, a row per pattern; --wide: the seed's columns first, then tails, kinds, the longest outage and the load's delivery", () => {
    const samples = [
      sample('default-app', 1100, 'http_5xx', 'new'),
      sample('default-app', 1200, undefined, 'reused'),
      sample('zero-downtime-app', 1100, undefined, 'new'),
      sample('zero-downtime-app', 1100, undefined, 'reused'),
    ];
    const results = summarize(samples, ['new', 'reused']);
    const text = comparisonTable(results, { maxErrorRate: 0, width: 120 });
    expect(
      comparisonTable(results, { maxErrorRate: 0 })
        .split('\n')
        .every((line) => [...line].length <= 80),
    ).toBe(true);
    expect(tableRow(text, 'variant')).toEqual([
      'requests',
      'failed',
      'error rate',
      'longest outage (ms)',
      'p95 (ms)',
      'budget',
    ]);
    expect(tableRow(text, 'default-app')).toEqual(['2', '1', '50.00 %', '5', '5.0', '✗ over']);
    expect(tableRow(text, 'new connections')).toEqual(['1', '1', '100.00 %', '5', '5.0', '✗ over']);
    expect(tableRow(text, 'reused connections')).toEqual(['1', '0', '0.00 %', '0', '5.0', '✓ ok']);
    expect(text).not.toMatch(/\n[─ ]+\n.*\n[─ ]+\n/);
    const wide = comparisonTable(results, { wide: true });
    expect(tableRow(wide, 'variant')).toEqual([
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
    ]);
    expect(tableRow(wide, 'default-app')?.slice(0, 3)).toEqual(['2', '5.0', '50.00 %']);
    expect(tableRow(roundsTable(results), '1')).toEqual(['default-app', '1 of 2', '5']);
  });

  test('the rollouts: outcome, duration and the reason of a failure', () => {
    const text = rolloutsTable([
      {
        number: 1,
        startedAt: 0,
        endedAt: 1,
        rollouts: [
          completed('default-app'),
          { ...completed('zero-downtime-app'), outcome: 'failed', reason: 'timed out' },
        ],
      },
    ]);
    expect(text).toMatch(/^1 {2,}default-app → default-app-2 {2,}completed {2,}0\.4$/m);
    expect(text).toMatch(/^1 {2,}zero-downtime-app → zero-downtime-app-2 {2,}failed {2,}0\.4 {2,}timed out$/m);
  });

  test('a long reason wraps at spaces within the width', () => {
    const reason = 'progress deadline exceeded: the new pods never became ready within the timeout of 600 s';
    const text = rolloutsTable(
      [
        {
          number: 1,
          startedAt: 0,
          endedAt: 1,
          rollouts: [{ ...completed('zero-downtime-app'), outcome: 'failed', reason }],
        },
      ],
      { width: 80 },
    );
    expect(text.split('\n').every((line) => [...line].length <= 80)).toBe(true);
    // Every word whole, none cut with "…".
    const words = new Set(text.split(/\s+/));
    for (const word of [...reason.split(' '), 'zero-downtime-app-2']) expect(words).toContain(word);
  });
});

describe('comparePlan rejects', () => {
  test.each([
    [
      { target: 'openshift' },
      '--target: unknown target "openshift"; available: local (real processes on 127.0.0.1), cluster',
    ],
    [{ rate: 0 }, '--rate: expected a number > 0, got 0'],
    [{ rate: 0.5 }, '--rate: expected a number ≥ 1 with at most 2 decimals, got 0.5'],
    [{ rate: 2000 }, '--rate: at most 1000 requests per second per variant, got 2000'],
    [{ rounds: 101 }, '--rounds: expected at most 100, got 101'],
    [{ timeScale: 1e-9 }, '--time-scale: expected a number from 0.01 to 100, got 1e-9'],
    [{ rounds: 1.5 }, '--rounds: expected an integer ≥ 1, got 1.5'],
    [{ maxErrorRate: 120 }, '--max-error-rate: expected a percentage from 0 to 100, got 120'],
    [{ warmup: -1 }, '--warmup: expected a number ≥ 0, got -1'],
  ])('%j', (input, message) => {
    expect(() => comparePlan(input)).toThrowError(message);
  });
});

describe('the floor of a compare run', () => {
  test('first pods ready + warm-up + each round’s slower rollout + cool-down, from the manifests', async () => {
    const { compareFloorSeconds } = await import('../../src/compare-flow/floor.js');
    const { synthObjects } = await import('../helpers/local.js');
    // Default preset: the zero-downtime pods serve after 8 s (2 s boot + 6 s warm-up), probed every 2 s: ready at 8 s.
    // Its rollout: 2 steps of (8 s + updatePeriod 1 s + interval 1 s), then the last old pod's 10 s preStop sleep.
    expect(compareFloorSeconds(synthObjects({}), { warmupSeconds: 10, cooldownSeconds: 10, rounds: 2 })).toBe(
      8 + 10 + 2 * 30 + 10,
    );
  });
});
