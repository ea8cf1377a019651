import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findK6 } from '../../src/load/k6/run.js';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { zdd } from '../helpers/cli.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { boxed, flat, tableRow } from '../helpers/terminal-text.js';

/** `zdd compare` end to end: the real CLI, the local cluster, real load; fast profile. */
const FAST = FAST_COMPARE;
const k6 = findK6();
let results: string;
beforeAll(async () => {
  results = await mkdtemp(join(tmpdir(), 'zdd-test-results-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
});

async function readResults(stdout: string): Promise<{ summary: CompareSummary; samples: string[]; events: unknown[] }> {
  const folder = /results:\s+(\S+)\/\s+\(/.exec(stdout)?.[1] ?? '';
  const files = (await readdir(folder)).sort();
  // A report that could not be drawn is a note on stdout: the message shows it.
  expect(files, stdout).toEqual([
    'events.json',
    'logs',
    'report.html',
    'report.md',
    'samples.ndjson',
    'summary.json',
    'timeline.svg',
  ]);
  return {
    summary: JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8')) as CompareSummary,
    samples: (await readFile(join(folder, 'samples.ndjson'), 'utf8')).trim().split('\n'),
    events: JSON.parse(await readFile(join(folder, 'events.json'), 'utf8')) as unknown[],
  };
}

/** Pod processes whose environment carries `marker` (none must be left after the CLI exits). */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.includes(marker)) found.push(Number(entry));
  }
  return found;
}

