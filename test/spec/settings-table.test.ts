import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { SETTING_ROWS } from '../../src/spec/settings.js';
import { settingsTable, TABLE_END, TABLE_START, withSettingsTable } from '../../src/spec/settings-table.js';

test("README's settings table is the one the settings table makes (else: npm run docs)", () => {
  const readme = readFileSync('README.md', 'utf8');
  expect(readme).toContain(TABLE_START);
  expect(withSettingsTable(readme), 'README.md is stale: run npm run docs').toBe(readme);
});

test('the table lists every setting that has a flag, once', () => {
  const table = settingsTable();
  for (const [path, row] of SETTING_ROWS) {
    if (row.flag !== undefined) expect(table.match(new RegExp(`^\\| \`${path}\` `, 'gm')), path).toHaveLength(1);
  }
});

test('a README without the markers is refused', () => {
  expect(() => withSettingsTable('# zdd\n')).toThrowError(TABLE_END);
});
