import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../../runtime/errors.js';
import { describeFsError, fsErrorCode } from '../../runtime/fs-errors.js';
import { DirectoryError, makeDirectory } from '../../runtime/make-directory.js';

export interface OutputFile {
  /** Path inside the folder; may name folders below it (`helm/app/values.yaml`), created as needed. */
  readonly name: string;
  readonly content: string;
}

export interface WriteOptions {
  /** The flag that named the folder, for messages. @default '--out' */
  readonly flag?: string;
  /**
   * Runs after every check has passed and every file is written to its
   * temporary name, just before the renames. Tests use it to change the folder
   * at the worst moment.
   * @default - nothing
   */
  readonly beforeReplace?: () => Promise<void>;
}

interface PlannedFile extends OutputFile {
  readonly path: string;
  readonly temp: string;
  /**
   * A copy of the file this one replaces, kept until every file is in place.
   * @default - none: there is no file to replace
   */
  readonly backup?: string;
}

/** A failed step: what could not be done and why in words, and what is left. */
class StepError extends Error {
  constructor(
    message: string,
    readonly outcome = 'nothing was written',
    /** Backups that could not be put back: kept for the user. */
    readonly keep: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * Writes all files or none. Every destination is checked first (it must be
 * absent or a regular file), each file goes to a temporary name, and only then
 * are they renamed into place; if a rename fails part-way, the files already
 * replaced get their old content back and folders zdd created are removed.
 * No temporary file is left behind.
 */
export async function writeFilesAtomically(
  dir: string,
  files: readonly OutputFile[],
  options: WriteOptions = {},
): Promise<void> {
  const flag = options.flag ?? '--out';
  if (dir === '') throw new UsageError(`${flag}: expected a folder, got an empty path`);
  const created: string[] = [];
  const leftovers: string[] = [];
  try {
    try {
      created.push(...(await makeDirectory(dir)));
    } catch (error) {
      if (error instanceof DirectoryError) throw new StepError(error.message);
      throw error;
    }
    const planned: PlannedFile[] = [];
    for (const file of files) {
      const path = join(dir, file.name);
      const folder = dirname(path);
      try {
        // Folders below `dir` (kustomize/base/), created and removed on failure like `dir` itself.
        created.push(...(await makeDirectory(folder)));
      } catch (error) {
        if (error instanceof DirectoryError) throw new StepError(error.message);
        throw error;
      }
      // Random, so that a file left by a killed run can never be mistaken for this run's.
      const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
      const exists = await checkDestination(path);
      const temp = join(folder, `.${basename(path)}.${suffix}.tmp`);
      const backup = exists ? join(folder, `.${basename(path)}.${suffix}.old`) : undefined;
      planned.push({ ...file, path, temp, backup });
    }
    for (const file of planned) {
      leftovers.push(file.temp);
      await step(`cannot write ${file.path}`, () => writeFile(file.temp, file.content, { flag: 'wx' }));
      if (file.backup) {
        const backup = file.backup;
        leftovers.push(backup);
        await step(`cannot back up ${file.path}`, () => copyFile(file.path, backup, constants.COPYFILE_EXCL));
      }
    }
    await options.beforeReplace?.();
    await replaceAll(planned);
  } catch (error) {
    const keep = error instanceof StepError ? error.keep : [];
    await removeAll(leftovers.filter((path) => !keep.includes(path)));
    for (const folder of created.reverse()) await rmdir(folder).catch(() => undefined);
    if (error instanceof StepError) throw new UsageError(`${flag}: ${error.message}; ${error.outcome}`);
    throw error;
  }
  await removeAll(leftovers);
}

/** Renames each temporary file over its destination; on a failure, puts back what was replaced. */
async function replaceAll(planned: readonly PlannedFile[]): Promise<void> {
  const done: PlannedFile[] = [];
  for (const file of planned) {
    try {
      await rename(file.temp, file.path);
      done.push(file);
    } catch (error) {
      const failed: string[] = [];
      const keep: string[] = [];
      for (const replaced of done.reverse()) {
        try {
          if (replaced.backup) await rename(replaced.backup, replaced.path);
          else await rm(replaced.path, { force: true });
        } catch {
          if (replaced.backup) keep.push(replaced.backup);
          failed.push(replaced.backup ? `${replaced.path} (its old content is in ${replaced.backup})` : replaced.path);
        }
      }
      const outcome = failed.length === 0 ? 'nothing was changed' : `could not restore ${failed.join(', ')}`;
      throw new StepError(`cannot replace ${file.path}: ${describeFsError(error)}`, outcome, keep);
    }
  }
}

/** True when `path` is a regular file to replace, false when it is absent; anything else is an error. */
async function checkDestination(path: string): Promise<boolean> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return false;
    throw new StepError(`cannot write ${path}: ${describeFsError(error)}`);
  }
  if (info.isFile()) return true;
  throw new StepError(`cannot write ${path}: ${info.isDirectory() ? 'is a folder' : 'is not a regular file'}`);
}

/** Runs a file-system step; a failure says what could not be done and why, in words. */
async function step(what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    throw new StepError(`${what}: ${describeFsError(error)}`);
  }
}

async function removeAll(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}
