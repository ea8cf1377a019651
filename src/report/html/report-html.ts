/**
 * `report.html`: one self-contained page (no script, no font, no request: a
 * Content-Security-Policy forbids any) with the verdict, why each variant
 * failed, the timeline (inline SVG), the comparison table, the per-round
 * figures, the rollouts, the settings that differ between the variants and the
 * run's settings. Built as a DOM, so that every label from a user's file is
 * escaped.
 */

import { latencyLine } from '../../load/latency.js';
import type { TimelineSpec } from '../chart/timeline-data.js';
import { timelineSvg } from '../chart/timeline-plot.js';
import {
  DETAILED_FIGURE_COLUMNS,
  ROLLOUTS_HEAD,
  rolloutsLines,
  roundsHead,
  roundsLines,
  tableLines,
} from '../columns.js';
import { type DomDocument, type DomElement, element, newDocument } from '../dom.js';
import type { ReportData } from '../report-data.js';
import { formatSetting } from '../variant-delta.js';
import { REPORT_CSS } from './style.js';

/** The page's HTML text; `timeline` is undefined when the data has no per-request samples. */
export function reportHtml(data: ReportData, timeline: TimelineSpec | undefined): string {
  const document = newDocument();
  const page = pageParts(document);
  document.documentElement.setAttribute('lang', 'en');
  document.head.append(...headElements(page, data));
  document.body.append(
    ...verdictSections(page, data),
    ...timelineSections(page, data, timeline),
    ...figureSections(page, data),
    ...settingsSections(page, data),
    page.h('footer', {}, `Written by zdd ${data.zddVersion}.`),
  );
  return `${document.toString()}\n`;
}

type Child = DomElement | string;

/** The page's building blocks, all made in one document. */
interface PageParts {
  readonly document: DomDocument;
  h(tag: string, attributes: Readonly<Record<string, string>>, ...children: Child[]): DomElement;
  table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, className?: string): DomElement;
  section(id: string, title: string, ...content: Child[]): DomElement;
}

function pageParts(document: DomDocument): PageParts {
  const h = (tag: string, attributes: Readonly<Record<string, string>>, ...children: Child[]) =>
    element(document, tag, attributes, ...children);
  const table = (head: readonly string[], rows: ReadonlyArray<readonly string[]>, className = '') =>
    h(
      'table',
      className ? { class: className } : {},
      h('thead', {}, h('tr', {}, ...head.map((cell) => h('th', {}, cell)))),
      h(
        'tbody',
        {},
        ...rows.map((row) =>
          // A connection pattern's row (its label indented) under its variant's.
          row[0]?.startsWith('  ')
            ? h('tr', { class: 'pattern' }, ...row.map((cell) => h('td', {}, cell.trim())))
            : h('tr', {}, ...row.map((cell) => h('td', {}, cell))),
        ),
      ),
    );
  const section = (id: string, title: string, ...content: Child[]) =>
    h('section', { id }, h('h2', {}, title), ...content);
  return { document, h, table, section };
}

function headElements({ h }: PageParts, data: ReportData): DomElement[] {
  return [
    h('meta', { charset: 'utf-8' }),
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    // Nothing may be fetched: the page must open offline, as it was written.
    h('meta', {
      'http-equiv': 'Content-Security-Policy',
      content: "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    }),
    h('link', { rel: 'icon', href: 'data:,' }),
    h('title', {}, data.title),
    h('style', {}, REPORT_CSS),
  ];
}

function verdictSections({ h }: PageParts, data: ReportData): DomElement[] {
  return [
    h(
      'header',
      {},
      h('h1', {}, data.title),
      h('p', { class: 'description' }, data.description),
      h('p', { class: 'source' }, `From ${data.source}.`),
    ),
    h(
      'section',
      { id: 'verdict', class: `verdict ${data.verdict.outcome}` },
      h('h2', {}, data.verdict.outcome === 'none' ? 'No verdict' : `Verdict: ${data.verdict.outcome.toUpperCase()}`),
      h('p', {}, data.verdict.message),
    ),
  ];
}

function timelineSections(page: PageParts, data: ReportData, timeline: TimelineSpec | undefined): DomElement[] {
  const { h, section } = page;
  if (!timeline) {
    return [
      section('timeline', 'Timeline', h('p', {}, 'No timeline: the source holds totals only, no per-request data.')),
    ];
  }
  const spec = timeline;
  const svg = timelineSvg(spec, page.document, data.title);
  return [
    section(
      'why',
      'What happened',
      h(
        'ul',
        {},
        ...spec.variants.map((variant) => h('li', {}, h('strong', {}, variant.title), h('br', {}), variant.caption)),
      ),
    ),
    section(
      'timeline',
      'Timeline',
      h(
        'figure',
        {},
        svg,
        h(
          'figcaption',
          {},
          `Requests by start time in bins of ${spec.binMs} ms (as requests per second), successful and failed by kind; ` +
            `p95 latency per bin; outage windows shaded; cluster events as ticks (hover for details). ` +
            `0 s is ${spec.originLabel}.`,
        ),
      ),
    ),
  ];
}

function figureSections({ h, table, section }: PageParts, data: ReportData): DomElement[] {
  const sections = [
    section(
      'comparison',
      'Comparison',
      table(
        ['variant', ...DETAILED_FIGURE_COLUMNS.map((column) => column.title)],
        tableLines(data.rows, DETAILED_FIGURE_COLUMNS),
        'figures',
      ),
      h('p', { class: 'latency' }, `${latencyLine(data.latency)}.`),
    ),
  ];
  if ((data.rows[0]?.rounds.length ?? 0) > 0) {
    sections.push(section('rounds', 'Per round', table(roundsHead(data.rows), roundsLines(data.rows), 'figures')));
  }
  const rollouts = rolloutsLines(data.rounds);
  if (rollouts.length > 0) {
    sections.push(section('rollouts', 'Rollouts', table(ROLLOUTS_HEAD, rollouts)));
  }
  return sections;
}

function settingsSections({ h, table, section }: PageParts, data: ReportData): DomElement[] {
  const sections = [
    section(
      'settings-delta',
      'Settings that differ between the variants',
      data.variantDelta === undefined
        ? h('p', {}, 'Not recorded by this source.')
        : data.variantDelta.length === 0
          ? h('p', {}, 'None: both variants have the same settings.')
          : table(
              ['object', 'setting', 'default', 'zero-downtime'],
              data.variantDelta.map((difference) => [
                difference.kind,
                difference.path || '(the whole object)',
                formatSetting(difference.default),
                formatSetting(difference.zeroDowntime),
              ]),
              'delta',
            ),
    ),
  ];
  if (data.settings.length > 0) {
    sections.push(
      section(
        'settings',
        'Run settings',
        table(
          ['setting', 'value'],
          data.settings.map((setting) => [setting.name, setting.value]),
        ),
      ),
    );
  }
  if (data.notes.length > 0) {
    sections.push(section('notes', 'Notes', h('ul', {}, ...data.notes.map((note) => h('li', {}, note)))));
  }
  return sections;
}
