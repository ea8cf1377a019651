import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { K6SummaryError } from '../../../src/load/k6/errors.js';
import { type K6Summary, parseK6Summary, thresholdsCrossed } from '../../../src/load/k6/summary.js';
import { thrown } from '../../helpers/wait.js';

const fixtures = fileURLToPath(new URL('../../fixtures/k6/', import.meta.url));

function parseFixture(file: string, variants?: readonly string[]): K6Summary {
  return parseK6Summary(readFileSync(`${fixtures}${file}`, 'utf8'), file, variants ? { variants } : {});
}

/** Five targets, 6 requests each (4/s for 1.4 s); ok and http-503 gated. */
const NETWORK_ERRORS = ['hang', 'http-503', 'ok', 'refused', 'reset'];

describe('parseK6Summary on real k6 v1.8.1 files', () => {
  test('handleSummary() data (values shape): every variant, gated or not', () => {
    const summary = parseFixture('v1.8.1/network-errors.summary.json', NETWORK_ERRORS);
    expect(summary.shape).toBe('values');
    expect([...summary.variants.keys()]).toEqual(NETWORK_ERRORS);
    for (const figures of summary.variants.values()) {
      expect(figures.requests).toBe(6);
      expect(figures.droppedIterations).toBe(0);
      expect(figures.rps).toBeCloseTo(6 / 1.552, 2);
      expect(figures.minMs).toBeLessThanOrEqual(figures.p90Ms ?? Number.NaN);
      expect(figures.p90Ms).toBeLessThanOrEqual(figures.p95Ms ?? Number.NaN);
      expect(figures.p95Ms).toBeLessThanOrEqual(figures.p99Ms ?? Number.NaN);
      expect(figures.p99Ms).toBeLessThanOrEqual(figures.maxMs);
    }
    expect(summary.variants.get('ok')).toMatchObject({ failed: 0, errorRate: 0 });
    for (const failing of ['hang', 'http-503', 'refused', 'reset']) {
      expect(summary.variants.get(failing)).toMatchObject({ failed: 6, errorRate: 1 });
    }
    // The 300 ms timeout; a refused connection never starts sending (k6 records 0).
    expect(summary.variants.get('hang')?.minMs).toBeGreaterThanOrEqual(290);
    expect(summary.variants.get('refused')).toMatchObject({ minMs: 0, maxMs: 0 });
    expect(summary.total).toMatchObject({ requests: 30, failed: 24 });
    expect(summary.testRunDurationMs).toBeCloseTo(1552.0, 1);
    expect(summary.hasThresholds).toBe(true);
    expect(summary.checks).toEqual([{ name: 'status is 2xx or 3xx', passes: 6, fails: 24 }]);
    // Every figure is there: nothing to warn about.
    expect(summary.warnings).toEqual([]);
    expect(summary.unattributedRequests).toBe(0);
  });

  test('thresholds: the gated 503 variant crossed rate<=0, the no-op ones hold', () => {
    const summary = parseFixture('v1.8.1/network-errors.summary.json');
    expect(summary.thresholds.filter((threshold) => !threshold.ok)).toEqual([
      { metric: 'http_req_failed{variant:http-503}', source: 'rate<=0', ok: false },
    ]);
    expect(summary.thresholds).toContainEqual({ metric: 'http_req_failed{variant:ok}', source: 'rate<=0', ok: true });
    expect(summary.thresholds).toContainEqual({ metric: 'http_req_failed{variant:hang}', source: 'rate>=0', ok: true });
    expect(summary.thresholds).toHaveLength(NETWORK_ERRORS.length * 4);
    expect(thresholdsCrossed(summary)).toBe(true);
  });

  test('--summary-export of the same run (flat shape) gives the same figures', () => {
    const values = parseFixture('v1.8.1/network-errors.summary.json');
    const flat = parseFixture('v1.8.1/network-errors.summary-export.json', NETWORK_ERRORS);
    expect(flat.shape).toBe('flat');
    expect(flat.variants).toEqual(values.variants);
    expect(flat.thresholds).toEqual(values.thresholds);
    expect(flat.checks).toEqual(values.checks);
    expect(flat.testRunDurationMs).toBeUndefined();
  });

  test('K6_NEW_MACHINE_READABLE_SUMMARY=true: sub-metrics are there, threshold results are not', () => {
    const summary = parseFixture('v1.8.1/machine-readable.summary.json', ['ok', 'http-503']);
    expect(summary).toMatchObject({
      shape: 'machine-readable',
      k6Version: '1.8.1',
      hasThresholds: false,
      thresholds: [],
    });
    expect(summary.testRunDurationMs).toBeCloseTo(1401.5, 1);
    expect(summary.variants.get('ok')).toMatchObject({ requests: 6, failed: 0, errorRate: 0 });
    expect(summary.variants.get('http-503')).toMatchObject({ requests: 6, failed: 6, errorRate: 1 });
    // Counters have no rate here: requests / duration.
    expect(summary.variants.get('ok')?.rps).toBeCloseTo(6 / 1.4015, 3);
    // Trend values: p90 (named `p90`) and p95 only.
    expect(summary.variants.get('ok')?.p99Ms).toBeUndefined();
    expect(summary.variants.get('ok')?.p90Ms).toBeCloseTo(2.0768, 4);
    expect(summary.variants.get('ok')?.droppedIterations).toBe(0);
    expect(summary.checks).toEqual([{ name: 'status is 2xx or 3xx', passes: 6, fails: 6 }]);
    expect(summary.total).toMatchObject({ requests: 12, failed: 6, droppedIterations: 0 });
  });
});

