import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

/** A real run's results folder (test/fixtures/compare-run/README.md). */
export const RESULTS_FIXTURE = fileURLToPath(new URL('../fixtures/compare-run/local-builtin', import.meta.url));
/** Real JMeter and k6 files (test/fixtures/importers/README.md). */
export const JMETER = fileURLToPath(new URL('../fixtures/importers/jmeter-2.13', import.meta.url));
export const K6 = fileURLToPath(new URL('../fixtures/importers/k6-v1.8.1', import.meta.url));

/**
 * A temp folder per test, removed after it (call at the top level of a test file). `copy()` makes a copy of the
 * results fixture in it, named `name`.
 */
export function tempFolders(): { folder(): Promise<string>; copy(name?: string): Promise<string> } {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const folder = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zdd-test-report-'));
    made.push(dir);
    return dir;
  };
  return {
    folder,
    async copy(name = '2026-11-29T19-01-21-075Z') {
      const target = join(await folder(), name);
      await cp(RESULTS_FIXTURE, target, { recursive: true });
      return target;
    },
  };
}
