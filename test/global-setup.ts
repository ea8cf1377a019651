import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isRunning } from '../src/runtime/is-running.js';

const PREFIX = 'zdd-suite-tmp.';

/** Caches that tools keep on purpose between runs, not folders a run forgot. */
const CACHES = /^(tsx-\d+|hsperfdata_.*|v8-compile-cache.*|node-compile-cache)$/;

/**
 * The whole suite runs with a TMPDIR of its own (the test files, and every CLI, watchdog and tool they start,
 * inherit it), and fails if anything is left in it at the end: no temp folder may outlive the command that
 * made it. Watchdogs of killed runs clean up after their parent died, so leftovers get a few seconds to go.
 */
export default function setup(): () => Promise<void> {
  // Each project runs the global setup; the first one owns the folder.
  if (process.env.ZDD_SUITE_TMPDIR) return async () => {};
  sweepStale(tmpdir());
  const root = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}.`));
  // Like /tmp: the tests that run zdd as an unprivileged user need to reach their folders in it.
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  process.env.ZDD_SUITE_TMPDIR = root;
  return async () => {
    let left = leftovers(root);
    for (let waited = 0; left.length > 0 && waited < 15_000; waited += 500) {
      await delay(500);
      left = leftovers(root);
    }
    rmSync(root, { recursive: true, force: true });
    if (left.length === 0) return;
    // vitest reports an error thrown here but still exits 0: set the exit code too.
    process.exitCode = 1;
    throw new Error(`the tests left these in their TMPDIR (${root}): ${left.join(', ')}`);
  };
}

/** The folder of a suite that was killed before its teardown (its vitest is gone) goes at the next run. */
function sweepStale(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(name.startsWith(PREFIX) ? name.slice(PREFIX.length).split('.')[0] : Number.NaN);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid))
      rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function leftovers(root: string): string[] {
  return readdirSync(root).filter((name) => !CACHES.test(name));
}
