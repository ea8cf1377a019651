import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { K6OutputError } from '../../../src/load/k6/errors.js';
import { classifyK6Error, K6SampleReader, parseK6Ndjson, parseTime } from '../../../src/load/k6/ndjson.js';
import { parseK6Summary } from '../../../src/load/k6/summary.js';
import type { Sample } from '../../../src/load/sample.js';
import { thrown } from '../../helpers/wait.js';

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

  test('points without request metadata are joined by their order; no variant tag → the scenario names the target', () => {
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
    expect(result.warnings).toContainEqual(expect.stringMatching(/^line \d+: the last line is cut off/));
  });
});

describe('K6SampleReader: unreadable lines', () => {
  test('an unreadable line followed by another → K6OutputError naming the line', () => {
    const reader = new K6SampleReader();
    reader.push('{"type":"Metric","data":{}}');
    reader.push('{"metric":"http_req');
    expect(() => reader.push('{"type":"Metric","data":{}}')).toThrow(
      new K6OutputError(2, 'not JSON: `{"metric":"http_req`'),
    );
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
      '{"type":"Point","metric":"http_req_duration","data":{"value":1,"tags":{"scenario":"load_a","variant":"a"}}}',
      "line 1 of k6's JSON output: a http_req_duration point without a valid `time`: undefined",
    ],
  ])('%s', (_title, line, message) => {
    const reader = new K6SampleReader();
    expect(() => reader.push(line)).toThrow(message);
  });

  test('nothing at all: no samples', () => {
    expect(parseK6Ndjson('')).toEqual({
      samples: [],
      droppedIterations: new Map(),
      droppedIterationsByScenario: new Map(),
      unattributedRequests: 0,
      truncated: false,
      withoutBlocked: 0,
      warnings: [],
    });
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

describe('parseK6Ndjson: requests are grouped by their order, never by their time (real k6 v1.8.1 output)', () => {
  // A script without `request` metadata: setup() (200, 503), teardown() (200), 4 requests each to ok and
  // flaky (503, 200, 503, 200).
  const original = parseK6Ndjson(read('v1.8.1/setup-teardown.ndjson'));
  // The same lines, the second flaky request (200) ending at the first one's (503) time string.
  const sameEnd = parseK6Ndjson(read('v1.8.1/same-end-time.ndjson'));
  const outcomes = (samples: readonly Sample[]) =>
    samples.map((sample) => `${sample.status} ${sample.error ?? 'ok'} ${sample.latencyMs}`);

  test('one sample per request, with its own status and duration', () => {
    expect(byTarget(original.samples, 'ok').map((sample) => sample.status)).toEqual([200, 200, 200, 200]);
    expect(byTarget(original.samples, 'flaky').map((sample) => sample.error ?? 'ok')).toEqual([
      'http_5xx',
      'ok',
      'http_5xx',
      'ok',
    ]);
  });

  test('two requests that end at the identical time string stay two, neither overwrites the other', () => {
    const flaky = byTarget(sameEnd.samples, 'flaky');
    expect(flaky).toHaveLength(4);
    expect(flaky.filter((sample) => sample.error === 'http_5xx')).toHaveLength(2);
    const [first, second] = flaky;
    expect((first?.epochMs ?? 0) + (first?.latencyMs ?? 0)).toBeCloseTo(
      (second?.epochMs ?? 0) + (second?.latencyMs ?? 1),
      6,
    );
    expect(outcomes(sameEnd.samples).sort()).toEqual(outcomes(original.samples).sort());
  });

  test('agrees with the summary of the same run, which counts setup() and teardown() in its total only', () => {
    const summary = parseK6Summary(read('v1.8.1/setup-teardown.summary-export.json'), 'summary.json');
    for (const result of [original, sameEnd]) {
      for (const [variant, figures] of summary.variants) {
        const own = byTarget(result.samples, variant);
        expect(own).toHaveLength(figures.requests);
        expect(own.filter((sample) => sample.error !== undefined)).toHaveLength(figures.failed ?? -1);
      }
      expect(result.samples.length + result.unattributedRequests).toBe(summary.total?.requests);
    }
  });

  test('requests of setup() and teardown() are counted apart and named in a warning, in no target', () => {
    expect(original.unattributedRequests).toBe(3);
    expect(new Set(original.samples.map((sample) => sample.target))).toEqual(new Set(['ok', 'flaky']));
    expect(original.warnings).toEqual([
      '3 requests made outside every scenario (without a `scenario` tag: setup(), teardown(); 1 failed) ' +
        'are counted in no target',
    ]);
  });
});

describe('parseK6Ndjson without any http_req_failed point (as before k6 v0.31; real k6 v1.8.1 output)', () => {
  const text = read('v1.8.1/no-http-req-failed.ndjson');
  const result = parseK6Ndjson(text);

  test('the fixture has no http_req_failed point', () => {
    expect(text).not.toContain('"http_req_failed"');
  });

  test('failures come from the status and error_code tags', () => {
    const kinds = (target: string) => byTarget(result.samples, target).map((sample) => sample.error ?? 'ok');
    expect(kinds('ok')).toEqual(['ok', 'ok', 'ok']);
    expect(kinds('http-503')).toEqual(['http_5xx', 'http_5xx', 'http_5xx']);
    expect(kinds('refused')).toEqual(['refused', 'refused', 'refused']);
    expect(result.warnings).toEqual([]);
  });

  test('the summary of the same run cannot tell the failures; the points can, and match its request counts', () => {
    const summary = parseK6Summary(read('v1.8.1/no-http-req-failed.summary.json'), 'summary.json');
    for (const [variant, figures] of summary.variants) {
      expect(figures.failed).toBeUndefined();
      expect(byTarget(result.samples, variant)).toHaveLength(figures.requests);
    }
  });
});

describe('K6SampleReader: files that are not k6 output, or only partly', () => {
  test.each([
    ['a one-line text file', 'hello world', "line 1 of k6's JSON output: not JSON: `hello world`"],
    ['a text file of several lines', 'hello\nworld\n', "line 1 of k6's JSON output: not JSON: `hello`"],
    [
      'a cut-off first line',
      '{"type":"Point","metric":"http_re',
      'line 1 of k6\'s JSON output: not JSON: `{"type":"Point","metric":"http_re`',
    ],
    [
      'a summary file (one JSON object without `type`)',
      '{"metrics":{"http_reqs":{"count":3}}}',
      'line 1 of k6\'s JSON output: a JSON object without `type` ("Metric" or "Point"): not k6\'s --out json output',
    ],
    [
      'gzip-compressed output',
      '\u001f\u008b\b\u0000\u0000\u0000',
      "line 1 of k6's JSON output: not JSON but gzip-compressed (k6 writes gzip to a file named *.gz): unzip it first",
    ],
  ])('%s → K6OutputError naming the line', (_title, text, message) => {
    const error = thrown(() => parseK6Ndjson(text));
    expect(error).toBeInstanceOf(K6OutputError);
    expect((error as Error).message).toBe(message);
  });

  test('a real gzip file read as UTF-8 text (as zdd streams it) is named as such', () => {
    const text = gzipSync(Buffer.from(read('v1.8.1/no-http-req-failed.ndjson'))).toString('utf8');
    expect(() => parseK6Ndjson(text)).toThrow(
      "line 1 of k6's JSON output: not JSON but gzip-compressed (k6 writes gzip to a file named *.gz): unzip it first",
    );
  });

  test('a last line that is not the start of a JSON object is no cut-off line: K6OutputError', () => {
    const reader = new K6SampleReader();
    reader.push('{"type":"Metric","data":{},"metric":"vus"}');
    expect(() => reader.push('Done.')).toThrow("line 2 of k6's JSON output: not JSON: `Done.`");
  });

  test('a long line is quoted cut', () => {
    expect(() => parseK6Ndjson('x'.repeat(10_000))).toThrow(`not JSON: \`${'x'.repeat(40)}…\``);
  });

  test('lines of an unknown type are skipped and counted in a warning', () => {
    const result = parseK6Ndjson('{"type":"Metric","data":{},"metric":"vus"}\n{"type":"Summary","data":{}}\n');
    expect(result.warnings).toEqual(['1 line of unknown type "Summary" skipped']);
  });
});

/** One point line of a request, as k6 writes it. */
function point(metric: string, value: number, tags: Record<string, string>, metadata?: Record<string, string>): string {
  const time = '2025-06-01T12:00:00.100000000Z';
  return JSON.stringify({ metric, type: 'Point', data: { time, value, tags, ...(metadata && { metadata }) } });
}

/** The points zdd reads of one request. */
function request(tags: Record<string, string>, durationMs: number, metadata?: Record<string, string>): string[] {
  return [
    point('http_reqs', 1, tags, metadata),
    point('http_req_duration', durationMs, tags, metadata),
    point('http_req_blocked', 0, tags, metadata),
  ];
}

describe('K6SampleReader on hand-made lines: grouping and tags', () => {
  const tags = { scenario: 'load_a_new', variant: 'a', status: '200', connection: 'new' };

  // Both end at the same time: sorted by start, the longer one comes first.
  test('two requests of one iteration (same `request` metadata, same time) stay two', () => {
    const lines = [...request(tags, 5, { request: '7' }), ...request(tags, 9, { request: '7' })];
    expect(parseK6Ndjson(lines.join('\n')).samples.map((sample) => sample.latencyMs)).toEqual([9, 5]);
  });

  test('without http_reqs points (filtered output), a repeated metric starts the next request', () => {
    const lines = [...request(tags, 5), ...request(tags, 9)].filter((line) => !line.includes('"http_reqs"'));
    expect(parseK6Ndjson(lines.join('\n')).samples.map((sample) => sample.latencyMs)).toEqual([9, 5]);
  });

  test('the connection tag of k6/rollout-load.js becomes the sample’s connection', () => {
    const [sample] = parseK6Ndjson(request(tags, 5).join('\n')).samples;
    expect(sample?.connection).toBe('new');
    const [untagged] = parseK6Ndjson(request({ ...tags, connection: 'x' }, 5).join('\n')).samples;
    expect(untagged?.connection).toBeUndefined();
  });

  test('a request without a status tag: http_req_failed decides, with a warning', () => {
    const { status: _status, ...noStatus } = tags;
    const ok = [...request(noStatus, 5), point('http_req_failed', 0, noStatus)];
    const failed = [...request(noStatus, 6), point('http_req_failed', 1, noStatus)];
    const unknown = request(noStatus, 7);
    const result = parseK6Ndjson([...ok, ...failed, ...unknown].join('\n'));
    const outcomes = result.samples.map((sample) => `${sample.latencyMs} ${sample.error ?? 'ok'}`);
    expect(outcomes.sort()).toEqual(['5 ok', '6 other', '7 other']);
    expect(result.warnings).toEqual([
      "3 requests without a `status` tag (k6's --system-tags leave it out?): failed or not by http_req_failed, " +
        'else counted as failed (other)',
    ]);
  });

  test('a request without an http_req_duration point is skipped, with a warning', () => {
    const result = parseK6Ndjson([point('http_reqs', 1, tags), ...request(tags, 5)].join('\n'));
    expect(result.samples).toHaveLength(1);
    expect(result.warnings).toEqual(['1 request without an http_req_duration point skipped']);
  });

  test('a group named "setup" in an iteration (tag `::setup`, as setup() has) stays in its target', () => {
    const result = parseK6Ndjson(request({ ...tags, group: '::setup' }, 5).join('\n'));
    expect(result.samples.map((sample) => sample.target)).toEqual(['a']);
    expect(result.unattributedRequests).toBe(0);
  });

  test('setup() points with a variant from the global tags are still in no target', () => {
    const { scenario: _scenario, ...global } = tags;
    const result = parseK6Ndjson(request({ ...global, group: '::setup' }, 5).join('\n'));
    expect(result.samples).toEqual([]);
    expect(result.unattributedRequests).toBe(1);
  });

  test('dropped iterations by target and by scenario', () => {
    const dropped = (scenario: string) => point('dropped_iterations', 1, { scenario });
    const result = parseK6Ndjson(
      [...request(tags, 5), dropped('load_a_new'), dropped('load_a_new'), dropped('load_b_reused')].join('\n'),
    );
    expect([...result.droppedIterations]).toEqual([
      ['a', 2],
      ['load_b_reused', 1],
    ]);
    expect([...result.droppedIterationsByScenario]).toEqual([
      ['load_a_new', 2],
      ['load_b_reused', 1],
    ]);
  });
});
