/**
 * Draws a `TimelineSpec` as one SVG with Observable Plot, without a browser
 * (linkedom's DOM): a legend, then per variant its title and caption, its
 * events lane, its requests per second (successful and failed, by kind,
 * stacked) and its p95 latency, all on the same time axis, with the outage
 * windows shaded and the rollouts drawn as rules. Each panel is one Plot chart
 * with the same width and margins; they are stacked in one <svg>.
 */
import * as Plot from '@observablehq/plot';
import { type DomDocument, type DomElement, type DomNode, SVG_NS, svgElement } from '../dom.js';
import { LANES, type Lane, OUTCOMES, type Outcome, type TimelineSpec, type VariantTimeline } from './timeline-data.js';

export const WIDTH = 960;
const MARGIN_LEFT = 110;
const MARGIN_RIGHT = 24;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Colours: successful requests calm, each failure kind its own warm or dark colour. */
export const OUTCOME_COLORS: Readonly<Record<Outcome, string>> = {
  ok: '#9ecae1',
  refused: '#6a3d9a',
  reset: '#e7298a',
  timeout: '#8c510a',
  http_5xx: '#cb181d',
  http_4xx: '#fd8d3c',
  other: '#525252',
};
export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  ok: 'succeeded',
  refused: 'refused',
  reset: 'reset',
  timeout: 'timeout',
  http_5xx: '5xx',
  http_4xx: '4xx',
  other: 'other failure',
};
const LANE_COLORS: Readonly<Record<Lane, string>> = {
  rollout: '#08519c',
  'pod created': '#6baed6',
  'pod ready': '#238b45',
  'pod deleted': '#525252',
  preStop: '#f16913',
  SIGTERM: '#d94801',
  SIGKILL: '#a50f15',
  'endpoints changed': '#6a51a3',
  'router reload': '#2171b5',
};
const OUTAGE_COLOR = '#fb6a4a';
const ROLLOUT_COLOR = '#08519c';

/** The whole timeline as an <svg> element of `document`. */
export function timelineSvg(spec: TimelineSpec, document: DomDocument, title: string): DomElement {
  const panels: Array<{ readonly svg: DomElement; readonly panel: string; readonly variant?: string }> = [
    { svg: textPanel(document, [{ text: title, size: 15, bold: true }]), panel: 'title' },
    { svg: legendPanel(document), panel: 'legend' },
  ];
  for (const variant of spec.variants) {
    const header = [
      { text: variant.title, size: 13, bold: true },
      { text: variant.caption, size: 12 },
    ];
    panels.push(
      { svg: textPanel(document, header), panel: 'caption', variant: variant.name },
      { svg: eventsPanel(spec, variant, document), panel: 'events', variant: variant.name },
      { svg: requestsPanel(spec, variant, document), panel: 'requests', variant: variant.name },
      { svg: latencyPanel(spec, variant, document), panel: 'latency', variant: variant.name },
    );
  }
  const root = svgElement(document, 'svg', {
    xmlns: SVG_NS,
    width: WIDTH,
    role: 'img',
    'aria-label': title,
    'font-family': FONT,
  });
  root.appendChild(svgElement(document, 'rect', { width: '100%', height: '100%', fill: 'white' }));
  let y = 0;
  for (const { svg, panel, variant } of panels) {
    const height = Number(svg.getAttribute('height'));
    const group = nest(svg, y, document);
    group.setAttribute('data-panel', panel);
    if (variant !== undefined) group.setAttribute('data-variant', variant);
    root.appendChild(group);
    y += height;
  }
  root.setAttribute('height', String(y));
  root.setAttribute('viewBox', `0 0 ${WIDTH} ${y}`);
  return root;
}

