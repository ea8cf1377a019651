import { basename, dirname } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { BIN, EVERY_COMMAND, REPO, zdd } from '../helpers/cli.js';
import { RESULTS_FIXTURE, tempFolders } from '../helpers/report-fixtures.js';
import { linesWiderThan, tableRow, withColumns, wordsOf } from '../helpers/terminal-text.js';

/**
 * Output that fits the terminal, through the real CLI (npm run build first): `check`'s human output, `diff`'s
 * text, `report`'s table and every `--help` keep within COLUMNS (80 when piped), breaking lines at spaces only:
 * the same words at every width. (`compare`'s output: compare-width.e2e.test.ts.)
 */
const temp = tempFolders();

/** Runs zdd at `columns` wide (COLUMNS, stdout piped). */
async function at(columns: number, args: readonly string[], cwd?: string): Promise<string> {
  const result = await zdd(args, { env: withColumns(columns), timeout: 60_000, ...(cwd !== undefined && { cwd }) });
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result.stdout;
}

/** The output at 80 and 120 columns fits each; at 80 it has the words it has at 1000 (none cut). */
async function expectFits(args: readonly string[], cwd?: string): Promise<Record<number, string>> {
  const outputs: Record<number, string> = {};
  for (const columns of [80, 120, 1000]) outputs[columns] = await at(columns, args, cwd);
  expect(linesWiderThan(outputs[80] ?? '', 80)).toEqual([]);
  expect(linesWiderThan(outputs[120] ?? '', 120)).toEqual([]);
  expect(wordsOf(outputs[80] ?? '')).toEqual(wordsOf(outputs[1000] ?? ''));
  return outputs;
}

describe('at 80 and 120 columns', () => {
  test('check: findings with long messages wrap at spaces under their column', async () => {
    const { 80: narrow = '', 1000: wide = '' } = await expectFits(['check', 'test/fixtures/check/rules']);
    expect(linesWiderThan(wide, 80)).not.toEqual([]);
    // A finding's message and its fix go on under the column they start in.
    expect(narrow).toMatch(/\n {10}\S.{40,}\n {10}\S/);
  });

  test('diff: the variants’ changes and their reasons', async () => {
    const { 1000: wide = '' } = await expectFits(['diff']);
    expect(linesWiderThan(wide, 80)).not.toEqual([]);
  });

  test('report: the deciding columns by default; --wide adds the others', async () => {
    // From the folder above it: a path is a word, which no width breaks, and the suite's temp paths are long.
    const folder = await temp.copy();
    const { 80: narrow = '' } = await expectFits(['report', basename(folder)], dirname(folder));
    // The head in two lines at 80 columns, its words whole.
    expect(narrow).toMatch(/^ +longest {2,}p95$/m);
    expect(tableRow(narrow, 'variant')).toEqual(['requests', 'failed', 'error rate', 'outage (ms)', '(ms)', 'budget']);
    expect(tableRow(narrow, 'default-app')?.at(-1)).toBe('✗ over');
    expect(tableRow(narrow, 'zero-downtime-app')?.at(-1)).toBe('✓ ok');
    for (const extra of ['transactions', 'TPS', 'p99 (ms)', 'refused', 'not sent on time'])
      expect(narrow).not.toContain(extra);
    const wide = await at(1000, ['report', basename(folder), '--wide'], dirname(folder));
    const head = tableRow(wide, 'variant');
    for (const extra of ['transactions', 'avg (ms)', 'TPS', 'p99 (ms)', 'max (ms)', 'refused', '5xx', 'budget'])
      expect(head).toContain(extra);
  });

  test('report of the fixture as it is: no rule between rows, no colour when piped', async () => {
    const text = await at(80, ['report', RESULTS_FIXTURE, '--out', await temp.folder()]);
    const lines = text.split('\n');
    const rules = lines.filter((line) => /^[─ ]+$/.test(line));
    // One rule under each table's head: the comparison and the rollouts.
    expect(rules).toHaveLength(2);
    expect(text).not.toContain('\u001b[');
  });
});

describe.each(EVERY_COMMAND.map((command) => [command.join(' ') || '(no command)', command] as const))(
  'zdd %s --help',
  (_name, command) => {
    test('COLUMNS=80: no line wider than 80; the words of COLUMNS=120 (none cut)', async () => {
      const narrow = await at(80, [...command, '--help']);
      const wide = await at(120, [...command, '--help']);
      expect(linesWiderThan(narrow, 80)).toEqual([]);
      expect(linesWiderThan(wide, 120)).toEqual([]);
      expect(wordsOf(narrow)).toEqual(wordsOf(wide));
    });
  },
);

const hasScript = (await execa('script', ['--version'], { reject: false })).exitCode === 0;

describe('colour', () => {
  /** `zdd report` on a terminal 100 columns wide (util-linux's `script`), with `env` added. */
  const onTerminal = async (folder: string, env: Record<string, string>) => {
    const line = `stty cols 100 rows 50; exec "${process.execPath}" "${BIN}" report "${folder}"`;
    const result = await execa('script', ['-qec', line, '/dev/null'], {
      cwd: REPO,
      reject: false,
      env: { TERM: 'xterm', ...env },
      extendEnv: false,
      timeout: 60_000,
    });
    return result.stdout.replace(/\r/g, '');
  };

  test.skipIf(!hasScript)(
    `on a terminal the budget marks are coloured, unless NO_COLOR${hasScript ? '' : ' — skipped: util-linux script is not installed'}`,
    async () => {
      const folder = await temp.copy();
      const coloured = await onTerminal(folder, {});
      expect(coloured).toContain('\u001b[31m✗ over\u001b[39m');
      expect(coloured).toContain('\u001b[32m✓ ok\u001b[39m');
      expect(linesWiderThan(coloured, 100)).toEqual([]);
      expect(await onTerminal(folder, { NO_COLOR: '1' })).not.toContain('\u001b[');
    },
  );
});
