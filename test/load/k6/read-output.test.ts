/**
 * The parsers' fixes as a k6 run sees them: a fake `k6` writes real k6 files (test/fixtures/k6/v1.8.1)
 * where zdd asked for them, and `startK6` reads them as after a real run.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { K6Error, type StartK6Options, startK6 } from '../../../src/load/k6/run.js';

const fixtures = fileURLToPath(new URL('../../fixtures/k6/v1.8.1/', import.meta.url));
const tempDirs: string[] = [];

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zdd-k6-output-test-'));
  tempDirs.push(dir);
  return dir;
}

/** A fake `k6` that copies `summary` and `samples` (fixture names) to the paths zdd gives it, then exits 0. */
function fakeK6(summary: string, samples: string): string {
  const path = join(tempDir(), 'k6');
  const script = [
    '#!/bin/sh',
    'for arg in "$@"; do',
    '  case "$arg" in',
    '    SUMMARY_FILE=*) summary=$(printf %s "$arg" | cut -d= -f2-) ;;',
    '    json=*) samples=$(printf %s "$arg" | cut -d= -f2-) ;;',
    '  esac',
    'done',
    `cp '${fixtures}${summary}' "$summary"`,
    `cp '${samples}' "$samples"`,
    'exit 0',
    '',
  ].join('\n');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return path;
}

function options(k6Path: string, targets: readonly string[]): StartK6Options {
  return {
    targets: targets.map((name) => ({ name, url: 'http://127.0.0.1:9/' })),
    rate: 4,
    maxDurationMs: 10_000,
    workDir: tempDir(),
    k6Path,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the promise resolved');
}

describe('startK6 reads real k6 files it used to misread', () => {
  test('a summary without p(90)/p(95) (--summary-trend-stats avg,min,max) is a result, not an error', async () => {
    const k6Path = fakeK6('trend-avg-min-max.summary.json', `${fixtures}network-errors.ndjson`);
    const result = await startK6(options(k6Path, ['ok', 'http-503'])).done;
    expect(result.summary.variants.get('http-503')).toMatchObject({ requests: 6, failed: 6 });
    expect(result.summary.variants.get('http-503')?.p95Ms).toBeUndefined();
    expect(result.summary.warnings).toHaveLength(1);
  });

  test('two requests that end at the same time stay two samples', async () => {
    const k6Path = fakeK6('setup-teardown.summary-export.json', `${fixtures}same-end-time.ndjson`);
    const result = await startK6(options(k6Path, ['ok', 'flaky'])).done;
    const flaky = result.samples.filter((sample) => sample.target === 'flaky');
    expect(flaky.map((sample) => sample.error ?? 'ok').sort()).toEqual(['http_5xx', 'http_5xx', 'ok', 'ok']);
  });

  test('a text file in place of the JSON output → K6Error naming its line, not "0 samples"', async () => {
    const text = join(tempDir(), 'notes.txt');
    writeFileSync(text, 'k6 run finished\n');
    const k6Path = fakeK6('network-errors.summary.json', text);
    const error = await rejection(startK6(options(k6Path, ['ok', 'http-503'])).done);
    expect(error).toBeInstanceOf(K6Error);
    expect((error as K6Error).shortMessage).toMatch(
      /^k6's JSON output \S+k6-samples\.ndjson cannot be read: line 1 of k6's JSON output: not JSON: `k6 run finished`$/,
    );
  });
});
