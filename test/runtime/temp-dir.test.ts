import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, sweepStaleTempDirs } from '../../src/runtime/temp-dir.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zdd-test-sweep-'));
  roots.push(dir);
  return dir;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('temp folders', () => {
  test('makeTempDir names its owner; remove() deletes it', () => {
    const dir = makeTempDir('test');
    expect(readFileSync(join(dir.path, '.zdd-owner'), 'utf8').trim()).toBe(String(process.pid));
    dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });

  test('the sweep removes the folders of zdd processes that are gone, and nothing else', () => {
    const base = root();
    const stale = join(base, 'zdd-local-stale');
    const live = join(base, 'zdd-local-live');
    const foreign = join(base, 'zdd-something-else');
    const other = join(base, 'not-zdd');
    for (const dir of [stale, live, foreign, other]) mkdirSync(dir);
    writeFileSync(join(stale, '.zdd-owner'), `${deadPid()}\n`);
    writeFileSync(join(live, '.zdd-owner'), `${process.pid}\n`);
    writeFileSync(join(other, '.zdd-owner'), `${deadPid()}\n`);
    expect(sweepStaleTempDirs(base)).toEqual([stale]);
    expect([stale, live, foreign, other].map(existsSync)).toEqual([false, true, true, true]);
  });
});
