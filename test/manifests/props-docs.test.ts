import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

/**
 * The constructs' props follow cdk8s-plus: every optional prop carries JSDoc
 * with an `@default`, so that the defaults are documented where they are used.
 */
const DIRECTORIES = ['src/manifests', 'src/commands/synth'];

test('every optional prop has JSDoc with @default', () => {
  const missing: string[] = [];
  for (const directory of DIRECTORIES) {
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(`${directory}/${file}`, 'utf8');
      for (const match of source.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?readonly (\w+)\?:/g)) {
        if (!match[1]?.includes('@default')) missing.push(`${directory}/${file}: ${match[2]}`);
      }
    }
  }
  expect(missing).toEqual([]);
});
