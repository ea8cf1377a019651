import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { zdd } from '../helpers/cli.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { linesWiderThan, tableRow, withColumns } from '../helpers/terminal-text.js';

/**
 * `COLUMNS=80 zdd compare --time-scale 0.1` prints no line longer than 80 characters, and at 120 none longer
 * than 120 (the real CLI, the local cluster, the built-in load; one round of the fast profile each). `--wide`:
 * terminal-width.e2e.test.ts, through `zdd report` of a results folder.
 */
let results: string;
beforeAll(async () => {
  results = await mkdtemp(join(tmpdir(), 'zdd-test-results-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
});

test.for([80, 120])('COLUMNS=%i: no line of compare’s output is wider; the deciding columns', async (columns) => {
  // Run from the results' folder: a path is a word, which no width breaks, and the suite's temp paths are long.
  const result = await zdd(['compare', '--load', 'builtin', ...FAST_COMPARE, '--results', `r${columns}`], {
    env: withColumns(columns),
    cwd: results,
  });
  expect(result.exitCode, result.stderr).toBe(0);
  expect(linesWiderThan(result.stdout, columns)).toEqual([]);
  expect(result.stdout).toContain('PASS: zero-downtime-app failed 0 of');
  expect(tableRow(result.stdout, 'default-app')?.at(-1)).toBe('✗ over');
  expect(tableRow(result.stdout, 'zero-downtime-app')?.at(-1)).toBe('✓ ok');
  expect(tableRow(result.stdout, 'new connections')).toHaveLength(6);
  expect(result.stdout).not.toContain('transactions');
});
