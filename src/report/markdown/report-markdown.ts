/**
 * `report.md`: the verdict, why each variant failed, the timeline, the
 * comparison table with what its latency figures measure, the per-round
 * figures, the rollouts and the settings that differ between the variants.
 * Plain GitHub-flavoured Markdown. Pure.
 *
 * The timeline is not copied into the text: it is `timeline.svg`, the file
 * beside it, shown with an image reference (`![…](timeline.svg)`), which GitHub
 * and Markdown viewers render while the two files stay together. The other ways
 * do not render on GitHub: its sanitizer strips inline `<svg>`, and it shows no
 * `data:` image.
 */
import { latencyLine } from '../../load/latency.js';
import type { TimelineSpec } from '../chart/timeline-data.js';
import {
  DETAILED_FIGURE_COLUMNS,
  ROLLOUTS_HEAD,
  rolloutsLines,
  roundsHead,
  roundsLines,
  tableLines,
} from '../columns.js';
import type { ReportData } from '../report-data.js';
import { formatSetting } from '../variant-delta.js';

/** What the chart's file is called, whatever path leads to it. */
const TIMELINE_NAME = 'timeline.svg';

/** The Markdown text; `imagePath` is where the timeline SVG is, relative to where the text will be read. */
export function reportMarkdown(data: ReportData, timeline: TimelineSpec | undefined, imagePath: string): string {
  const lines: string[] = [
    `# ${inline(data.title)}`,
    '',
    `${inline(data.description)}  `,
    `From ${inline(data.source)}.`,
    '',
  ];
  const verdict = data.verdict.outcome === 'none' ? 'No verdict' : `Verdict: ${data.verdict.outcome.toUpperCase()}`;
  lines.push(`## ${verdict}`, '', inline(data.verdict.message), '');
  if (timeline) {
    lines.push('## What happened', '');
    for (const variant of timeline.variants)
      lines.push(`- **${inline(variant.title)}**  `, `  ${inline(variant.caption)}`);
    lines.push(
      '',
      `![Timeline: requests per second, failures by kind, p95 latency and cluster events](${imagePath})`,
      '',
      `The chart is [${TIMELINE_NAME}](${imagePath}), the file beside this one, shown as an image: keep the two together.`,
      '',
    );
  } else {
    lines.push('No timeline: the source holds totals only, no per-request data.', '');
  }
  lines.push('## Comparison', '');
  lines.push(
    ...table(
      ['variant', ...DETAILED_FIGURE_COLUMNS.map((column) => column.title)],
      tableLines(data.rows, DETAILED_FIGURE_COLUMNS).map(([label = '', ...cells]) => [
        label.startsWith('  ') ? `↳ ${label.trim()}` : inline(label),
        ...cells,
      ]),
      `l${'r'.repeat(DETAILED_FIGURE_COLUMNS.length)}`,
    ),
    '',
    // zdd's own words (metric names whose underscores GitHub does not take for emphasis), not a user's.
    `${latencyLine(data.latency)}.`,
    '',
  );
  if ((data.rows[0]?.rounds.length ?? 0) > 0) {
    lines.push('## Per round', '', ...table(roundsHead(data.rows), roundsLines(data.rows)), '');
  }
  const rollouts = rolloutsLines(data.rounds);
  if (rollouts.length > 0) lines.push('## Rollouts', '', ...table(ROLLOUTS_HEAD, rollouts), '');
  lines.push('## Settings that differ between the variants', '');
  if (data.variantDelta === undefined) lines.push('Not recorded by this source.', '');
  else if (data.variantDelta.length === 0) lines.push('None: both variants have the same settings.', '');
  else {
    lines.push(
      ...table(
        ['object', 'setting', 'default', 'zero-downtime'],
        data.variantDelta.map((difference) => [
          difference.kind,
          code(difference.path || '(the whole object)'),
          code(formatSetting(difference.default)),
          code(formatSetting(difference.zeroDowntime)),
        ]),
      ),
      '',
    );
  }
  if (data.settings.length > 0) {
    lines.push('## Run settings', '');
    lines.push(
      ...table(
        ['setting', 'value'],
        data.settings.map((setting) => [setting.name, setting.value]),
      ),
      '',
    );
  }
  if (data.notes.length > 0) lines.push('## Notes', '', ...data.notes.map((note) => `- ${inline(note)}`), '');
  lines.push(`Written by zdd ${data.zddVersion}.`);
  return `${lines.join('\n')}\n`;
}

/** A pipe table; `align` has one letter per column: l or r. */
function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, align = ''): string[] {
  const rule = head.map((_, index) => (align[index] === 'r' ? '---:' : '---'));
  return [head, rule, ...rows].map((row) => `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`);
}

/** Text from a user's file, so that it cannot start Markdown or HTML of its own. */
function inline(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replaceAll('`', "'")}\``;
}
