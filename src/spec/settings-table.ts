import { PRESETS } from './presets.js';
import { valueAtPath } from './setting-paths.js';
import { type AnySettingRow, SETTING_ROWS, type SettingType } from './settings.js';

/** The README's settings table sits between these two lines; `npm run docs` rewrites what is between them. */
export const TABLE_START = '<!-- settings table: generated from src/spec/settings.ts by npm run docs -->';
export const TABLE_END = '<!-- end of settings table -->';

/**
 * Every setting as a Markdown table: its config-file key, flag, Helm value, type, default (that of the
 * `default` preset where it sets one, else the constructs') and what it does. Parts (`names`, `resources`,
 * `zeroDowntime.rolling`, …) are left out: their settings are listed.
 */
export function settingsTable(): string {
  const header = ['config file', 'flag', 'Helm value', 'type', 'default', 'what it does'];
  const rows = SETTING_ROWS.filter(([, row]) => row.type.kind !== 'part').map(([path, row]) => [
    code(path),
    flagText(row),
    helmText(path, row),
    typeText(row.type),
    defaultText(path, row),
    cell(row.doc),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => width(row[column]))));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((text, column) => text + ' '.repeat((widths[column] ?? 0) - width(text))).join(' | ')} |`;
  return [line(header), line(widths.map((size) => '-'.repeat(size))), ...rows.map(line)].join('\n');
}

/** Replaces the table between the markers in `readme`; throws when a marker is missing. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start) throw new Error(`README: expected the lines ${TABLE_START} and ${TABLE_END}`);
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${settingsTable()}\n\n${readme.slice(end)}`;
}

function flagText(row: AnySettingRow): string {
  if (row.flag === undefined) return '';
  const name = row.flag.name;
  return row.type.kind === 'switch' ? `${code(`--${name}`)}, ${code(`--no-${name}`)}` : code(`--${name}`);
}

/** The setting's Helm value, or its place inside a value that holds several settings (`resources`). */
function helmText(path: string, row: AnySettingRow): string {
  if (row.helmKey !== undefined) return code(row.type.kind === 'switch' ? `${row.helmKey}.enabled` : row.helmKey);
  const holder = SETTING_ROWS.find(
    ([part, { helmKey, helmSchema }]) =>
      helmKey !== undefined && helmSchema !== undefined && path.startsWith(`${part}.`),
  );
  return holder === undefined ? '' : code(`${holder[1].helmKey}${path.slice(holder[0].length)}`);
}

function typeText(type: SettingType): string {
  switch (type.kind) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'int-or-string':
      return 'number or text';
    case 'choice':
      return type.choices.map(code).join(', ');
    case 'boolean':
      return 'true, false';
    case 'env':
      return 'KEY=VALUE pairs';
    case 'switch':
      return 'on, or `false` (off)';
    case 'part':
      return 'object';
  }
}

function defaultText(path: string, row: AnySettingRow): string {
  const preset = valueAtPath(PRESETS.default, path);
  if (row.type.kind === 'switch') return preset === false ? 'off' : 'on';
  if (preset !== undefined && typeof preset !== 'object') return `${code(JSON.stringify(preset))} (preset)`;
  if (row.defaultText !== undefined) return cell(row.defaultText);
  return row.default === undefined ? '' : code(JSON.stringify(row.default));
}

function code(text: string): string {
  return `\`${text}\``;
}

/** Text for a table cell: pipes escaped, and `<name>` kept from reading as an HTML tag. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Characters in the source, as other Markdown tables of the README are aligned. */
function width(text: string | undefined): number {
  return [...(text ?? '')].length;
}
