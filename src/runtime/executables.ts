import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describeFsError } from './fs-errors.js';

/** True when `path` is a regular file this process may execute. */
export function isExecutableFile(path: string): boolean {
  return whyNotExecutable(path) === undefined;
}

/**
 * Why `path` cannot be run, in words ("does not exist", "is a folder", "is not
 * executable"); undefined when it is a regular file this process may execute.
 */
export function whyNotExecutable(path: string): string | undefined {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (error) {
    return describeFsError(error);
  }
  if (stats.isDirectory()) return 'is a folder, not a program';
  if (!stats.isFile()) return 'is not a regular file';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return 'is not executable (no execute permission)';
  }
  return undefined;
}

/** The folders of `PATH`, in order, empty entries left out. */
export function pathFolders(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.PATH ?? '').split(delimiter).filter((folder) => folder !== '');
}

/** The first executable `name` on `PATH`, as a shell would find it; undefined when there is none. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return pathFolders(env)
    .map((folder) => join(folder, name))
    .find(isExecutableFile);
}
