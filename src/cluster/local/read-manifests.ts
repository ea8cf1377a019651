import type { Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readInputFile } from '../../input/input-file.js';
import { UsageError } from '../../runtime/errors.js';
import { describeFsError, fsErrorCode } from '../../runtime/fs-errors.js';
import { type ClusterObjects, objectNames, parseManifests } from './objects.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/;

/**
 * Reads manifests from files and folders: every .yaml/.yml/.json file in a
 * folder, in name order. As with `oc apply -f DIR` (no --recursive), folders
 * inside a folder are skipped, even when their name ends in .yaml.
 */
export async function readManifests(paths: readonly string[]): Promise<ClusterObjects> {
  const documents: Array<{ source: string; yaml: string }> = [];
  for (const path of paths) {
    for (const file of await manifestFiles(path)) {
      documents.push({ source: file, yaml: await readInputFile('--manifests', file) });
    }
  }
  const shown = paths.join(', ');
  if (documents.length === 0) throw new UsageError(`--manifests: no .yaml, .yml or .json files in ${shown}`);
  const objects = parseManifests(documents);
  if (objects.workloads.length === 0) {
    const found = objectNames(objects);
    throw new UsageError(
      `--manifests: no DeploymentConfig or Deployment in ${shown}; nothing to run (${found.length > 0 ? `found: ${found.join(', ')}` : 'found no objects'})`,
    );
  }
  return objects;
}

/** The files `path` stands for: itself, or the manifest files of a folder. */
async function manifestFiles(path: string): Promise<string[]> {
  if (path === '') throw new UsageError('--manifests: expected a file or folder, got an empty path');
  const info = await statEntry(path);
  if (!info.isDirectory()) return [path];
  const names = await readdir(path).catch((error: unknown) => {
    throw new UsageError(`--manifests: cannot list ${path}: ${describeFsError(error)}`);
  });
  const files: string[] = [];
  const skipped: string[] = [];
  for (const name of names.filter((entry) => MANIFEST_FILE.test(entry)).sort()) {
    const file = join(path, name);
    // Only regular files: a folder is not a manifest, and reading a pipe could wait forever.
    if ((await statEntry(file)).isFile()) files.push(file);
    else skipped.push(file);
  }
  if (files.length === 0 && skipped.length > 0) {
    throw new UsageError(
      `--manifests: no .yaml, .yml or .json files in ${path}, only ${skipped.join(', ')}, which ${skipped.length === 1 ? 'is not a regular file' : 'are not regular files'} (folders and pipes inside a folder are not read)`,
    );
  }
  return files;
}

async function statEntry(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    const code = fsErrorCode(error);
    const link = code === 'ENOENT' && (await lstat(path).catch(() => undefined))?.isSymbolicLink();
    const reason = link ? 'is a symbolic link to a path that does not exist' : describeFsError(error);
    const hint = code === 'ENOENT' && path === 'dist' ? '; run "zdd synth" first' : '';
    throw new UsageError(`--manifests: ${path}: ${reason}${hint}`);
  }
}