describe('parseK6Summary on hand-made files of other versions', () => {
  test('k6 v0.46 handleSummary() data: default trend columns (no p(99))', () => {
    const summary = parseFixture('handmade/v0.46-values.summary.json', ['default', 'zero-downtime']);
    expect(summary.shape).toBe('values');
    expect(summary.variants.get('default')).toEqual({
      requests: 600,
      failed: 5,
      errorRate: 5 / 600,
      avgMs: 2.9,
      minMs: 0.5,
      medianMs: 2,
      maxMs: 120.2,
      p90Ms: 3.5,
      p95Ms: 4.8,
      rps: 9.9979,
    });
    expect(summary.variants.get('zero-downtime')).toMatchObject({ requests: 600, failed: 0, errorRate: 0 });
    expect(thresholdsCrossed(summary)).toBe(false);
    expect(summary.checks).toEqual([{ name: 'status is 2xx or 3xx', passes: 1195, fails: 5 }]);
  });

  test('k6 v0.4x --summary-export (flat): `true` marks a crossed threshold, a rate is `value`', () => {
    const summary = parseFixture('handmade/v0.4x-flat.summary-export.json');
    expect(summary.shape).toBe('flat');
    expect(summary.variants.get('zero-downtime')).toMatchObject({
      requests: 600,
      failed: 3,
      errorRate: 0.005,
      droppedIterations: 2,
    });
    expect(summary.variants.get('default')?.droppedIterations).toBeUndefined();
    expect(summary.thresholds.filter((threshold) => !threshold.ok)).toEqual([
      { metric: 'http_req_failed{variant:zero-downtime}', source: 'rate<=0', ok: false },
    ]);
    expect(summary.checks).toEqual([{ name: 'status is 2xx or 3xx', passes: 1190, fails: 10 }]);
  });

  test('v1.5 machine-readable summary with the schema’s JSON keys (k6Version, p(90))', () => {
    const summary = parseFixture('handmade/v1.5-machine-readable.summary.json', ['default', 'zero-downtime']);
    expect(summary).toMatchObject({ shape: 'machine-readable', k6Version: '1.5.0', testRunDurationMs: 30_000 });
    expect(summary.variants.get('default')).toEqual({
      requests: 300,
      failed: 4,
      errorRate: 4 / 300,
      avgMs: 2.4,
      minMs: 0.3,
      medianMs: 1.6,
      maxMs: 50.1,
      p90Ms: 3.5,
      p95Ms: 4.6,
      rps: 10,
    });
    expect(summary.checks).toEqual([{ name: 'status is 2xx or 3xx', passes: 596, fails: 4 }]);
  });
});

