import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { type ClusterObjects, parseManifests } from './objects.js';

/** Reads manifests from files and folders (every .yaml/.yml/.json in a folder, in name order). */
export async function readManifests(paths: readonly string[]): Promise<ClusterObjects> {
  const documents: Array<{ source: string; yaml: string }> = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      throw new UsageError(`--manifests: ${path} does not exist${path === 'dist' ? '; run "zdd synth" first' : ''}`);
    }
    const files = info.isDirectory()
      ? (await readdir(path))
          .filter((name) => /\.(ya?ml|json)$/.test(name))
          .sort()
          .map((name) => join(path, name))
      : [path];
    for (const file of files) documents.push({ source: file, yaml: await readFile(file, 'utf8') });
  }
  if (documents.length === 0) throw new UsageError(`--manifests: no .yaml, .yml or .json files in ${paths.join(', ')}`);
  return parseManifests(documents);
}
