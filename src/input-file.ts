import { type FileHandle, open } from 'node:fs/promises';
import { UsageError } from './errors.js';
import { describeFsError } from './fs-errors.js';

/**
 * The most zdd reads from one input file (a config file, a manifest). Far
 * beyond any real one; it stops `--config /dev/zero` from filling the memory.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a text file named by `flag` (e.g. `--config`). Every failure is a
 * UsageError naming the flag and the path and saying what is wrong in words.
 * Devices and pipes are read too (`--config /dev/stdin`), up to `maxBytes`.
 */
export async function readInputFile(flag: string, path: string, maxBytes = MAX_INPUT_BYTES): Promise<string> {
  if (path === '') throw new UsageError(`${flag}: expected a file, got an empty path`);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path}: ${describeFsError(error)}`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new UsageError(`${flag}: cannot read ${path}: is a folder, expected a file`);
    if (info.size > maxBytes) throw tooLarge(flag, path, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK_BYTES), 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(flag, path, maxBytes);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag}: cannot read ${path}: ${describeFsError(error)}`);
  } finally {
    await handle.close();
  }
}

function tooLarge(flag: string, path: string, maxBytes: number): UsageError {
  return new UsageError(
    `${flag}: ${path} is larger than ${maxBytes / (1024 * 1024)} MiB, too large to be a text file zdd reads`,
  );
}
