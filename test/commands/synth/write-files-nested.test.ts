import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeFilesAtomically } from '../../../src/commands/synth/write-files.js';

const NESTED = [
  { name: 'default.yaml', content: 'plain\n' },
  { name: 'kustomize/base/kustomization.yaml', content: 'base\n' },
  { name: 'kustomize/overlays/zero-downtime/kustomization.yaml', content: 'overlay\n' },
  { name: 'helm/app/templates/service.yaml', content: 'template\n' },
];

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-write-nested-'));
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('writeFilesAtomically with files in folders below --out', () => {
  test('creates the folders and writes every file, leaving no temporary file', async () => {
    await writeFilesAtomically(scratch, NESTED);
    for (const file of NESTED) expect(await readFile(join(scratch, file.name), 'utf8')).toBe(file.content);
    const all = await readdir(scratch, { recursive: true });
    expect(all.filter((path) => /\.(tmp|old)$/.test(path))).toEqual([]);
  });

  test('a failure removes the nested folders it created and puts back what it replaced', async () => {
    await writeFile(join(scratch, 'default.yaml'), 'old\n');
    const write = writeFilesAtomically(scratch, NESTED, {
      beforeReplace: async () => {
        throw new Error('stopped before the renames');
      },
    });
    await expect(write).rejects.toThrowError('stopped before the renames');
    expect(await readdir(scratch)).toEqual(['default.yaml']);
    expect(await readFile(join(scratch, 'default.yaml'), 'utf8')).toBe('old\n');
  });

  test('a file where a folder must go: nothing is written, and the message names both', async () => {
    await writeFile(join(scratch, 'helm'), 'a file\n');
    const write = writeFilesAtomically(scratch, NESTED);
    await expect(write).rejects.toThrowError(
      `--out: cannot create ${join(scratch, 'helm', 'app', 'templates')}: ${join(scratch, 'helm')} is a file, not a folder; nothing was written`,
    );
    expect((await readdir(scratch)).sort()).toEqual(['helm']);
  });
});