/** Plot's <svg> as a <g> moved down by `y`, keeping the attributes its children inherit. */
function nest(svg: DomElement, y: number, document: DomDocument): DomElement {
  const group = svgElement(document, 'g', { transform: `translate(0,${y})` });
  for (const { name, value } of Array.from(svg.attributes)) {
    if (!['width', 'height', 'viewBox', 'xmlns', 'style'].includes(name)) group.setAttribute(name, value);
  }
  for (let child = svg.firstChild; child !== null; child = svg.firstChild) group.appendChild(child as DomNode);
  return group;
}

/** Options every data panel shares: the same width, margins and time axis. */
function frame(spec: TimelineSpec, document: DomDocument, height: number, showAxis: boolean) {
  return {
    document,
    width: WIDTH,
    height,
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    marginTop: 8,
    marginBottom: showAxis ? 36 : 6,
    className: 'zdd-timeline',
    x: {
      domain: [...spec.domain],
      axis: showAxis ? ('bottom' as const) : null,
      label: `seconds since ${spec.originLabel} →`,
      labelAnchor: 'right' as const,
      grid: true,
    },
  };
}

function backgroundMarks(variant: VariantTimeline) {
  return [
    // Outage windows: at least 2 px wide, or a single failed request would not show.
    Plot.rect(variant.outages, {
      x1: 'from',
      x2: 'to',
      fill: OUTAGE_COLOR,
      fillOpacity: 0.18,
      insetLeft: -1,
      insetRight: -1,
      title: 'label',
      className: 'zdd-outage',
    }),
    Plot.ruleX(variant.rollouts, {
      x: 'from',
      stroke: ROLLOUT_COLOR,
      strokeWidth: 1.5,
      title: 'label',
      className: 'zdd-rollout-start',
    }),
    Plot.ruleX(
      variant.rollouts.filter((rollout) => rollout.to !== undefined),
      { x: 'to', stroke: ROLLOUT_COLOR, strokeDasharray: '4,3', title: 'label', className: 'zdd-rollout-end' },
    ),
    Plot.frame({ stroke: '#d9d9d9' }),
  ];
}

function eventsPanel(spec: TimelineSpec, variant: VariantTimeline, document: DomDocument): DomElement {
  return Plot.plot({
    ...frame(spec, document, LANES.length * 13 + 14, false),
    y: { domain: [...LANES], label: null, tickSize: 0 },
    color: { domain: [...LANES], range: LANES.map((lane) => LANE_COLORS[lane]) },
    marks: [
      ...backgroundMarks(variant),
      Plot.tickX(variant.markers, {
        x: 'at',
        y: 'lane',
        stroke: 'lane',
        strokeWidth: 2,
        title: 'label',
        className: 'zdd-events',
      }),
    ],
  });
}

function requestsPanel(spec: TimelineSpec, variant: VariantTimeline, document: DomDocument): DomElement {
  // Stacked here rather than by Plot's stack transform, so that the order (successes at the bottom) is fixed.
  const stacked = variant.bins.flatMap((bin) => {
    let top = 0;
    return OUTCOMES.flatMap((outcome) => {
      const rate = bin.rates[outcome];
      if (rate === 0) return [];
      const bottom = top;
      top += rate;
      return [
        {
          from: bin.from,
          to: bin.to,
          y1: bottom,
          y2: top,
          outcome,
          label: `${OUTCOME_LABELS[outcome]}: ${round(rate)} req/s at ${round(bin.from)} s`,
        },
      ];
    });
  });
  return Plot.plot({
    ...frame(spec, document, 150, false),
    y: { label: 'requests/s', grid: true, nice: true },
    color: { domain: [...OUTCOMES], range: OUTCOMES.map((outcome) => OUTCOME_COLORS[outcome]) },
    marks: [
      ...backgroundMarks(variant),
      Plot.rect(stacked, {
        x1: 'from',
        x2: 'to',
        y1: 'y1',
        y2: 'y2',
        fill: 'outcome',
        insetLeft: 0.5,
        insetRight: 0.5,
        title: 'label',
        className: 'zdd-requests',
      }),
      Plot.ruleY([0]),
    ],
  });
}

