import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { describeFsError, fsErrorCode } from '../fs-errors.js';
import { InputFileError } from '../input-file-error.js';

/**
 * Feeds every line of a text file (without its line break) to `onLine`, in
 * order, without holding the file in memory (a run's samples may be hundreds of
 * megabytes). Returns whether the file ends with a line break: a file whose
 * last line has none may have been cut off. Errors name `file`.
 */
export async function readLines(
  path: string,
  file: string,
  onLine: (line: string, number: number) => void,
): Promise<boolean> {
  const endsWithNewline = await lastByteIsNewline(path, file);
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let number = 0;
  try {
    for await (const line of lines) onLine(line, ++number);
  } catch (error) {
    // What `onLine` throws is the caller's; only a failure to read is said here.
    if (error instanceof InputFileError || fsErrorCode(error) === undefined) throw error;
    throw new InputFileError(file, `cannot be read: ${describeFsError(error)}`);
  } finally {
    lines.close();
  }
  return endsWithNewline;
}

async function lastByteIsNewline(path: string, file: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new InputFileError(file, describeFsError(error));
  }
  try {
    const { size, isDirectory } = await handle
      .stat()
      .then((stat) => ({ size: stat.size, isDirectory: stat.isDirectory() }));
    if (isDirectory) throw new InputFileError(file, 'is a folder, expected a file');
    if (size === 0) return true;
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 10;
  } finally {
    await handle.close();
  }
}
