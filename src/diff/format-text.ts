import { isJsonObject, type JsonValue } from '../input/json-value.js';
import { DEFAULT_WIDTH } from '../runtime/terminal.js';
import { wrapLine } from '../runtime/wrap-text.js';
import { describeValue } from './describe-value.js';
import type { DiffReport, FieldDiff, ObjectDiff } from './diff-report.js';
import { diffSummary } from './diff-summary.js';

/** ANSI styles, or none (not a terminal, or NO_COLOR). */
export interface Styles {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly added: (text: string) => string;
  readonly removed: (text: string) => string;
  readonly changed: (text: string) => string;
}

const plain = (text: string) => text;
export const NO_STYLES: Styles = { bold: plain, dim: plain, added: plain, removed: plain, changed: plain };

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
export const ANSI_STYLES: Styles = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  added: ansi(32, 39),
  removed: ansi(31, 39),
  changed: ansi(33, 39),
};

/** How many renamed paths a line lists before "…". */
const RENAMED_SHOWN = 3;

/**
 * The report for a terminal: each changed field with its old and new value, and why it matters below it; lines
 * longer than `width` wrap at spaces.
 */
export function formatText(report: DiffReport, styles: Styles = NO_STYLES, width = DEFAULT_WIDTH): string {
  const lines = [...styledLines('', `zdd diff: ${report.before} → ${report.after}`, styles.bold, width, '  '), ''];
  for (const object of report.objects) {
    if (object.status === 'unchanged') continue;
    lines.push(...objectLines(object, styles, width));
  }
  lines.push(...wrapLine(diffSummary(report), width));
  return `${lines.join('\n')}\n`;
}

/**
 * `prefix` and `text` wrapped at `width` (the other lines under `indent`), with the text's part of each line
 * styled: styled before wrapping, a line's style would run on into the next line's indent.
 */
function styledLines(
  prefix: string,
  text: string,
  style: (text: string) => string,
  width: number,
  indent: string,
): string[] {
  return wrapLine(`${prefix}${text}`, width, indent).map((line, index) => {
    const head = index === 0 ? prefix : indent;
    return `${line.slice(0, head.length)}${style(line.slice(head.length))}`;
  });
}

/** Where why a change matters goes, and a long value's next lines: apart, so that each reads as one. */
const WHY_INDENT = '      ';
const VALUE_INDENT = '    ';

function objectLines(object: ObjectDiff, styles: Styles, width: number): string[] {
  if (object.status === 'added' || object.status === 'removed') {
    const mark = object.status === 'added' ? styles.added('+') : styles.removed('-');
    return [
      ...wrapLine(
        `${mark} ${styles.bold(`${object.kind} ${object.after ?? object.before}`)} (${object.status})`,
        width,
      ),
      ...wrapLine(`    ${describeValue(specOf(object.object))}`, width, VALUE_INDENT),
      ...styledLines(WHY_INDENT, object.why ?? '', styles.dim, width, WHY_INDENT),
      '',
    ];
  }
  const names = object.before === object.after ? object.before : `${object.before} → ${object.after}`;
  const lines = styledLines('', `${object.kind} ${names}`, styles.bold, width, '  ');
  for (const field of object.fields) lines.push(...fieldLines(field, styles, width));
  if (object.renamed.length > 0) {
    const shown = object.renamed.slice(0, RENAMED_SHOWN).join(', ');
    const more = object.renamed.length > RENAMED_SHOWN ? ', …' : '';
    const count = object.renamed.length;
    lines.push(
      ...styledLines(
        '  = ',
        `${count} field${count === 1 ? '' : 's'} only follow${count === 1 ? 's' : ''} the name: ${shown}${more}`,
        styles.dim,
        width,
        WHY_INDENT,
      ),
    );
  }
  lines.push('');
  return lines;
}

/** An added or removed object by its spec: its kind and name are in the line above. */
export function specOf(object: JsonValue | undefined): JsonValue | undefined {
  return isJsonObject(object) && object.spec !== undefined ? { spec: object.spec } : object;
}

function fieldLines(field: FieldDiff, styles: Styles, width: number): string[] {
  const head =
    field.change === 'added'
      ? `${styles.added('+')} ${field.path}: ${describeValue(field.after)}`
      : field.change === 'removed'
        ? `${styles.removed('-')} ${field.path}: ${describeValue(field.before)}`
        : `${styles.changed('~')} ${field.path}: ${describeValue(field.before)} → ${describeValue(field.after)}`;
  return [
    ...wrapLine(`  ${head}`, width, VALUE_INDENT),
    ...styledLines(WHY_INDENT, field.why, styles.dim, width, WHY_INDENT),
  ];
}