describe('parseK6Summary: unusable files', () => {
  test.each<[string, string, string]>([
    ['not JSON', '{"metrics": ', 'x.json: not JSON ('],
    ['not an object', '[1, 2]', 'x.json: not a JSON object'],
    [
      'unknown shape',
      '{"data": {}}',
      'x.json: neither a `metrics` object (k6 summary data) nor `version` and `results.metrics`',
    ],
    [
      'a metric without values among ones with values',
      '{"metrics": {"http_reqs": {"values": {"count": 1}}, "vus": {"type": "gauge"}}}',
      'x.json: metric `vus` has no `values` object',
    ],
    [
      'duration sub-metric missing',
      '{"metrics": {"http_reqs{variant:a}": {"values": {"count": 1}}, "http_req_failed{variant:a}": {"values": {"passes": 0, "fails": 1}}}}',
      'x.json: no `http_req_duration{variant:a}` metric',
    ],
    [
      'a required trend column missing (summaryTrendStats without avg)',
      '{"metrics": {"http_reqs{variant:a}": {"values": {"count": 1}}, "http_req_duration{variant:a}": {"values": {"min": 1, "max": 1, "p(99)": 1, "count": 1}}}}',
      'x.json: no `avg` in metric `http_req_duration{variant:a}` (it has min, max, p(99); zdd needs avg and max: add them to summaryTrendStats)',
    ],
    [
      'machine-readable metric without values',
      '{"version": "1.0.0", "results": {"metrics": [{"name": "http_reqs"}]}}',
      'x.json: results.metrics[0] has no `name` and `values`',
    ],
  ])('%s → K6SummaryError', (_title, text, message) => {
    const error = thrown(() => parseK6Summary(text, 'x.json'));
    expect(error).toBeInstanceOf(K6SummaryError);
    expect((error as K6SummaryError).file).toBe('x.json');
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  test('an expected variant without figures', () => {
    const error = thrown(() => parseFixture('handmade/v0.46-values.summary.json', ['default', 'blue']));
    expect(error).toBeInstanceOf(K6SummaryError);
    expect((error as Error).message).toBe(
      'handmade/v0.46-values.summary.json: no `http_reqs{variant:blue}` / `http_req_failed{variant:blue}` metric',
    );
  });
});

describe('parseK6Summary reads what is there, and says what is not (real k6 v1.8.1 files)', () => {
  test.each(['v1.8.1/trend-avg-min-max.summary.json', 'v1.8.1/trend-avg-min-max.summary-export.json'])(
    '--summary-trend-stats avg,min,max: %s is read; med, p(90), p(95), p(99) are absent, not 0',
    (file) => {
      const summary = parseFixture(file, ['ok', 'http-503']);
      for (const variant of ['ok', 'http-503']) {
        const figures = summary.variants.get(variant);
        expect(figures).toMatchObject({ requests: 6, droppedIterations: 0 });
        expect(figures?.avgMs).toBeGreaterThan(0);
        expect(figures?.minMs).toBeLessThanOrEqual(figures?.avgMs ?? Number.NaN);
        expect(figures?.maxMs).toBeGreaterThanOrEqual(figures?.avgMs ?? Number.NaN);
        expect(figures?.medianMs).toBeUndefined();
        expect(figures?.p90Ms).toBeUndefined();
        expect(figures?.p95Ms).toBeUndefined();
        expect(figures?.p99Ms).toBeUndefined();
      }
      expect(summary.variants.get('ok')).toMatchObject({ failed: 0, errorRate: 0 });
      expect(summary.variants.get('http-503')).toMatchObject({ failed: 6, errorRate: 1 });
      expect(summary.total).toMatchObject({ requests: 12, failed: 6 });
      expect(thresholdsCrossed(summary)).toBe(true);
      expect(summary.warnings).toEqual([
        "k6's trend columns (summaryTrendStats) leave out med, p(90), p(95): those http_req_duration figures are left empty",
      ]);
    },
  );

  test('both shapes of the run without percentiles give the same figures', () => {
    const values = parseFixture('v1.8.1/trend-avg-min-max.summary.json');
    const flat = parseFixture('v1.8.1/trend-avg-min-max.summary-export.json');
    expect(flat.variants).toEqual(values.variants);
    expect(flat.total).toEqual(values.total);
  });

  test.each(['v1.8.1/no-http-req-failed.summary.json', 'v1.8.1/no-http-req-failed.summary-export.json'])(
    'without http_req_failed (as before k6 v0.31), %s: failures unknown, never 0',
    (file) => {
      const summary = parseFixture(file, ['ok', 'http-503', 'refused']);
      for (const figures of [...summary.variants.values(), summary.total]) {
        expect(figures?.requests).toBeGreaterThan(0);
        expect(figures?.failed).toBeUndefined();
        expect(figures?.errorRate).toBeUndefined();
      }
      expect(summary.variants.get('refused')).toMatchObject({ requests: 3, avgMs: 0, maxMs: 0 });
      expect(summary.total?.requests).toBe(9);
      expect(summary.warnings).toEqual([
        'no `http_req_failed{variant:http-503}`, `http_req_failed{variant:ok}`, `http_req_failed{variant:refused}` and ' +
          '`http_req_failed` metrics (k6 before v0.31 had no http_req_failed; http.setResponseCallback(null) turns ' +
          'it off): failed requests unknown, not 0',
      ]);
    },
  );

  test('requests of setup() and teardown() are in the total only, and counted apart', () => {
    const summary = parseFixture('v1.8.1/setup-teardown.summary-export.json');
    expect([...summary.variants.keys()]).toEqual(['flaky', 'ok']);
    expect(summary.variants.get('flaky')).toMatchObject({ requests: 4, failed: 2 });
    expect(summary.variants.get('ok')).toMatchObject({ requests: 4, failed: 0 });
    // 2 in setup() (one 503), 1 in teardown().
    expect(summary.total).toMatchObject({ requests: 11, failed: 3 });
    expect(summary.unattributedRequests).toBe(3);
    expect(summary.warnings).toEqual([
      '3 of 11 requests are in no variant (setup(), teardown(), or a scenario without a `variant` tag): ' +
        'counted in the total only',
    ]);
  });
});

describe('parseK6Summary: sub-metrics of k6/rollout-load.js with connection patterns', () => {
  /** A handleSummary() metric with `values`. */
  const metric = (values: Record<string, number>) => ({ type: 'x', contains: 'default', values });
  const trend = metric({ avg: 2, min: 1, med: 2, max: 3, 'p(90)': 3, 'p(95)': 3, 'p(99)': 3 });
  const text = JSON.stringify({
    state: { testRunDurationMs: 2000 },
    metrics: {
      'http_reqs{variant:a}': metric({ count: 10, rate: 5 }),
      'http_req_failed{variant:a}': metric({ rate: 0.2, passes: 2, fails: 8 }),
      'http_req_duration{variant:a}': trend,
      // A part of variant a, not a variant named "a,connection:new".
      'http_req_failed{variant:a,connection:new}': metric({ rate: 0.4, passes: 2, fails: 3 }),
      'http_req_failed{variant:a,connection:reused}': metric({ rate: 0, passes: 0, fails: 5 }),
      'dropped_iterations{scenario:load_a_new}': metric({ count: 1, rate: 0.5 }),
      'dropped_iterations{scenario:load_a_reused}': metric({ count: 2, rate: 1 }),
    },
  });

  test('a sub-metric that selects more tags than the variant names no variant', () => {
    const summary = parseK6Summary(text, 'x.json');
    expect([...summary.variants.keys()]).toEqual(['a']);
    expect(summary.variants.get('a')).toMatchObject({ requests: 10, failed: 2, errorRate: 0.2, rps: 5 });
  });

  test("dropped iterations: the sum over the variant's scenarios (one per connection pattern)", () => {
    expect(parseK6Summary(text, 'x.json').variants.get('a')?.droppedIterations).toBe(3);
  });
});
