import { isDeepStrictEqual } from 'node:util';
import { isJsonObject, type JsonValue } from '../../input/json-value.js';
import { labelsFor, selectorFor } from '../../manifests/labels.js';
import { type ChartNames, include } from './helpers.js';
import {
  PROBE_PORT_EXPR,
  PROBE_PORT_PATH,
  SENTINEL,
  type SentinelBinding,
  sentinelBindings,
  valueRef,
} from './sentinels.js';
import type { TemplateNode } from './template-tree.js';

/**
 * Turns one sentinel rendering into a template: sentinels become references to
 * their values, the constructs' label and selector maps become the chart's
 * helpers, env and resources become `toYaml` of their values. Anything else is
 * kept as the constructs wrote it; a sentinel left over is a bug and throws.
 */
export function templatize(value: JsonValue, chart: ChartNames): TemplateNode {
  const bindings = sentinelBindings(chart);
  return convert(value, [], { chart, bindings, blocks: blockBindings(chart) });
}

interface Context {
  readonly chart: ChartNames;
  readonly bindings: readonly SentinelBinding[];
  readonly blocks: ReadonlyArray<{ readonly value: JsonValue; readonly text: string }>;
}

function blockBindings(chart: ChartNames): Context['blocks'] {
  const names = [SENTINEL.defaultName, SENTINEL.zeroDowntimeName];
  return [
    ...names.flatMap((name) =>
      (['default', 'zero-downtime'] as const).map((variant) => ({
        value: labelsFor(name, variant),
        text: include(chart, 'labels'),
      })),
    ),
    ...names.map((name) => ({ value: selectorFor(name), text: include(chart, 'selectorLabels') })),
    {
      value: Object.entries(SENTINEL.env).map(([name, value]) => ({ name, value })),
      text: `toYaml ${valueRef('env')}`,
    },
    { value: SENTINEL.resources, text: `toYaml ${valueRef('resources')}` },
  ];
}

function convert(value: JsonValue, path: readonly (string | number)[], context: Context): TemplateNode {
  const block = context.blocks.find((candidate) => isDeepStrictEqual(candidate.value, value));
  if (block) return { type: 'block', text: block.text };
  if (Array.isArray(value)) {
    return { type: 'list', items: value.map((item, index) => convert(item, [...path, index], context)) };
  }
  if (isJsonObject(value)) {
    return {
      type: 'map',
      entries: Object.entries(value).map(([key, child]) => ({
        key,
        node: convert(child, [...path, key], context),
        guards: [],
        base: true,
      })),
    };
  }
  if (endsWith(path, PROBE_PORT_PATH)) {
    if (value !== SENTINEL.port) throw leftover(path, value, 'expected the app port at the probe port');
    return { type: 'expr', text: PROBE_PORT_EXPR };
  }
  const whole = context.bindings.find((binding) => binding.value === value);
  if (whole) return { type: 'expr', text: whole.expr };
  if (typeof value === 'string') {
    const inText = textWithSentinels(value, context.bindings);
    if (inText) return { type: 'expr', text: inText };
  }
  if (isSentinelLike(value)) throw leftover(path, value, 'a sentinel in a form the chart cannot write');
  return { type: 'literal', value };
}

/** `printf "sleep %d; %s" (int64 .Values…) .Values… | toJson` for a string with sentinels inside. */
function textWithSentinels(text: string, bindings: readonly SentinelBinding[]): string | undefined {
  const byToken = new Map(
    bindings.flatMap((binding) => (binding.inText ? [[String(binding.value), binding.inText] as const] : [])),
  );
  const tokens = [...byToken.keys()]
    .sort((a, b) => b.length - a.length)
    // A number only as a whole number: 50008 is not inside 500081.
    .map((token) => (/^\d+$/.test(token) ? `(?<!\\d)${token}(?!\\d)` : token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  let format = '';
  let last = 0;
  const args: string[] = [];
  for (const match of text.matchAll(new RegExp(tokens.join('|'), 'g'))) {
    const inText = byToken.get(match[0]);
    if (!inText) continue;
    format += text.slice(last, match.index).replaceAll('%', '%%') + inText.verb;
    args.push(inText.arg);
    last = match.index + match[0].length;
  }
  if (args.length === 0) return undefined;
  format += text.slice(last).replaceAll('%', '%%');
  return `printf ${JSON.stringify(format)} ${args.join(' ')} | toJson`;
}

function endsWith(path: readonly (string | number)[], suffix: readonly string[]): boolean {
  return suffix.every((key, index) => path[path.length - suffix.length + index] === key);
}

function isSentinelLike(value: JsonValue): boolean {
  if (typeof value === 'number') return value >= 50000 && value < 50100;
  return typeof value === 'string' && (value.includes('zdd-sentinel') || /\b500\d\d\b/.test(value));
}

function leftover(path: readonly (string | number)[], value: JsonValue, what: string): Error {
  return new Error(`helm template: ${what} at ${path.join('.')}: ${JSON.stringify(value)}`);
}
