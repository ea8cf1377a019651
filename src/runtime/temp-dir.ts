import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchdog } from './watchdog.js';

/** A temp folder that zdd owns; `remove()` deletes it, the watchdog does if zdd dies first. */
export interface TempDir {
  readonly path: string;
  remove(): void;
}

const PREFIX = 'zdd-';
const OWNER_FILE = '.zdd-owner';

/**
 * Makes `<tmpdir>/zdd-<name>-XXXXXX`, registered with the watchdog. First it
 * sweeps the folders of earlier zdd processes that no longer run (left behind
 * when even the watchdog was killed), recognised by the owner file in each.
 */
export function makeTempDir(name: string): TempDir {
  sweepStaleTempDirs();
  const path = mkdtempSync(join(tmpdir(), `${PREFIX}${name}-`));
  writeFileSync(join(path, OWNER_FILE), `${process.pid}\n`);
  watchdog().addDir(path);
  let removed = false;
  return {
    path,
    remove() {
      if (removed) return;
      removed = true;
      rmSync(path, { recursive: true, force: true });
      watchdog().removeDir(path);
    },
  };
}

/** Removes zdd temp folders whose owning process has exited. */
export function sweepStaleTempDirs(root = tmpdir()): string[] {
  const swept: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root).filter((entry) => entry.startsWith(PREFIX));
  } catch {
    return swept;
  }
  for (const entry of names) {
    const path = join(root, entry);
    const owner = ownerOf(path);
    if (owner === undefined || owner === process.pid || isRunning(owner)) continue;
    rmSync(path, { recursive: true, force: true });
    swept.push(path);
  }
  return swept;
}

function ownerOf(path: string): number | undefined {
  try {
    if (statSync(path).uid !== process.getuid?.()) return undefined;
    const pid = Number(readFileSync(join(path, OWNER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
