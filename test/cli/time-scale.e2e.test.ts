import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reloadPhase } from '../../src/cluster/router/reload-phase.js';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { zdd } from '../helpers/cli.js';
import { judgedRun } from '../helpers/judged-run.js';
import { flat } from '../helpers/terminal-text.js';

/**
 * `--time-scale` through the real CLI: a sped-up run proves what a slower one proves. The same seed (the router's
 * reload phase in each round) and the same --rate (per modelled second) at time scales 0.1 and 0.3, for each knob
 * of the zero-downtime settings taken away from the default preset.
 */
const SAME = ['--load', 'builtin', '--seed', '1', '--rate', '10', '--warmup', '5', '--cooldown', '5'];
let results: string;
beforeAll(async () => {
  results = await mkdtemp(join(tmpdir(), 'zdd-test-time-scale-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
});

async function compare(scale: string, knob: readonly string[]) {
  const dir = await mkdtemp(join(results, 'run-'));
  const run = await zdd(['compare', ...SAME, ...knob, '--time-scale', scale, '--results', dir]);
  const [folder] = (await readdir(dir)).filter((name) => !name.includes('.'));
  const summary =
    folder === undefined
      ? undefined
      : (JSON.parse(await readFile(join(dir, folder, 'summary.json'), 'utf8')) as CompareSummary);
  return { ...run, summary };
}

/** A run with a verdict (see judgedRun: one that could not send on time is made again, at most twice). */
function judgedCompare(scale: string, knob: readonly string[]) {
  return judgedRun(`--time-scale ${scale} ${knob.join(' ')}`, () => compare(scale, knob));
}

describe('the same verdict at --time-scale 0.1 and 0.3 (default preset, same seed and --rate)', () => {
  test.for([
    // 2 replicas: a SIGTERMed pod's refused connects are redispatched to the other ones. On reused keep-alive
    // connections a request can also meet a race of a few real milliseconds (sent on a pooled connection just as
    // the pod closes it), which a faster run, with more requests per real second, meets more often (README,
    // "Faster runs"); new connections never take a pooled one (http-reuse safe), so their verdict is the same at
    // every scale.
    { knob: ['--no-prestop', '--connections', 'new'], exitCode: 0 },
    // New pods are routed to while they answer 503 for 6 s.
    { knob: ['--no-readiness-probe'], exitCode: 1 },
    // zdd refuses what would take a ready pod away (2), or SIGKILL the pod during its preStop sleep (1).
    { knob: ['--max-unavailable', '1'], exitCode: 2 },
    { knob: ['--grace-period', '1'], exitCode: 2 },
    { knob: ['--replicas', '1'], exitCode: 0 },
  ])('$knob', { timeout: 180_000 }, async ({ knob, exitCode }) => {
    const fast = await judgedCompare('0.1', knob);
    const slower = await judgedCompare('0.3', knob);
    const verdict = (run: typeof fast) => /^(PASS|FAIL|INCONCLUSIVE).*$/m.exec(run.stdout)?.[0] ?? run.stderr;
    expect([fast.exitCode, slower.exitCode], `0.1: ${verdict(fast)}\n0.3: ${verdict(slower)}`).toEqual([
      exitCode,
      exitCode,
    ]);
    if (exitCode === 2) return;
    for (const run of [fast, slower]) {
      // The same requests per phase of the rollout: --rate counts per modelled second.
      expect(run.summary?.settings).toMatchObject({ rate: 10, seed: 1 });
      expect(run.summary?.rounds.map((round) => round.reloadPhase)).toEqual([reloadPhase(1, 1)]);
    }
    // About as many requests at both scales: a run lasts its modelled phases (warm-up, rollout, cool-down), and
    // only the rollout's length moves with the machine's load (real process start-ups do not scale).
    const requests = (run: typeof fast) => run.summary?.variants[1]?.requests ?? 0;
    expect(Math.abs(requests(fast) - requests(slower)) / requests(slower)).toBeLessThan(0.25);
  });
});

test('--preset seed without its preStop sleep: FAIL at 0.1 and 0.3 alike (sped up, it used to PASS)', async () => {
  // Seed 36 puts the router's first reload of the round 4.8 s after the trigger, so the next comes 2.8 s after
  // the old pod's deletion at 32 s (4.8 s after it, had the probe seen the app at 30 s): the old pod stays the
  // route's only server longer than the router's 2 s of retries, at any time scale.
  const knob = ['--preset', 'seed', '--no-prestop', '--seed', '36'];
  const same = SAME.filter((arg, i) => arg !== '--seed' && SAME[i - 1] !== '--seed');
  const run = async (scale: string) => {
    const dir = await mkdtemp(join(results, 'run-'));
    const result = await zdd(['compare', ...same, ...knob, '--time-scale', scale, '--results', dir]);
    const [folder] = (await readdir(dir)).filter((name) => !name.includes('.'));
    const summary = JSON.parse(await readFile(join(dir, folder ?? '', 'summary.json'), 'utf8')) as CompareSummary;
    return { ...result, failed: summary.variants[1]?.failed ?? 0 };
  };
  const [fast, slower] = [await run('0.1'), await run('0.3')];
  expect([fast.exitCode, slower.exitCode], `${fast.stdout}\n${slower.stdout}`).toEqual([1, 1]);
  // Both drop requests; how many moves by a few with the busy machine's timer lateness (8 and 4 under stress-ng).
  expect(Math.min(fast.failed, slower.failed)).toBeGreaterThan(0);
});

test('more requests per real second than this machine keeps the local cluster on time under: a note says so', async () => {
  // Just over 200 per core, both variants together, at time scale 0.1 (ten requests per real second per --rate).
  const rate = Math.min(99, availableParallelism() * 10 + 10);
  const dir = await mkdtemp(join(results, 'run-'));
  const run = await zdd([
    'compare',
    ...SAME.map((arg, i) => (SAME[i - 1] === '--rate' ? String(rate) : arg)),
    '--replicas',
    '1',
    '--time-scale',
    '0.1',
    '--results',
    dir,
  ]);
  expect(run.stderr).toMatch(
    new RegExp(
      `note: ${rate * 20} requests per real second on ${availableParallelism()} cores: the local cluster shares this machine with the load, and beyond about 200 per core its timings slip`,
    ),
  );
  expect(flat(run.stdout)).toContain(`note: ${rate * 20} requests per real second`);
});

describe('what cannot be sped up faithfully is refused before anything is deployed: exit 2, the reason', () => {
  test.each([
    [
      ['--time-scale', '0.05'],
      "--time-scale 0.05: DeploymentConfig/default-app's rollingParams.intervalSeconds (1 s) would last 50 ms, shorter than the 100 ms below which",
    ],
    [
      ['--time-scale', '0.1', '--rate', '200'],
      '--rate 200 at --time-scale 0.1 is 2000 requests per real second per variant (--rate counts per modelled second, so that every phase of a rollout gets the requests it gets at real speed); at most 1000 per real second are sent: lower --rate to 100 or raise --time-scale to 0.2',
    ],
    [['--seed', '-3'], '--seed: expected an integer from 0 to 4294967295, got -3'],
    [['--target', 'cluster', '--seed', '4'], '--seed: only with --target local'],
  ])('%j', async (args, message) => {
    const run = await zdd(['compare', ...args, '--results', results]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});
