import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

/**
 * The constructs' props follow cdk8s-plus: every optional prop carries JSDoc
 * with an `@default`, so that the defaults are documented where they are used.
 */
const FILES = ['src/spec/app-props.ts', ...tsFiles('src/manifests'), ...tsFiles('src/commands/synth')];

function tsFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${directory}/${name}`);
}

test('every optional prop has JSDoc with @default', () => {
  const missing: string[] = [];
  for (const file of FILES) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?readonly (\w+)\?:/g)) {
      if (!match[1]?.includes('@default')) missing.push(`${file}: ${match[2]}`);
    }
  }
  expect(missing).toEqual([]);
});
