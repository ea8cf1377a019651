import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Sample } from '../../src/load/sample.js';
import { explainFailures } from '../../src/report/chart/explain.js';
import { binWidth, LANES, outages, timelineSpec } from '../../src/report/chart/timeline-data.js';
import { eventsOf } from '../../src/report/chart/variant-events.js';
import { parseEventsFile } from '../../src/results-folder/events-file.js';
import type { Round } from '../../src/results-folder/run-result.js';
import { parseSamplesFile } from '../../src/results-folder/samples-file.js';
import { parseSummaryFile } from '../../src/results-folder/summary-file.js';
import { RESULTS_FIXTURE } from '../helpers/report-fixtures.js';

const file = (name: string) => readFileSync(join(RESULTS_FIXTURE, name), 'utf8');
const summary = parseSummaryFile(file('summary.json'), 'summary.json');
const samples = parseSamplesFile(file('samples.ndjson'), 'samples.ndjson');
const events = parseEventsFile(file('events.json'), 'events.json');
const variants = summary.variants.map((variant) => ({
  name: variant.name,
  role: variant.role,
  workload: variant.name,
}));

describe('timelineSpec: the chart’s data from a real run', () => {
  const spec = timelineSpec({ variants, samples, events, rounds: summary.rounds });

  test('0 s is the first rollout; bins cover every request, their rates add up to the run’s requests', () => {
    expect(spec.origin).toBe(summary.rounds[0]?.startedAt);
    expect(spec.originLabel).toBe('the first rollout');
    for (const [index, variant] of spec.variants.entries()) {
      const figures = summary.variants[index];
      const seconds = spec.binMs / 1000;
      const total = variant.bins.reduce(
        (sum, bin) => sum + Object.values(bin.rates).reduce((a, b) => a + b, 0) * seconds,
        0,
      );
      expect(Math.round(total)).toBe(figures?.requests);
      const failed = variant.bins.reduce((sum, bin) => sum + (bin.rates.http_5xx + bin.rates.reset) * seconds, 0);
      expect(Math.round(failed)).toBe(figures?.failed);
      expect(variant.bins[0]?.from).toBeCloseTo(spec.domain[0], 6);
      expect(variant.bins.at(-1)?.to).toBeCloseTo(spec.domain[1], 6);
    }
  });

  test('outage windows only where requests failed; the rollouts and the events of each variant as markers', () => {
    const [defaults, zeroDowntime] = spec.variants;
    expect(defaults?.outages.length).toBeGreaterThan(0);
    expect(zeroDowntime?.outages).toEqual([]);
    for (const variant of spec.variants) {
      expect(variant.rollouts).toHaveLength(1);
      expect(variant.rollouts[0]?.from).toBeCloseTo(
        ((summary.rounds[0]?.rollouts.find((r) => r.workload === variant.name)?.startedAt ?? 0) - spec.origin) / 1000,
        6,
      );
      expect(new Set(variant.markers.map((marker) => marker.lane))).toEqual(
        new Set(
          LANES.filter((lane) => lane !== 'SIGKILL' && lane !== (variant.role === 'default' ? 'preStop' : 'SIGTERM')),
        ),
      );
      for (const marker of variant.markers) {
        expect(marker.at).toBeGreaterThanOrEqual(spec.domain[0]);
        expect(marker.at).toBeLessThanOrEqual(spec.domain[1]);
      }
      // Only this variant's pods: the other variant's never appear in its lanes.
      const other = spec.variants.find((candidate) => candidate.name !== variant.name)?.name ?? '';
      expect(variant.markers.filter((marker) => marker.label.includes(`${other}-`))).toEqual([]);
    }
  });

  test('outages: runs of consecutive failed requests, from the first one’s start to the last one’s end', () => {
    const sample = (at: number, error?: 'http_5xx'): Sample => ({
      target: 'x',
      scheduledMs: at,
      startMs: at,
      epochMs: at,
      latencyMs: 5,
      status: error ? 503 : 200,
      ...(error && { error }),
    });
    expect(
      outages([sample(0), sample(10, 'http_5xx'), sample(20, 'http_5xx'), sample(30), sample(40, 'http_5xx')]),
    ).toEqual([
      { from: 10, to: 25, failed: 2 },
      { from: 40, to: 45, failed: 1 },
    ]);
  });

  test.each([
    [60_000, 1000],
    [4_000, 200],
    [1_000, 50],
    [3_600_000, 10_000],
  ])('a run of %i ms is drawn in bins of %i ms', (span, width) => {
    expect(binWidth(span)).toBe(width);
  });
});

describe('explainFailures: why a variant failed, from its samples and events', () => {
  const input = (name: string) => ({
    samples: samples.filter((sample) => sample.target === name).sort((a, b) => a.epochMs - b.epochMs),
    events: eventsOf(events, name),
    rounds: summary.rounds,
    workload: name,
    origin: summary.rounds[0]?.startedAt ?? 0,
  });

  test('the default variant: 503s from new pods without a readinessProbe, a reset from an old pod stopped while routed', () => {
    const caption = explainFailures(input('default-app'));
    expect(caption).toMatch(
      /^503s \(27 of 28 failed requests, \+0\.26 s to \+0\.98 s\) come from new pods the router sent requests to before they were ready: default-app-2-\w+ joined at \+0\.24 s, default-app-2-\w+ joined at \+0\.24 s \(no readinessProbe: a pod counts as ready as soon as its process runs\)\. /,
    );
    expect(caption).toMatch(
      /Reset connections \(1 of 28 failed requests, \+0\.22 s to \+0\.23 s\) start when the old pod default-app-1-\w+ gets SIGTERM at \+0\.20 s with no preStop pause while the router still sends it requests, until its reload at \+0\.24 s\.$/,
    );
  });

  test('the zero-downtime variant: nothing failed, and what its events show it did right', () => {
    expect(explainFailures(input('zero-downtime-app'))).toBe(
      'No request failed. New pods joined only once their readinessProbe passed; the router dropped every old pod before it stopped serving.',
    );
  });

  test('without events: what failed and when', () => {
    const rounds: Round[] = [];
    expect(explainFailures({ ...input('default-app'), events: [], rounds })).toMatch(
      /^503s \(27 of 28 failed requests, \+0\.26 s to \+0\.98 s\) were answered by default-app-2-\w+, default-app-2-\w+\. Reset connections \(1 of 28 failed requests, \+0\.22 s to \+0\.23 s\)\.$/,
    );
  });
});