function latencyPanel(spec: TimelineSpec, variant: VariantTimeline, document: DomDocument): DomElement {
  const points = variant.bins.flatMap((bin) =>
    bin.p95Ms === undefined
      ? []
      : [
          {
            at: (bin.from + bin.to) / 2,
            p95Ms: bin.p95Ms,
            label: `p95 ${round(bin.p95Ms)} ms at ${round(bin.from)} s`,
          },
        ],
  );
  return Plot.plot({
    ...frame(spec, document, 120 + 30, true),
    y: { label: 'p95 latency (ms)', grid: true, nice: true, zero: true },
    marks: [
      ...backgroundMarks(variant),
      Plot.lineY(points, { x: 'at', y: 'p95Ms', stroke: '#252525', strokeWidth: 1.2, className: 'zdd-p95' }),
      Plot.dot(points, { x: 'at', y: 'p95Ms', r: 1.5, fill: '#252525', title: 'label', className: 'zdd-p95-points' }),
    ],
  });
}

/** A legend of the outcomes, the outage shading and the rollout rules, as a Plot chart (Plot's own legends are HTML). */
function legendPanel(document: DomDocument): DomElement {
  const entries = [
    ...OUTCOMES.map((outcome) => ({ label: OUTCOME_LABELS[outcome], color: OUTCOME_COLORS[outcome], opacity: 1 })),
    { label: 'outage (failed requests in a row)', color: OUTAGE_COLOR, opacity: 0.35 },
    { label: 'rollout: start ——, end – – –', color: ROLLOUT_COLOR, opacity: 1 },
  ];
  // Laid out left to right by an estimate of each label's width (10.5 px text: about 6 px a character).
  let x = MARGIN_LEFT;
  const items = entries.map((entry) => {
    const item = { ...entry, x };
    x += 22 + entry.label.length * 6;
    return item;
  });
  return Plot.plot({
    document,
    width: WIDTH,
    height: 24,
    margin: 0,
    className: 'zdd-timeline',
    x: { domain: [0, WIDTH], axis: null },
    y: { domain: [0, 1], axis: null },
    marks: [
      Plot.dot(items, {
        x: 'x',
        y: 0.5,
        symbol: 'square',
        r: 5,
        fill: (item: (typeof items)[number]) => item.color,
        fillOpacity: (item: (typeof items)[number]) => item.opacity,
        className: 'zdd-legend',
      }),
      Plot.text(items, { x: 'x', y: 0.5, text: 'label', textAnchor: 'start', dx: 9, fontSize: 10.5 }),
    ],
  });
}

/** Lines of text (a title, a wrapped caption) as a Plot chart. */
function textPanel(
  document: DomDocument,
  lines: ReadonlyArray<{ readonly text: string; readonly size: number; readonly bold?: boolean }>,
): DomElement {
  const usable = WIDTH - 16;
  let y = 6;
  const marks = lines.map((line) => {
    // Plot wraps at `lineWidth` ems by its own estimate of the characters' widths, which runs narrower than
    // most sans-serif fonts: a fifth is kept free.
    const lineWidth = (usable / line.size) * 0.8;
    const rows = Math.max(1, Math.ceil((line.text.length * 0.6) / lineWidth));
    const mark = Plot.text([line.text], {
      frameAnchor: 'top-left',
      dx: 8,
      dy: y,
      fontSize: line.size,
      fontWeight: line.bold ? 'bold' : 'normal',
      lineWidth,
      lineHeight: 1.25,
      text: (text: string) => text,
    });
    y += rows * line.size * 1.25 + 4;
    return mark;
  });
  return Plot.plot({
    document,
    width: WIDTH,
    height: Math.ceil(y + 4),
    margin: 0,
    className: 'zdd-timeline',
    x: { axis: null },
    y: { axis: null },
    marks,
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
