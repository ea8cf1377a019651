import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { K6OutputError } from '../../../src/load/k6/errors.js';
import { classifyK6Error, K6SampleReader, parseK6Ndjson, parseTime } from '../../../src/load/k6/ndjson.js';
import { parseK6Summary } from '../../../src/load/k6/summary.js';
import type { Sample } from '../../../src/load/sample.js';

const fixtures = fileURLToPath(new URL('../../fixtures/k6/', import.meta.url));
const read = (file: string): string => readFileSync(`${fixtures}${file}`, 'utf8');

function byTarget(samples: readonly Sample[], target: string): Sample[] {
  return samples.filter((sample) => sample.target === target);
}

describe('parseK6Ndjson on real k6 v1.8.1 output', () => {
  const text = read('v1.8.1/network-errors.ndjson');
  const targets = ['ok', 'http-503', 'reset', 'hang', 'refused'];
  const { samples, epochStartMs, droppedIterations, truncated } = parseK6Ndjson(text, { targets });

  test('one sample per request, each target’s failures of its own kind', () => {
    expect(samples).toHaveLength(30);
    expect(truncated).toBe(false);
    expect(droppedIterations.size).toBe(0);
    const kinds = (target: string) => byTarget(samples, target).map((sample) => `${sample.status} ${sample.error}`);
    expect(kinds('ok')).toEqual(Array(6).fill('200 undefined'));
    expect(kinds('http-503')).toEqual(Array(6).fill('503 http_5xx'));
    // The server destroyed the socket: Go reports "EOF" (code 1000), Node "socket hang up" (ECONNRESET).
    expect(kinds('reset')).toEqual(Array(6).fill('0 reset'));
    expect(kinds('hang')).toEqual(Array(6).fill('0 timeout'));
    expect(kinds('refused')).toEqual(Array(6).fill('0 refused'));
  });

  test('grouped in the order of the targets, then by start', () => {
    expect([...new Set(samples.map((sample) => sample.target))]).toEqual(targets);
    for (const target of targets) {
      const starts = byTarget(samples, target).map((sample) => sample.startMs);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
  });

  test('times: relative to the earliest start, about 250 ms apart (4/s), scheduled = started', () => {
    expect(Math.min(...samples.map((sample) => sample.startMs))).toBe(0);
    for (const sample of samples) {
      expect(sample.scheduledMs).toBe(sample.startMs);
      expect(sample.epochMs).toBeCloseTo((epochStartMs ?? 0) + sample.startMs, 3);
    }
    const ok = byTarget(samples, 'ok').map((sample) => sample.startMs);
    ok.slice(1).forEach((start, index) => {
      expect(start - (ok[index] ?? 0)).toBeGreaterThan(200);
      expect(start - (ok[index] ?? 0)).toBeLessThan(300);
    });
    // The summary's test run started at most a few ms before the first request.
    expect(epochStartMs).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
  });

  test('latency: blocked + duration; a hanging server until the 300 ms timeout', () => {
    for (const sample of byTarget(samples, 'hang')) {
      expect(sample.latencyMs).toBeGreaterThanOrEqual(290);
      expect(sample.latencyMs).toBeLessThan(400);
    }
    for (const sample of byTarget(samples, 'refused')) expect(sample.latencyMs).toBe(0);
  });

  test('the x-pod header comes from the check point’s metadata, only where the app answered', () => {
    expect(byTarget(samples, 'ok').map((sample) => sample.pod)).toEqual(expect.arrayContaining(['app-a', 'app-b']));
    expect(byTarget(samples, 'ok').every((sample) => sample.pod === 'app-a' || sample.pod === 'app-b')).toBe(true);
    expect(samples.filter((sample) => sample.target !== 'ok').every((sample) => sample.pod === undefined)).toBe(true);
  });

  test('agrees with the summary of the same run: requests and failures per variant', () => {
    const summary = parseK6Summary(read('v1.8.1/network-errors.summary.json'), 'summary.json');
    for (const target of targets) {
      const own = byTarget(samples, target);
      expect(own).toHaveLength(summary.variants.get(target)?.requests ?? -1);
      expect(own.filter((sample) => sample.error !== undefined)).toHaveLength(
        summary.variants.get(target)?.failed ?? -1,
      );
    }
  });

  test('streaming: line by line, in any chunking, gives the same result', () => {
    const reader = new K6SampleReader({ targets });
    for (const line of text.split('\n')) reader.push(line);
    expect(reader.finish().samples).toEqual(samples);
  });
});

describe('parseK6Ndjson on hand-made lines (every error code zdd classifies)', () => {
  const result = parseK6Ndjson(read('handmade/error-codes.ndjson'));
  const codes = byTarget(result.samples, 'codes');

  test('error kinds by k6 error code, in the order the requests started', () => {
    expect(codes.map((sample) => [sample.status, sample.error ?? 'ok'])).toEqual([
      [0, 'refused'], // 1212, started at .010
      [0, 'reset'], // 1220, .108
      [0, 'timeout'], // 1050 request timeout (10 s), .1998
      [0, 'timeout'], // 1211 dial timeout (5 s blocked), .300
      [0, 'reset'], // 1201 broken pipe, .3991
      [0, 'reset'], // 1000 "EOF", .500
      [0, 'other'], // 1000, another message
      [503, 'http_5xx'], // 1503
      [404, 'http_4xx'], // 1404
      [0, 'other'], // 1101 DNS
      [0, 'other'], // status 0 without a code
      [302, 'ok'], // a redirect is not followed and not an error
    ]);
  });

  test('start = end − (blocked + duration); an offset time zone is read', () => {
    const timeout = codes.find((sample) => sample.latencyMs > 10_000);
    expect(timeout?.latencyMs).toBeCloseTo(10_000.2, 6);
    expect(timeout?.epochMs).toBeCloseTo(Date.parse('2025-06-01T12:00:00.200Z') - 0.2, 3);
    const dial = codes.find((sample) => sample.latencyMs === 5000);
    expect(dial?.epochMs).toBeCloseTo(Date.parse('2025-06-01T12:00:00.300Z'), 3);
    // 13:00:01.101+01:00, 1 ms long.
    const redirect = codes.find((sample) => sample.status === 302);
    expect(redirect?.epochMs).toBeCloseTo(Date.parse('2025-06-01T12:00:01.100Z'), 3);
    expect(redirect?.pod).toBe('app-1');
    // The earliest start: the refused request, at .010 (0 ms long).
    expect(result.epochStartMs).toBeCloseTo(Date.parse('2025-06-01T12:00:00.010Z'), 3);
    expect(Math.min(...result.samples.map((sample) => sample.startMs))).toBe(0);
  });

  test('points without request metadata are joined by time; no variant tag → the scenario names the target', () => {
    expect(byTarget(result.samples, 'default')).toEqual([
      {
        target: 'default',
        scheduledMs: 1189,
        startMs: 1189,
        epochMs: Date.parse('2025-06-01T12:00:01.199Z'),
        latencyMs: 5,
        status: 200,
      },
    ]);
  });

  test('dropped iterations are counted for the target of their scenario', () => {
    expect([...result.droppedIterations]).toEqual([['codes', 2]]);
  });

  test('a cut-off last line is skipped and reported', () => {
    expect(result.truncated).toBe(true);
  });
});

describe('K6SampleReader: unreadable lines', () => {
  test('an unreadable line followed by another → K6OutputError naming the line', () => {
    const reader = new K6SampleReader();
    reader.push('{"type":"Metric","data":{}}');
    reader.push('{"metric":"http_req');
    expect(() => reader.push('{"type":"Metric","data":{}}')).toThrow(new K6OutputError(2, 'not JSON'));
    expect(() => reader.push('')).not.toThrow();
  });

  test.each([
    ['not an object', '[1]', "line 1 of k6's JSON output: not a JSON object"],
    [
      'a point without data',
      '{"type":"Point","metric":"http_reqs"}',
      "line 1 of k6's JSON output: a Point without `metric` and `data`",
    ],
    [
      'a duration point without a time',
      '{"type":"Point","metric":"http_req_duration","data":{"value":1,"tags":{"variant":"a"}}}',
      "line 1 of k6's JSON output: a http_req_duration point without a valid `time`: undefined",
    ],
  ])('%s', (_title, line, message) => {
    const reader = new K6SampleReader();
    expect(() => reader.push(line)).toThrow(message);
  });

  test('nothing at all: no samples', () => {
    expect(parseK6Ndjson('')).toEqual({ samples: [], droppedIterations: new Map(), truncated: false });
  });
});

describe('classifyK6Error', () => {
  test.each<[number, number | undefined, string | undefined, string | undefined]>([
    [200, undefined, undefined, undefined],
    [302, undefined, undefined, undefined],
    [404, 1404, undefined, 'http_4xx'],
    [503, 1503, undefined, 'http_5xx'],
    [500, undefined, undefined, 'http_5xx'],
    [0, 1212, 'dial: connection refused', 'refused'],
    [0, 1220, 'read: connection reset by peer', 'reset'],
    [0, 1201, 'write: broken pipe', 'reset'],
    [0, 1000, 'EOF', 'reset'],
    [0, 1000, 'unexpected EOF', 'reset'],
    [0, 1000, 'context canceled', 'other'],
    [0, 1050, 'request timeout', 'timeout'],
    [0, 1211, 'dial: i/o timeout', 'timeout'],
    [0, 1101, 'lookup: no such host', 'other'],
    [0, 1650, 'http2: connection error', 'other'],
    [200, 1701, 'decompression', 'other'],
    [0, undefined, undefined, 'other'],
  ])('status %i, code %s, error %s → %s', (status, code, error, kind) => {
    expect(classifyK6Error(status, code, error)).toBe(kind);
  });
});

describe('parseTime', () => {
  test.each([
    ['2026-11-27T10:43:30.283635994Z', Date.parse('2026-11-27T10:43:30.283Z') + 0.635994],
    ['2026-11-27T11:43:30.5+01:00', Date.parse('2026-11-27T10:43:30.500Z')],
    ['2026-11-27T10:43:30Z', Date.parse('2026-11-27T10:43:30Z')],
  ])('%s', (text, epochMs) => {
    expect(parseTime(text)).toBeCloseTo(epochMs, 5);
  });

  test('unreadable → NaN', () => {
    expect(parseTime('yesterday')).toBeNaN();
  });
});
