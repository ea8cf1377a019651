import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { UsageError } from '../runtime/errors.js';
import { describeFsError, fsErrorCode } from '../runtime/fs-errors.js';
import { InputFileError } from './input-file-error.js';

/**
 * The most zdd reads from one input file (a config file, a manifest), and the
 * longest line it reads from a file of lines (a JMeter CSV, k6 output,
 * samples.ndjson). Far beyond any real one; it stops a file without line breaks
 * from filling the memory.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** `MAX_INPUT_BYTES` in words, for messages. */
export const MAX_INPUT_TEXT = `${MAX_INPUT_BYTES / (1024 * 1024)} MiB`;

const CHUNK_BYTES = 1024 * 1024;

/**
 * How a message names the file: by the flag or argument it came from
 * (`--config` → "--config: cannot read PATH: why"), or, for a file zdd found
 * itself (a results folder's summary.json) or one a report lists by name
 * (`zdd check`), undefined → an `InputFileError` ("PATH: why").
 */
export type InputLabel = string | undefined;

/**
 * Opens a user's file for reading. Only regular files: a FIFO would block
 * open() until something writes to it, in libuv's threadpool where neither
 * Ctrl-C nor process.exit() reaches it, and a device or socket is no file of
 * settings or results. Each refusal is a UsageError naming the flag (if any),
 * the path and what it is instead.
 */
export async function openInputFile(label: InputLabel, path: string): Promise<FileHandle> {
  if (path === '') throw refusal(label, path, 'expected a file, got an empty path');
  // stat() never blocks on a FIFO: it names what the path is before anything opens it.
  const before = await stat(path).catch((error: unknown) => {
    throw cannotRead(label, path, error);
  });
  refuseIrregular(label, path, before);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a path swapped for a FIFO since stat() still opens at once; fstat() below names it then.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(label, path, error);
  }
  try {
    refuseIrregular(label, path, await handle.stat());
  } catch (error) {
    await handle.close();
    throw error instanceof UsageError ? error : cannotRead(label, path, error);
  }
  return handle;
}

/**
 * Reads a user's text file whole, up to `maxBytes` (see `openInputFile` for
 * what is refused). Every failure is a UsageError naming the flag (if any) and
 * the path and saying what is wrong in words.
 */
export async function readInputFile(label: InputLabel, path: string, maxBytes = MAX_INPUT_BYTES): Promise<string> {
  const handle = await openInputFile(label, path);
  try {
    const info = await handle.stat();
    if (info.size > maxBytes) throw tooLarge(label, path, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    // One buffer of about the file's size, read into again: a fresh megabyte for every read made a check of 900
    // files allocate 1.8 GB. At least a page: files of /proc say they are empty.
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(info.size + 1, 4096)));
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // The file may grow while it is read.
      if (total > maxBytes) throw tooLarge(label, path, maxBytes);
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw cannotRead(label, path, error);
  } finally {
    await handle.close();
  }
}

/**
 * Feeds every line of a user's text file (without its line break; `\r\n` is
 * one) to `onLine`, in order, streaming: the file may be of any size (a run's
 * samples may be hundreds of megabytes), but a line longer than
 * `maxLineBytes` is an error naming the file and the line, never a string too
 * long to hold. Returns whether the file ends with a line break: a last line
 * without one may have been cut off. What `onLine` throws is passed on.
 */
export async function readInputLines(
  label: InputLabel,
  path: string,
  onLine: (line: string, number: number) => void,
  maxLineBytes = MAX_INPUT_BYTES,
): Promise<boolean> {
  const handle = await openInputFile(label, path);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  let lastByte = 10; // an empty file ends where a line would
  const tooLong = () =>
    new InputFileError(
      path,
      `longer than ${maxLineBytes / (1024 * 1024)} MiB without a line break: not a file of lines zdd reads`,
      number + 1,
    );
  try {
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK_BYTES), 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      lastByte = chunk[bytesRead - 1] as number;
      let start = 0;
      for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, end);
        if (pendingBytes + piece.length > maxLineBytes) throw tooLong();
        onLine(lineText(pending.length === 0 ? piece : Buffer.concat([...pending, piece])), ++number);
        pending = [];
        pendingBytes = 0;
        start = end + 1;
      }
      if (start < bytesRead) {
        pendingBytes += bytesRead - start;
        if (pendingBytes > maxLineBytes) throw tooLong();
        pending.push(chunk.subarray(start));
      }
    }
    if (pendingBytes > 0) onLine(lineText(Buffer.concat(pending)), ++number);
    return lastByte === 10;
  } catch (error) {
    // Only a failure to read is said here; what `onLine` throws is the caller's.
    if (error instanceof UsageError || fsErrorCode(error) === undefined) throw error;
    throw cannotRead(label, path, error);
  } finally {
    await handle.close();
  }
}

/** A line's bytes as text, without the `\r` of a `\r\n` line break. */
function lineText(bytes: Buffer): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}

/** A failure to read (or open) the file, in words. */
function cannotRead(label: InputLabel, path: string, error: unknown): UsageError {
  return label === undefined
    ? new InputFileError(path, `cannot read: ${describeFsError(error)}`)
    : new UsageError(`${label}: cannot read ${path}: ${describeFsError(error)}`);
}

function refuseIrregular(label: InputLabel, path: string, info: Stats): void {
  if (info.isFile()) return;
  if (info.isDirectory()) {
    throw label === undefined
      ? new InputFileError(path, 'is a folder, expected a file')
      : new UsageError(`${label}: cannot read ${path}: is a folder, expected a file`);
  }
  throw refusal(label, path, `is ${whatItIs(info)}, expected a regular file`);
}

/** What a path that is not a regular file or a folder is. */
function whatItIs(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function tooLarge(label: InputLabel, path: string, maxBytes: number): UsageError {
  return refusal(label, path, `is larger than ${maxBytes / (1024 * 1024)} MiB, too large to be a text file zdd reads`);
}

/** "--config: PATH is …", or "PATH: is …" for a file without a flag. */
function refusal(label: InputLabel, path: string, problem: string): UsageError {
  if (label === undefined) return new InputFileError(path === '' ? '""' : path, problem);
  return new UsageError(path === '' ? `${label}: ${problem}` : `${label}: ${path} ${problem}`);
}
