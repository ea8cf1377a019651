/**
 * `npm run docs`: rewrites the generated parts of README.md (the settings table, from src/spec/settings.ts).
 * Runs from the sources with tsx, without building zdd. `--check` changes nothing and exits 1 when README.md
 * is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTable } from '../src/spec/settings-table.js';

const README = new URL('../README.md', import.meta.url);
const current = readFileSync(README, 'utf8');
const fresh = withSettingsTable(current);
if (process.argv.includes('--check')) {
  if (fresh !== current) {
    console.error('README.md: the settings table is stale; run npm run docs');
    process.exitCode = 1;
  }
} else if (fresh !== current) {
  writeFileSync(README, fresh);
  console.log('wrote README.md');
} else {
  console.log('README.md is up to date');
}
