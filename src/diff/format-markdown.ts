import { describeValue } from './describe-value.js';
import type { DiffReport, ObjectDiff } from './diff-report.js';
import { diffSummary } from './diff-summary.js';
import { specOf } from './format-text.js';

/** The report as Markdown for a pull-request comment: a table of the settings, the renames folded away. */
export function formatMarkdown(report: DiffReport): string {
  const lines = [`### zdd diff: ${code(report.before)} → ${code(report.after)}`, '', `${diffSummary(report)}.`, ''];
  const rows = report.objects.flatMap(objectRows);
  if (rows.length > 0) {
    lines.push(
      '| object | field | before | after | why it matters for a rollout |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
    );
  }
  const renamed = report.objects.filter((object) => object.renamed.length > 0);
  if (renamed.length > 0) {
    lines.push(
      `<details><summary>Fields that follow the names (${renamed.length} object${renamed.length === 1 ? '' : 's'})</summary>`,
      '',
      ...renamed.map((object) => `- ${objectName(object)}: ${object.renamed.map(code).join(', ')}`),
      '',
      '</details>',
      '',
    );
  }
  return `${lines.join('\n')}`;
}

function objectRows(object: ObjectDiff): string[] {
  if (object.status === 'added' || object.status === 'removed') {
    const value = code(describeValue(specOf(object.object), 200));
    const [before, after] = object.status === 'added' ? ['—', value] : [value, '—'];
    return [`| ${objectName(object)} | (${object.status}) | ${before} | ${after} | ${cell(object.why ?? '')} |`];
  }
  return object.fields.map(
    (field) =>
      `| ${objectName(object)} | ${code(field.path)} | ${field.before === undefined ? '—' : code(describeValue(field.before))} | ${field.after === undefined ? '—' : code(describeValue(field.after))} | ${cell(field.why)} |`,
  );
}

function objectName(object: ObjectDiff): string {
  const names =
    object.before !== undefined && object.after !== undefined && object.before !== object.after
      ? `${code(object.before)} → ${code(object.after)}`
      : code(object.after ?? object.before ?? '');
  return `${object.kind} ${names}`;
}

/** Inline code that survives a table: pipes escaped, backticks doubled around when the text has one. */
function code(text: string): string {
  const escaped = text.replaceAll('|', '\\|');
  return escaped.includes('`') ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}
