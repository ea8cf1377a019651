/**
 * The words of compare's progress: one line per variant (phase, elapsed / expected time, requests, failures by
 * kind, the outage running now), fitted to a width. Pure: `progress.ts` writes them.
 */
import type { ErrorKind } from '../load/sample.js';
import { wrapLine } from '../runtime/wrap-text.js';
import { failedKinds, type LiveCounts } from './live-counts.js';

/** Where the run stands, as the progress shows it. */
export interface ProgressView {
  /** `deploying`, `warm-up`, `rollout 1/3`, … */
  readonly phase: string;
  /** Real time since the run started. */
  readonly elapsedMs: number;
  /** Real time the run is expected to take (its floor at the time scale); undefined until known. */
  readonly expectedMs?: number;
  /** Epoch ms now, for the outage running now. */
  readonly nowMs: number;
  readonly variants: readonly { readonly name: string; readonly counts: LiveCounts }[];
}

/** How the report names a failure kind, shortened for a line. */
const KIND_WORDS: Record<ErrorKind, string> = {
  refused: 'refused',
  reset: 'reset',
  timeout: 'timeout',
  http_5xx: '5xx',
  http_4xx: '4xx',
  other: 'other',
};

/**
 * One live line per variant, names aligned, none longer than `width`: the failure kinds go first when the line
 * does not fit, then the phase, then the expected time; what still does not fit is cut with `…`.
 */
export function liveLines(view: ProgressView, width: number): string[] {
  const nameWidth = Math.max(0, ...view.variants.map((variant) => variant.name.length));
  const forms = view.variants.map(({ name, counts }) => {
    const outage = outageSeconds(counts, view.nowMs);
    const fields = {
      name: name.padEnd(nameWidth),
      phase: view.phase,
      time: timeText(view),
      shortTime: `${seconds(view.elapsedMs)} s`,
      requests: `${counts.requests} req`,
      failed: `${counts.failed} failed`,
      kinds: kindsText(counts),
      outage: outage === undefined ? '' : `outage ${outage.toFixed(1)} s`,
    };
    return [
      [fields.name, fields.phase, fields.time, fields.requests, joined(fields.failed, fields.kinds), fields.outage],
      [fields.name, fields.phase, fields.time, fields.requests, fields.failed, fields.outage],
      [fields.name, fields.time, fields.requests, fields.failed, fields.outage],
      [fields.name, fields.shortTime, fields.requests, fields.failed, fields.outage],
    ].map((parts) => parts.filter((part) => part !== '').join('  '));
  });
  return fitted(forms, width);
}

/** The line each variant keeps once the run has ended, fitted like the live ones. */
export function finalLines(view: ProgressView, width: number): string[] {
  const nameWidth = Math.max(0, ...view.variants.map((variant) => variant.name.length));
  const forms = view.variants.map(({ name, counts }) => {
    const head = `${name.padEnd(nameWidth)}  ${view.phase === 'done' ? 'done' : `ended in ${view.phase}`} after ${seconds(view.elapsedMs)} s`;
    return [
      `${head}  ${plural(counts.requests, 'request')}  ${joined(`${counts.failed} failed`, kindsText(counts))}`,
      `${head}  ${counts.requests} req  ${counts.failed} failed`,
    ];
  });
  return fitted(forms, width);
}

/**
 * Each variant's line in the first form in which every variant's fits (so that the lines keep the same fields,
 * aligned); when none does, the last form, cut.
 */
function fitted(forms: readonly (readonly string[])[], width: number): string[] {
  const count = Math.max(0, ...forms.map((variantForms) => variantForms.length));
  for (let form = 0; form < count; form++) {
    const lines = forms.map((variantForms) => variantForms[form] ?? '');
    if (lines.every((line) => line.length <= width)) return lines;
  }
  return forms.map((variantForms) => cut(variantForms.at(-1) ?? '', width));
}

/**
 * The plain line of a variant for a log (no terminal), every field in words; when `width` is given and a line
 * would be wider, the live lines' short forms after the same prefix.
 */
export function plainLines(view: ProgressView, width?: number): string[] {
  const prefix = 'zdd compare: ';
  const lines = view.variants.map(({ name, counts }) => {
    const outage = outageSeconds(counts, view.nowMs);
    const fields = [
      view.phase,
      view.expectedMs === undefined
        ? `${seconds(view.elapsedMs)} s`
        : `${seconds(view.elapsedMs)} s of about ${Math.ceil(view.expectedMs / 1000)} s`,
      plural(counts.requests, 'request'),
      joined(`${counts.failed} failed`, kindsText(counts)),
      ...(outage === undefined ? [] : [`an outage for ${outage.toFixed(1)} s`]),
    ];
    return `${prefix}${name}: ${fields.join(', ')}`;
  });
  if (width === undefined || lines.every((line) => line.length <= width)) return lines;
  return liveLines(view, width - prefix.length).map((line) => `${prefix}${line}`);
}

/** How long the outage running now has lasted, s; undefined when none is. */
export function outageSeconds(counts: LiveCounts, nowMs: number): number | undefined {
  return counts.outageSinceMs === undefined ? undefined : Math.max(0, nowMs - counts.outageSinceMs) / 1000;
}

/** `12.3/~45 s`, or `12.3 s` before the expected time is known. */
function timeText(view: ProgressView): string {
  if (view.expectedMs === undefined) return `${seconds(view.elapsedMs)} s`;
  return `${seconds(view.elapsedMs)}/~${Math.ceil(view.expectedMs / 1000)} s`;
}

/** `(9 refused, 8 5xx)`, or '' when nothing failed. */
function kindsText(counts: LiveCounts): string {
  const kinds = failedKinds(counts);
  return kinds.length === 0 ? '' : `(${kinds.map(([kind, count]) => `${count} ${KIND_WORDS[kind]}`).join(', ')})`;
}

function joined(first: string, second: string): string {
  return second === '' ? first : `${first} ${second}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** At most `width` characters, the last one `…` when cut. */
export function cut(line: string, width: number): string {
  if (line.length <= width) return line;
  return width <= 0 ? '' : `${line.slice(0, width - 1)}…`;
}

/** `line` broken at spaces into lines of at most `width` characters (a longer word is cut with `…`). */
export function wrapWords(line: string, width: number): string[] {
  return wrapLine(line, width, '').map((part) => cut(part, width));
}
