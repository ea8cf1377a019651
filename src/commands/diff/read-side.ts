import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiffSide } from '../../diff/diff-report.js';
import { parseManifestObjects } from '../../diff/parse-manifests.js';
import { readInputFile } from '../../input/input-file.js';
import { type ManifestObject, objectName } from '../../kubernetes/object.js';
import { UsageError } from '../../runtime/errors.js';
import { describeFsError } from '../../runtime/fs-errors.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/;

/**
 * One side of `zdd diff A B`: a manifest file, or a folder read like
 * `oc apply -f DIR` (its .yaml, .yml and .json files in name order, not the
 * folders inside it). Two objects of the same kind and name on one side are an
 * error: which one to compare would be a guess.
 */
export async function readSide(path: string): Promise<DiffSide> {
  if (path === '') throw new UsageError('diff: expected a file or folder, got an empty path');
  const info = await stat(path).catch((error: unknown) => {
    throw new UsageError(`diff: cannot read ${path}: ${describeFsError(error)}`);
  });
  const files = info.isDirectory() ? await manifestFiles(path) : [path];
  const objects: ManifestObject[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    for (const object of parseManifestObjects(file, await readInputFile('diff', file))) {
      const id = objectName(object);
      const first = seen.get(id);
      if (first !== undefined) {
        throw new UsageError(
          `${file}: a second ${id} (the first is in ${first}); each object may appear once per side`,
        );
      }
      seen.set(id, file);
      objects.push(object);
    }
  }
  if (objects.length === 0) throw new UsageError(`diff: ${path}: no Kubernetes objects in it`);
  return { label: path, objects };
}

async function manifestFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch((error: unknown) => {
    throw new UsageError(`diff: cannot list ${folder}: ${describeFsError(error)}`);
  });
  const files: string[] = [];
  for (const name of names.filter((entry) => MANIFEST_FILE.test(entry)).sort()) {
    const file = join(folder, name);
    // Only regular files: a folder is not a manifest, and reading a pipe could wait forever.
    if ((await stat(file).catch(() => undefined))?.isFile()) files.push(file);
  }
  if (files.length === 0) throw new UsageError(`diff: ${folder}: no .yaml, .yml or .json files in this folder`);
  return files;
}
