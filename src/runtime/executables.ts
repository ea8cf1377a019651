import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when `path` is a regular file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
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
