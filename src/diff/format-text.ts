import { isJsonObject, type JsonValue } from '../input/json-value.js';
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

/** The report for a terminal: each changed field with its old and new value, and why it matters below it. */
export function formatText(report: DiffReport, styles: Styles = NO_STYLES): string {
  const lines = [styles.bold(`zdd diff: ${report.before} → ${report.after}`), ''];
  for (const object of report.objects) {
    if (object.status === 'unchanged') continue;
    lines.push(...objectLines(object, styles));
  }
  lines.push(diffSummary(report));
  return `${lines.join('\n')}\n`;
}

function objectLines(object: ObjectDiff, styles: Styles): string[] {
  if (object.status === 'added' || object.status === 'removed') {
    const mark = object.status === 'added' ? styles.added('+') : styles.removed('-');
    return [
      `${mark} ${styles.bold(`${object.kind} ${object.after ?? object.before}`)} (${object.status})`,
      `    ${describeValue(specOf(object.object))}`,
      `      ${styles.dim(object.why ?? '')}`,
      '',
    ];
  }
  const names = object.before === object.after ? object.before : `${object.before} → ${object.after}`;
  const lines = [styles.bold(`${object.kind} ${names}`)];
  for (const field of object.fields) lines.push(...fieldLines(field, styles));
  if (object.renamed.length > 0) {
    const shown = object.renamed.slice(0, RENAMED_SHOWN).join(', ');
    const more = object.renamed.length > RENAMED_SHOWN ? ', …' : '';
    const count = object.renamed.length;
    lines.push(
      `  = ${styles.dim(`${count} field${count === 1 ? '' : 's'} only follow${count === 1 ? 's' : ''} the name: ${shown}${more}`)}`,
    );
  }
  lines.push('');
  return lines;
}

/** An added or removed object by its spec: its kind and name are in the line above. */
export function specOf(object: JsonValue | undefined): JsonValue | undefined {
  return isJsonObject(object) && object.spec !== undefined ? { spec: object.spec } : object;
}

function fieldLines(field: FieldDiff, styles: Styles): string[] {
  const head =
    field.change === 'added'
      ? `${styles.added('+')} ${field.path}: ${describeValue(field.after)}`
      : field.change === 'removed'
        ? `${styles.removed('-')} ${field.path}: ${describeValue(field.before)}`
        : `${styles.changed('~')} ${field.path}: ${describeValue(field.before)} → ${describeValue(field.after)}`;
  return [`  ${head}`, `      ${styles.dim(field.why)}`];
}
