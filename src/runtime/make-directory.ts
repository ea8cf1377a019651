import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeFsError, fsErrorCode } from './fs-errors.js';

/** A folder that cannot be created or written to; the message says which and why, in words. */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

/**
 * Creates `dir` and any missing parents one level at a time; returns the
 * folders it created (for the caller to remove if what follows fails).
 * Node's recursive mkdir loops forever where a parent exists but refuses new
 * folders (procfs answers ENOENT for its own children), so the nearest
 * existing ancestor is found and checked first.
 */
export async function makeDirectory(dir: string): Promise<string[]> {
  const created: string[] = [];
  const missing: string[] = [];
  let existing = resolve(dir);
  for (;;) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(existing);
    } catch (error) {
      const code = fsErrorCode(error);
      const parent = dirname(existing);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing) {
        throw new DirectoryError(`cannot use ${dir}: ${existing}: ${describeFsError(error)}`);
      }
      missing.unshift(existing);
      existing = parent;
      continue;
    }
    if (info.isDirectory()) break;
    throw new DirectoryError(
      missing.length === 0
        ? `${dir} is a file, not a folder`
        : `cannot create ${dir}: ${existing} is a file, not a folder`,
    );
  }
  const target = missing.length === 0 ? dir : `${existing} (to create ${dir})`;
  try {
    await access(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new DirectoryError(`cannot write to ${target}: ${describeFsError(error)}`);
  }
  for (const level of missing) {
    try {
      await mkdir(level);
      created.push(level);
    } catch (error) {
      const code = fsErrorCode(error);
      if (code === 'EEXIST' && (await stat(level).catch(() => undefined))?.isDirectory()) continue;
      // The parent exists and is writable, so ENOENT here means its file system takes no new folders.
      const reason = code === 'ENOENT' ? `${dirname(level)} does not allow new folders` : describeFsError(error);
      throw new DirectoryError(`cannot create ${level}: ${reason}`);
    }
  }
  return created;
}
