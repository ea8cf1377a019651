import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeFilesAtomically } from '../../../src/commands/synth/write-files.js';

const FILES = [
  { name: 'a.yaml', content: 'new a\n' },
  { name: 'b.yaml', content: 'new b\n' },
];

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-write-files-'));
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('writeFilesAtomically', () => {
  test('a rename that fails part-way puts back the file already replaced; no temporary file is left', async () => {
    await writeFile(join(scratch, 'a.yaml'), 'old a\n');
    await writeFile(join(scratch, 'b.yaml'), 'old b\n');
    const write = writeFilesAtomically(scratch, FILES, {
      // After the checks: b.yaml becomes a folder, as if another program made it meanwhile.
      beforeReplace: async () => {
        await rm(join(scratch, 'b.yaml'));
        await mkdir(join(scratch, 'b.yaml', 'inside'), { recursive: true });
      },
    });
    await expect(write).rejects.toThrowError(`--out: cannot replace ${join(scratch, 'b.yaml')}: `);
    await expect(write).rejects.toThrowError(/; nothing was changed$/);
    expect(await readFile(join(scratch, 'a.yaml'), 'utf8')).toBe('old a\n');
    expect((await readdir(scratch)).sort()).toEqual(['a.yaml', 'b.yaml']);
  });

  test('a file that did not exist before is removed again', async () => {
    await mkdir(join(scratch, 'out'));
    const out = join(scratch, 'out');
    const write = writeFilesAtomically(out, FILES, {
      beforeReplace: async () => {
        await mkdir(join(out, 'b.yaml', 'inside'), { recursive: true });
      },
    });
    await expect(write).rejects.toThrowError(/nothing was changed$/);
    expect(await readdir(out)).toEqual(['b.yaml']);
  });

  test('folders it created are removed when it fails', async () => {
    const out = join(scratch, 'new', 'deeper');
    const write = writeFilesAtomically(out, FILES, {
      beforeReplace: async () => {
        throw new Error('stopped before the renames');
      },
    });
    await expect(write).rejects.toThrowError('stopped before the renames');
    expect(await readdir(scratch)).toEqual([]);
  });

  test('writes every file and leaves nothing else', async () => {
    const out = join(scratch, 'x', 'y');
    await writeFilesAtomically(out, FILES);
    expect((await readdir(out)).sort()).toEqual(['a.yaml', 'b.yaml']);
    expect(await readFile(join(out, 'b.yaml'), 'utf8')).toBe('new b\n');
  });
});
