import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { findK6 } from '../../../src/load/k6/find-k6.js';
import { parseK6Ndjson } from '../../../src/load/k6/ndjson.js';
import { liveSample, mergeRunnerLogs } from '../../../src/load/k6-operator/runner-log.js';
import type { Sample } from '../../../src/load/sample.js';
import { REPO } from '../../helpers/cli.js';

const k6 = findK6();

/** A request as both readings must agree on it (times aside: the log's end is read a moment after k6's). */
const outcome = (sample: Sample) =>
  `${sample.target} ${sample.connection} ${sample.status} ${sample.error ?? 'ok'} ${sample.pod ?? '-'} ${sample.latencyMs.toFixed(3)}`;

test.skipIf(!k6)(
  `one k6 run read from its log lines (SAMPLES=log) and from --out json: the same requests, outcomes and latencies${k6 ? '' : ' (skipped: k6 is not installed: go install go.k6.io/k6@v1.8.1)'}`,
  async () => {
    let served = 0;
    // Every fifth request a 503; the rest 200 from pod web-1.
    const server = createServer((_, response) => {
      served += 1;
      response.writeHead(served % 5 === 0 ? 503 : 200, { 'x-pod': 'web-1' }).end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const dir = mkdtempSync(join(tmpdir(), 'zdd-test-runner-log-'));
    try {
      const targets = [
        { name: 'app', url },
        { name: 'app', url, connection: 'new' },
        // Nothing listens on the discard port: refused.
        { name: 'gone', url: 'http://127.0.0.1:9/' },
      ];
      const run = await execa(
        k6 as string,
        [
          ...['run', '--quiet', '--no-usage-report', '--log-format=raw', '--out', `json=${join(dir, 'out.json')}`],
          ...['-e', 'SAMPLES=log', '-e', 'RATE=20', '-e', 'DURATION=2s', '-e', `TARGETS=${JSON.stringify(targets)}`],
          join(REPO, 'k6', 'rollout-load.js'),
        ],
        { reject: false, all: true, timeout: 60_000, env: { K6_NO_USAGE_REPORT: 'true' } },
      );
      expect(run.exitCode, run.all).toBe(0);
      const logged = mergeRunnerLogs([{ runner: 'k6', text: run.all ?? '' }]);
      const json = parseK6Ndjson(readFileSync(join(dir, 'out.json'), 'utf8'));
      expect(logged.problems).toEqual([]);
      const [runner] = logged.runners;
      expect(runner?.requests).toBe(json.samples.length);
      expect(runner?.httpReqs).toBe(json.samples.length);
      expect(runner?.dropped).toEqual({ load_app_reused: 0, load_app_new: 0, load_gone_reused: 0 });
      expect(logged.samples.map(outcome).sort()).toEqual(json.samples.map(outcome).sort());
      expect(new Set(logged.samples.map((sample) => sample.error))).toEqual(
        new Set([undefined, 'http_5xx', 'refused']),
      );
      // Starts within a few ms of k6's own end times.
      const starts = (samples: Sample[]) => samples.map((sample) => sample.epochMs).sort((a, b) => a - b);
      const offsets = starts(logged.samples).map((start, index) => start - (starts(json.samples)[index] ?? 0));
      expect(Math.max(...offsets.map(Math.abs))).toBeLessThan(50);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

const line = (target: string, end: number, status = 200) =>
  `zdd-sample ${JSON.stringify({ t: target, c: 'reused', i: end, end, b: 1, d: 2, s: status })}`;
const summary = (httpReqs: number) => `zdd-summary ${JSON.stringify({ httpReqs, dropped: { load_app_reused: 0 } })}`;

test('two runners merge into one list by start, each runner counted against its own http_reqs', () => {
  const merged = mergeRunnerLogs(
    [
      {
        runner: 'zdd-load-1',
        segment: '0:1/2',
        text: [line('app', 1000), line('app', 1020, 503), summary(2)].join('\n'),
      },
      {
        runner: 'zdd-load-2',
        segment: '1/2:1',
        text: ['Request Failed', line('app', 1010), summary(1), ''].join('\n'),
      },
    ],
    { targets: ['app'] },
  );
  expect(merged.problems).toEqual([]);
  expect(merged.epochStartMs).toBe(997);
  expect(merged.samples.map((sample) => [sample.startMs, sample.status, sample.error])).toEqual([
    [0, 200, undefined],
    [10, 200, undefined],
    [20, 503, 'http_5xx'],
  ]);
  expect(
    merged.runners.map(({ runner, segment, requests, httpReqs }) => [runner, segment, requests, httpReqs]),
  ).toEqual([
    ['zdd-load-1', '0:1/2', 2, 2],
    ['zdd-load-2', '1/2:1', 1, 1],
  ]);
});

test('a runner whose log lost lines, or ends without its summary, is a problem named with the runner', () => {
  const merged = mergeRunnerLogs([
    { runner: 'zdd-load-1', segment: '0:1/2', text: [line('app', 1000), summary(3)].join('\n') },
    { runner: 'zdd-load-2', segment: '1/2:1', text: [line('app', 1010), 'zdd-sample {"t":"app","c":"reu'].join('\n') },
  ]);
  expect(merged.problems).toEqual([
    "runner zdd-load-1 (segment 0:1/2): its k6 made 3 requests, but its log holds 1: lines were lost (a kubelet rotates container logs at 10 MiB by default; lower --rate or raise the kubelet's containerLogMaxSize)",
    'runner zdd-load-2 (segment 1/2:1): its log has no end-of-test line: it did not finish, or the end of its log is missing',
  ]);
  expect(merged.samples).toHaveLength(2);
});

test('the stop: a request k6 cancelled is no sample, and a request that ended after k6 closed its count is no loss', () => {
  const cancelled = `zdd-sample ${JSON.stringify({ t: 'app', c: 'reused', i: 9, end: 1040, b: 0, d: 3, s: 0, ec: 1000, e: 'context canceled' })}`;
  const merged = mergeRunnerLogs([
    {
      runner: 'zdd-load-1',
      text: [line('app', 1000), line('app', 1020), line('app', 1030), cancelled, summary(2)].join('\n'),
    },
  ]);
  expect(merged.problems).toEqual([]);
  expect(merged.samples.map((sample) => sample.status)).toEqual([200, 200, 200]);
  expect(merged.runners).toEqual([
    expect.objectContaining({ runner: 'zdd-load-1', requests: 3, httpReqs: 2, cancelled: 1, startedAt: 997 }),
  ]);
  expect(liveSample(cancelled)).toBeUndefined();
  expect(liveSample(line('app', 1000, 502))).toEqual({ target: 'app', epochMs: 997, latencyMs: 3, error: 'http_5xx' });
});

test('a runner of 200 000 requests merges (no spread of every start into one call, which overflows the stack)', () => {
  const lines = Array.from({ length: 200_000 }, (_, index) => line('app', 1000 + index));
  const merged = mergeRunnerLogs([{ runner: 'big', text: [...lines, summary(200_000)].join('\n') }]);
  expect(merged.problems).toEqual([]);
  expect(merged.samples).toHaveLength(200_000);
  expect(merged.runners[0]?.startedAt).toBe(997);
});