describe('zdd compare', () => {
  const k6Title = k6 ? 'k6' : 'k6 (skipped: k6 is not installed: go install go.k6.io/k6@v1.8.1)';
  test.for([
    { load: 'builtin', title: 'builtin', skip: false },
    { load: 'k6', title: k6Title, skip: !k6 },
  ])(
    '--load $title: the default variant drops requests, the zero-downtime variant none, on both connection patterns; exit 0',
    async ({ load, skip }, context) => {
      context.skip(skip, 'k6 is not installed');
      const result = await zdd(['compare', '--load', load, ...FAST, '--results', results]);
      expect(result.exitCode, result.stderr).toBe(0);
      // variant, requests, failed, error rate, …, the budget mark
      const table = boxed(result.stdout);
      expect(table).toMatch(/│ default-app │ \d+ │ [1-9]\d* │ (?!0\.00 %)[\d.]+ % │ .* │ ✗ over │/);
      expect(table).toMatch(/│ zero-downtime-app │ \d+ │ 0 │ 0\.00 % │ .* │ ✓ ok │/);
      expect(table).toMatch(/│ {3}new connections │ \d+/);
      expect(table).toMatch(/│ {3}reused connections │ \d+/);
      expect(flat(result.stdout)).toContain('PASS: zero-downtime-app failed 0 of');
      expect(flat(result.stdout)).toMatch(/new connections 0 of \d+, reused connections 0 of \d+/);
      const { summary, samples, events } = await readResults(result.stdout);
      expect(summary.settings).toMatchObject({
        rate: 10,
        rounds: 1,
        load,
        timeScale: 0.1,
        connections: 'both',
        seed: 1,
      });
      expect(summary.settings.loadGenerator).toMatch(load === 'k6' ? /^k6 v?1\.8\.1/ : /^builtin$/);
      const [defaults, zd] = summary.variants;
      expect(defaults?.failed).toBeGreaterThan(0);
      expect(zd?.failed).toBe(0);
      expect(summary.verdict).toMatchObject({ outcome: 'pass', exitCode: 0, passed: true, reproduced: true });
      expect(zd?.byConnection.map((pattern) => [pattern.connection, pattern.failed])).toEqual([
        ['new', 0],
        ['reused', 0],
      ]);
      expect(zd?.delivery.shortfall).toBeLessThanOrEqual(0.01);
      expect(samples.length).toBe((defaults?.requests ?? 0) + (zd?.requests ?? 0));
      const first = JSON.parse(samples[0] ?? '{}') as Record<string, unknown>;
      expect(Object.keys(first).sort()).toEqual([
        'connection',
        'error',
        'latencyMs',
        'pod',
        'status',
        'time',
        'variant',
      ]);
      expect(first).toMatchObject({
        time: expect.any(Number),
        variant: expect.stringMatching(/-app$/),
        latencyMs: expect.any(Number),
      });
      expect(events.length).toBeGreaterThan(10);
      // The warm-up (5 s × 0.1) runs under load: it counts from the generator's first request, not from k6's
      // start, which initialises its VUs first (it used to take up the warm-up and more on a busy machine).
      const firstRequest = Math.min(...samples.map((line) => (JSON.parse(line) as { time: number }).time));
      expect((summary.rounds[0]?.startedAt ?? 0) - firstRequest).toBeGreaterThanOrEqual(450);
    },
  );

  test('--expose gateway: the local router serves each variant by its HTTPRoute; the same verdict', async () => {
    const gateway = ['--expose', 'gateway', '--gateway', 'gw/infra', '--domain', 'apps.example'];
    const result = await zdd(['compare', '--load', 'builtin', ...gateway, ...FAST, '--results', results]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(flat(result.stdout)).toContain('PASS: zero-downtime-app failed 0 of');
    const { summary } = await readResults(result.stdout);
    expect(summary.variants[0]?.failed).toBeGreaterThan(0);
  });

  test('a zero-downtime variant without its preStop sleep fails: exit 1', async () => {
    const result = await zdd([
      'compare',
      '--load',
      'builtin',
      ...FAST,
      '--rounds',
      '3',
      '--replicas',
      '1',
      '--workload',
      'deployment',
      '--no-prestop',
      '--results',
      results,
    ]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(flat(result.stdout)).toMatch(/FAIL: zero-downtime-app failed [1-9]\d* of \d+ requests/);
    // A line per round and variant.
    expect(tableRow(result.stdout, 'round')).toEqual(['variant', 'failed', 'longest outage (ms)']);
    expect(boxed(result.stdout)).toMatch(/│ 3 │ zero-downtime-app │ \d+ of \d+ │ \d+ │/);
  });
});

describe('zdd compare rejects bad input: exit 2, a clear message', () => {
  test.each([
    [['--target', 'openshift'], '--target: expected one of local, cluster, got "openshift"'],
    [['--rate', '0'], '--rate: expected a number > 0, got 0'],
    [['--rate', '-5'], '--rate: expected a number > 0, got -5'],
    [['--load', 'jmeter'], '--load: expected one of auto, k6, builtin, k6-operator, got "jmeter"'],
    [['--port', '0'], 'invalid setting port (--port): must be an integer port number from 1 to 65535, got 0'],
  ])('%j', async (args, message) => {
    const result = await zdd(['compare', ...args, '--results', results]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  test('--load k6 without k6: how to install it', async () => {
    const result = await zdd(['compare', '--load', 'k6', ...FAST, '--results', results], {
      env: { PATH: '/usr/bin:/bin', GOPATH: '/nonexistent' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('go install go.k6.io/k6@v1.8.1');
    expect(result.stderr).toContain('--load builtin');
  });

  test('a route that never becomes reachable: a timeout that says so, and nothing left running', async () => {
    const marker = `ZDD_TEST_${randomUUID().replaceAll('-', '')}`;
    const result = await zdd([
      'compare',
      '--load',
      'builtin',
      ...FAST,
      '--timeout',
      '30',
      '--probe-scheme',
      'HTTPS', // the app speaks plain HTTP: the probe never passes
      '--env',
      `${marker}=1`,
      '--results',
      results,
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('the variants did not become reachable');
    expect(result.stderr).toMatch(/zero-downtime-app: 0\/2 ready/);
    expect(result.stderr).toContain('(--timeout 30)');
    expect(await processesWith(marker)).toEqual([]);
  });
});
