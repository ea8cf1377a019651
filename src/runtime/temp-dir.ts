import {
  accessSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SetupError } from './errors.js';
import { describeFsError } from './fs-errors.js';
import { isRunning } from './is-running.js';
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
  const root = tmpdir();
  checkTempRoot(root);
  sweepStaleTempDirs(root);
  let path: string;
  try {
    path = mkdtempSync(join(root, `${PREFIX}${name}-`));
  } catch (error) {
    throw tempRootError(root, describeFsError(error));
  }
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

/**
 * Checks that zdd can make its temp folders in `root` (`$TMPDIR`, else /tmp):
 * a SetupError naming TMPDIR and what is wrong otherwise, before anything is
 * started.
 */
export function checkTempRoot(root = tmpdir()): void {
  let problem: string | undefined;
  try {
    if (!statSync(root).isDirectory()) problem = 'is a file, not a folder';
    else accessSync(root, constants.W_OK | constants.X_OK);
  } catch (error) {
    problem = describeFsError(error);
  }
  if (problem !== undefined) throw tempRootError(root, problem);
}

function tempRootError(root: string, problem: string): SetupError {
  const source = (process.env.TMPDIR ?? '') === '' ? `the temp folder ${root} (TMPDIR is not set)` : `TMPDIR (${root})`;
  return new SetupError(
    `${source}: ${problem}; zdd makes its temp folders there: set TMPDIR to a folder you can write to`,
  );
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
    // Only a regular file: reading a FIFO put there would block zdd for good.
    if (!statSync(join(path, OWNER_FILE)).isFile()) return undefined;
    const pid = Number(readFileSync(join(path, OWNER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
