import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { REPO } from './helpers/cli.js';

/**
 * No function over 80 lines: a longer one does several things, each of which deserves a name. Checked in all
 * of src/, which holds no generated code.
 */
const LIMIT = 80;
const FOLDERS = ['src'];

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Each function (declarations, methods, arrows) longer than `limit` lines, as `file:line name (N lines)`. */
function longFunctions(file: string, limit: number): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const lines = lineOf(node.end) - lineOf(node.getStart(source)) + 1;
      const name =
        node.name?.getText(source) ??
        (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : '(anonymous)');
      if (lines > limit)
        found.push(`${relative(REPO, file)}:${lineOf(node.getStart(source))} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test(`no function in ${FOLDERS.join(', ')} is over ${LIMIT} lines`, () => {
  const files = FOLDERS.flatMap((folder) => typeScriptFiles(join(REPO, folder)));
  expect(files.length).toBeGreaterThan(0);
  expect(files.flatMap((file) => longFunctions(file, LIMIT))).toEqual([]);
});
