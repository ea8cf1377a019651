import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { ErrorKind, Sample } from '../../src/load/sample.js';
import { percentile, summarize } from '../../src/load/summary.js';

/** A sample scheduled every 10 ms, started on time. */
function sample(index: number, latencyMs: number, error?: ErrorKind, target = 'a'): Sample {
  const status = error === 'http_5xx' ? 503 : error === 'http_4xx' ? 404 : error ? 0 : 200;
  return {
    target,
    scheduledMs: index * 10,
    startMs: index * 10,
    epochMs: 1_700_000_000_000 + index * 10,
    latencyMs,
    status,
    ...(error && { error }),
  };
}

const noErrors = { refused: 0, reset: 0, timeout: 0, http_5xx: 0, http_4xx: 0, other: 0 };

describe('summarize', () => {
  test('all successful: latency figures and tps', () => {
    // Latencies 1..100 ms, scheduled 0..990 ms.
    const samples = Array.from({ length: 100 }, (_, index) => sample(index, index + 1));
    const summary = summarize(samples).get('a');
    expect(summary).toEqual({
      requests: 100,
      failed: 0,
      errorRate: 0,
      avgMs: 50.5,
      minMs: 1,
      // k6's method: index p × (n − 1), interpolated: 1 + 0.5 × 99, 1 + 0.9 × 99, 1 + 0.95 × 99 and 1 + 0.99 × 99.
      medianMs: 50.5,
      p90Ms: expect.closeTo(90.1, 9),
      p95Ms: 95.05,
      p99Ms: 99.01,
      maxMs: 100,
      tps: 100 / 0.99,
      byKind: noErrors,
      longestOutageMs: 0,
    });
  });

  test("percentiles are k6's, over every request, failed ones included, in any input order", () => {
    const latencies = [30, 10, 20, 40, 1000];
    const samples = latencies.map((latency, index) => sample(index, latency, index === 4 ? 'timeout' : undefined));
    const summary = summarize(samples.reverse()).get('a');
    // Sorted 10, 20, 30, 40, 1000: index 0.95 × 4 = 3.8 → 40 + 0.8 × 960; 0.99 × 4 = 3.96 → 40 + 0.96 × 960.
    expect(summary?.p95Ms).toBeCloseTo(808, 6);
    expect(summary?.p99Ms).toBeCloseTo(961.6, 6);
    expect(summary).toMatchObject({ maxMs: 1000, avgMs: 220 });
  });

  test('error rate and counts by kind', () => {
    const samples = [
      sample(0, 5),
      sample(1, 5, 'refused'),
      sample(2, 5, 'refused'),
      sample(3, 5, 'http_5xx'),
      sample(4, 5),
      sample(5, 5, 'http_4xx'),
      sample(6, 5),
      sample(7, 5, 'reset'),
    ];
    const summary = summarize(samples).get('a');
    expect(summary).toMatchObject({
      requests: 8,
      failed: 5,
      errorRate: 5 / 8,
      byKind: { ...noErrors, refused: 2, http_5xx: 1, http_4xx: 1, reset: 1 },
    });
  });

  test('longest outage: the longest run of consecutive failures, first start to last end', () => {
    const samples = [
      sample(0, 5),
      sample(1, 3, 'refused'), // run 1: 10 → 13 ms = 3
      sample(2, 5),
      sample(3, 2, 'reset'), // run 2: 30 → 60 + 7 = 67 ms: 37
      sample(4, 50, 'http_5xx'),
      sample(5, 4, 'http_5xx'),
      sample(6, 7, 'refused'),
      sample(7, 5),
      sample(8, 9, 'timeout'), // run 3, to the end: 80 → 90 + 1 = 91 ms: 11
      sample(9, 1, 'timeout'),
    ];
    expect(summarize(samples).get('a')?.longestOutageMs).toBe(37);
    // Schedule order, not input order.
    expect(summarize([...samples].reverse()).get('a')?.longestOutageMs).toBe(37);
  });

  test('a single failure is an outage as long as its latency; a run to the end counts', () => {
    expect(summarize([sample(0, 5), sample(1, 200, 'timeout')]).get('a')?.longestOutageMs).toBe(200);
    expect(summarize([sample(0, 5, 'refused'), sample(1, 1, 'refused')]).get('a')?.longestOutageMs).toBe(11);
  });

  test('one summary per target; one request has no span, so tps is 0', () => {
    const summaries = summarize([sample(0, 5, undefined, 'default'), sample(0, 7, 'refused', 'zero-downtime')]);
    expect([...summaries.keys()]).toEqual(['default', 'zero-downtime']);
    expect(summaries.get('default')).toMatchObject({ requests: 1, failed: 0, tps: 0, p99Ms: 5 });
    expect(summaries.get('zero-downtime')).toMatchObject({ requests: 1, failed: 1, errorRate: 1, longestOutageMs: 7 });
  });

  test('no samples: no summaries', () => {
    expect(summarize([]).size).toBe(0);
  });
});

describe("percentile (k6's method)", () => {
  test.each([
    [[], 95, 0],
    [[7], 50, 7],
    [[1, 2, 3, 4], 50, 2.5],
    [[1, 2, 3, 4], 75, 3.25],
    [[1, 2, 3, 4], 76, 3.28],
    [[1, 2, 3, 4], 100, 4],
    [[1, 2, 3, 4], 0, 1],
  ])('%j p%i → %d', (values, p, expected) => {
    expect(percentile(values, p)).toBeCloseTo(expected, 9);
  });

  test("equals k6's own p(90), p(95), p(99) over the same requests (a real k6 v1.8.1 run)", () => {
    // network-errors.ndjson and network-errors.summary.json were written by one k6 run (test/fixtures/k6/).
    const durations = readFileSync(fixture('network-errors.ndjson'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"metric":"http_req_duration"') && line.includes('"type":"Point"'))
      .map((line) => (JSON.parse(line) as { data: { value: number } }).data.value)
      .sort((a, b) => a - b);
    const summary = JSON.parse(readFileSync(fixture('network-errors.summary.json'), 'utf8')) as {
      metrics: Record<string, { values: Record<string, number> }>;
    };
    const k6 = summary.metrics.http_req_duration?.values ?? {};
    expect(durations.length).toBe(summary.metrics.http_reqs?.values.count);
    for (const p of [90, 95, 99]) expect(percentile(durations, p)).toBeCloseTo(k6[`p(${p})`] ?? Number.NaN, 6);
  });
});

function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/k6/v1.8.1/${name}`, import.meta.url));
}
