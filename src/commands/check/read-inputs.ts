import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { InputProblem } from '../../check/input-problem.js';
import type { Note } from '../../check/note.js';
import type { InputText } from '../../check/run-check.js';
import { MAX_INPUT_BYTES, readInputFile } from '../../input/input-file.js';
import { InputFileError } from '../../input/input-file-error.js';
import { InterruptedError, UsageError } from '../../runtime/errors.js';
import { describeFsError } from '../../runtime/fs-errors.js';

/** How standard input is named in reports. */
export const STDIN_NAME = '<stdin>';

const MANIFEST_FILE = /\.(ya?ml|json)$/;

/** What the paths given to `zdd check` hold: the texts read, what could not be read, and what was passed over. */
export interface ReadInputs {
  readonly inputs: InputText[];
  readonly problems: InputProblem[];
  readonly notes: Note[];
}

/**
 * Reads files, folders (their .yaml, .yml and .json files in name order, as
 * `oc apply -f DIR` does without --recursive: folders inside are passed over,
 * with a note) and `-` for standard input. A path that cannot be read is a
 * problem and the others are still read.
 */
export async function readInputs(
  paths: readonly string[],
  stdin: AsyncIterable<unknown>,
  signal?: AbortSignal,
): Promise<ReadInputs> {
  if (paths.filter((path) => path === '-').length > 1) {
    throw new UsageError('"-" (standard input) is given more than once; give it once');
  }
  const result: ReadInputs = { inputs: [], problems: [], notes: [] };
  for (const path of paths) {
    if (path === '-') {
      result.inputs.push({ file: STDIN_NAME, text: await readStream(stdin, signal) });
      continue;
    }
    if (path === '') {
      result.problems.push({ file: '""', line: undefined, message: 'an empty path; expected a file, a folder or -' });
      continue;
    }
    const info = await stat(path).catch((error: unknown) => {
      result.problems.push({ file: path, line: undefined, message: `cannot read: ${describeFsError(error)}` });
      return undefined;
    });
    if (info === undefined) continue;
    if (info.isDirectory()) await readFolder(path, result);
    else await readFile(path, result);
  }
  return result;
}

async function readFolder(folder: string, result: ReadInputs): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(folder)).sort();
  } catch (error) {
    result.problems.push({ file: folder, line: undefined, message: `cannot list: ${describeFsError(error)}` });
    return;
  }
  let found = 0;
  const folders: string[] = [];
  for (const name of names.filter((entry) => !MANIFEST_FILE.test(entry) && !entry.startsWith('.'))) {
    if ((await stat(join(folder, name)).catch(() => undefined))?.isDirectory()) folders.push(join(folder, name));
  }
  if (folders.length > 0) {
    result.notes.push({
      location: undefined,
      object: undefined,
      message: `not read: ${folders.join(', ')} (folders inside a folder are not read, as with oc apply -f DIR; name them to check them)`,
    });
  }
  for (const name of names.filter((entry) => MANIFEST_FILE.test(entry))) {
    const file = join(folder, name);
    const info: Stats | undefined = await stat(file).catch(() => undefined);
    if (info?.isFile()) {
      found += 1;
      await readFile(file, result);
    } else {
      result.notes.push({
        location: undefined,
        object: undefined,
        message: `${file}: passed over: not a regular file (folders inside a folder are not read)`,
      });
    }
  }
  if (found === 0) {
    result.problems.push({ file: folder, line: undefined, message: 'no .yaml, .yml or .json files in this folder' });
  }
}

async function readFile(file: string, result: ReadInputs): Promise<void> {
  try {
    result.inputs.push({ file, text: await readInputFile(undefined, file) });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    // The report names the file already; a pipe named by path is refused (it could wait forever): - reads stdin.
    const hint = / expected a regular file$/.test(error.problem) ? ' (for standard input, give -)' : '';
    result.problems.push({ file, line: undefined, message: `${error.problem}${hint}` });
  }
}

/**
 * Standard input, bounded like a file (a stray `/dev/zero` must not fill the
 * memory). Ctrl-C or SIGTERM (`signal`) ends the wait for a writer that never
 * closes it: the stream is destroyed, and the run ends with 130.
 */
async function readStream(stream: AsyncIterable<unknown>, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) throw InterruptedError.fromAbort(signal);
  const stop = () => (stream as Partial<Readable>).destroy?.();
  signal?.addEventListener('abort', stop, { once: true });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      total += buffer.length;
      if (total > MAX_INPUT_BYTES) {
        throw new UsageError(
          `standard input is larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, too large to be manifests zdd reads`,
        );
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (signal?.aborted) throw InterruptedError.fromAbort(signal);
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  if (signal?.aborted) throw InterruptedError.fromAbort(signal);
  return Buffer.concat(chunks).toString('utf8');
}
