import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';

export interface OutputFile {
  readonly name: string;
  readonly content: string;
}

/**
 * Writes all files or none: each goes to a temporary name first and is renamed
 * into place only once every one of them has been written.
 */
export async function writeFilesAtomically(dir: string, files: readonly OutputFile[]): Promise<void> {
  await ensureDirectory(dir);
  const temporary = files.map((file) => ({
    ...file,
    path: join(dir, file.name),
    temp: join(dir, `.${file.name}.${process.pid}.tmp`),
  }));
  try {
    for (const file of temporary) await writeFile(file.temp, file.content);
    for (const file of temporary) await rename(file.temp, file.path);
  } catch (error) {
    await Promise.all(temporary.map((file) => rm(file.temp, { force: true })));
    throw new UsageError(`--out: cannot write to ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function ensureDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--out: cannot create ${dir}: ${code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code}`,
    );
  }
  if (!(await stat(dir)).isDirectory()) throw new UsageError(`--out: ${dir} is not a directory`);
}
