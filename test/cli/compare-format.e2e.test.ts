import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { zdd } from '../helpers/cli.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { tempFolders } from '../helpers/report-fixtures.js';
import { boxed, flat } from '../helpers/terminal-text.js';

/** `zdd compare --format`: what goes to stdout; the run's report is written either way. Fast profile, builtin load. */
const FAST = ['--load', 'builtin', ...FAST_COMPARE];
const temp = tempFolders();

async function onlyRun(results: string): Promise<string> {
  const [folder, ...others] = await readdir(results);
  expect(others).toEqual([]);
  return join(results, folder ?? '');
}

describe('zdd compare --format', () => {
  test('json: stdout is summary.json, byte for byte; the table and the verdict go to stderr', async () => {
    const results = await temp.folder();
    const result = await zdd(['compare', ...FAST, '--format', 'json', '--results', results]);
    expect(result.exitCode, result.stderr).toBe(0);
    const folder = await onlyRun(results);
    expect(`${result.stdout}\n`).toBe(await readFile(join(folder, 'summary.json'), 'utf8'));
    const summary = JSON.parse(result.stdout) as CompareSummary;
    expect(flat(result.stderr)).toContain(summary.verdict.message);
    expect(boxed(result.stderr)).toMatch(/│ default-app │ \d+/);
    // What the latency figures are, under the table and in summary.json; min, median and p90 in summary.json.
    expect(summary.latency?.measure).toBe('total');
    expect(result.stderr).toMatch(
      /\n {2}reused connections .*\nlatency \(avg, percentiles, max\): total: from the request's start,/,
    );
    for (const variant of summary.variants) {
      // Optional in the format (a folder from before zdd recorded them); compare writes them.
      const { minMs = Number.NaN, medianMs = Number.NaN, p90Ms = Number.NaN } = variant;
      expect(minMs).toBeLessThanOrEqual(medianMs);
      expect(medianMs).toBeLessThanOrEqual(p90Ms);
      expect(p90Ms).toBeLessThanOrEqual(variant.p95Ms);
    }
    expect(flat(result.stderr)).toContain(
      `results: ${folder}/ (summary.json, samples.ndjson, events.json, logs/, report.html, report.md, timeline.svg)`,
    );
    expect(summary.variantDelta?.map((difference) => `${difference.kind} ${difference.path}`)).toEqual([
      'DeploymentConfig spec.strategy.rollingParams',
      'DeploymentConfig spec.template.spec.containers[0].lifecycle',
      'DeploymentConfig spec.template.spec.containers[0].readinessProbe',
      'DeploymentConfig spec.template.spec.terminationGracePeriodSeconds',
      'PodDisruptionBudget spec',
    ]);
  });

  test('markdown: stdout is the report, its figures those of summary.json; table (the default): the table', async () => {
    const results = await temp.folder();
    const result = await zdd(['compare', ...FAST, '--format', 'markdown', '--results', results]);
    expect(result.exitCode, result.stderr).toBe(0);
    const folder = await onlyRun(results);
    const summary = JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8')) as CompareSummary;
    expect(result.stdout).toMatch(/^# zdd compare: default-app vs zero-downtime-app\n/);
    expect(result.stdout).toContain(`](${folder}/timeline.svg)`);
    expect(result.stdout).not.toContain('│');
    for (const variant of summary.variants) {
      const row = result.stdout.split('\n').find((line) => line.startsWith(`| ${variant.name} |`)) ?? '';
      expect(row.split(' | ').slice(1, 11)).toEqual([
        String(variant.requests),
        variant.avgMs.toFixed(1),
        `${(variant.errorRate * 100).toFixed(2)} %`,
        variant.tps.toFixed(1),
        (variant.minMs ?? Number.NaN).toFixed(1),
        (variant.medianMs ?? Number.NaN).toFixed(1),
        (variant.p90Ms ?? Number.NaN).toFixed(1),
        variant.p95Ms.toFixed(1),
        variant.p99Ms.toFixed(1),
        variant.maxMs.toFixed(1),
      ]);
    }
    expect(result.stdout).toContain(summary.verdict.message);
    expect(`${result.stdout}\n`).toBe(
      (await readFile(join(folder, 'report.md'), 'utf8')).replaceAll('](timeline.svg)', `](${folder}/timeline.svg)`),
    );
    const table = await zdd(['report', folder]);
    expect(table.stdout).toContain(result.stderr.split('\n').find((line) => line.startsWith('default-app ')) ?? 'none');
  });
});
