import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { zdd } from '../helpers/cli.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { flat } from '../helpers/terminal-text.js';

/** A PASS that proves nothing says so in its exit code: through the real CLI, on the local cluster. */
let results: string;
beforeAll(async () => {
  results = await mkdtemp(join(tmpdir(), 'zdd-test-verdict-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
});

/** FAST_COMPARE with some of its flags replaced (a flag given twice is an error). */
function fast(overrides: Record<string, string>): string[] {
  const flags: string[] = [];
  for (let i = 0; i < FAST_COMPARE.length; i += 2) {
    const flag = FAST_COMPARE[i] ?? '';
    flags.push(flag, overrides[flag] ?? FAST_COMPARE[i + 1] ?? '');
  }
  return flags;
}

async function compare(args: readonly string[]) {
  const dir = await mkdtemp(join(results, 'run-'));
  const run = await zdd(['compare', '--load', 'builtin', ...args, '--results', dir]);
  const [folder] = (await readdir(dir)).filter((name) => !name.includes('.'));
  const summary =
    folder === undefined
      ? undefined
      : (JSON.parse(await readFile(join(dir, folder, 'summary.json'), 'utf8')) as CompareSummary);
  return { ...run, summary };
}

describe('the verdict needs proof', () => {
  test('a handful of requests is not a PASS: INCONCLUSIVE, exit 3, "too few to judge"', async () => {
    const run = await compare(fast({ '--rate': '1', '--warmup': '0', '--cooldown': '0' }));
    expect(run.exitCode, run.stdout).toBe(3);
    expect(flat(run.stdout)).toMatch(
      /INCONCLUSIVE: .*zero-downtime-app \(new connections\): \d+ requests, too few to judge \(at least 100 per connection pattern;/,
    );
    expect(run.summary?.verdict.outcome).toBe('inconclusive');
  });

  test('a default variant within the budget did not reproduce the problem: the PASS says so', async () => {
    const run = await compare([...FAST_COMPARE, '--max-error-rate', '100']);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.summary?.variants[0]?.failed).toBeGreaterThan(0);
    expect(run.summary?.verdict).toMatchObject({ outcome: 'pass', reproduced: false });
    expect(flat(run.stdout)).toMatch(
      /PASS: .* WARNING: this run did not reproduce the problem: default-app stayed within the budget too \(\d+ of \d+ failed, [\d.]+ %; budget 100\.00 % per connection pattern\)/,
    );
  });

  test('--require-reproduced: the same run is INCONCLUSIVE, exit 3', async () => {
    const run = await compare([...FAST_COMPARE, '--max-error-rate', '100', '--require-reproduced']);
    expect(run.exitCode, run.stdout).toBe(3);
    expect(flat(run.stdout)).toMatch(
      /INCONCLUSIVE: the run did not reproduce the problem \(--require-reproduced\): default-app stayed within the budget too/,
    );
    expect(run.summary?.settings).toMatchObject({ requireReproduced: true });
  });
});
