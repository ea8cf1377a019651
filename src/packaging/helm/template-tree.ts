import { stringify } from 'yaml';

/**
 * A Helm template as a tree: the structure of a rendered object, with some
 * scalars replaced by template expressions, some subtrees by blocks (`include`,
 * `toYaml`), and some map entries guarded by `{{- if }}`. `emitTemplate` writes
 * it as YAML with template actions.
 */
export type Scalar = string | number | boolean | null;

export type TemplateNode =
  | { readonly type: 'literal'; readonly value: Scalar }
  /** One scalar: `{{ text }}`. */
  | { readonly type: 'expr'; readonly text: string }
  /** A map or list written by the pipeline `text`, e.g. `include "app.labels" .` or `toYaml .Values.env`. */
  | { readonly type: 'block'; readonly text: string }
  | { readonly type: 'map'; readonly entries: readonly TemplateEntry[] }
  | { readonly type: 'list'; readonly items: readonly TemplateNode[] }
  /** A scalar that depends on a condition: `{{ if when }}ifTrue{{ else }}ifFalse{{ end }}`. */
  | { readonly type: 'choice'; readonly when: string; readonly ifTrue: TemplateNode; readonly ifFalse: TemplateNode };

export interface TemplateEntry {
  readonly key: string;
  readonly node: TemplateNode;
  /** Conditions that must all hold for the entry to be written. */
  readonly guards: readonly string[];
  /**
   * False for an entry that exists only when a switch is off: it came from
   * that switch's rendering, and no other switch is compared against it.
   */
  readonly base: boolean;
}

/** `and (a) (b)` for several conditions, the condition itself for one. */
export function allOf(conditions: readonly string[]): string {
  return conditions.length === 1 ? (conditions[0] as string) : `and ${conditions.map((c) => `(${c})`).join(' ')}`;
}

/** The lines of a map at `indent` spaces. */
export function emitMap(entries: readonly TemplateEntry[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry.guards.length > 0) lines.push(`${pad}{{- if ${allOf(entry.guards)} }}`);
    lines.push(...emitEntry(entry.key, entry.node, indent));
    if (entry.guards.length > 0) lines.push(`${pad}{{- end }}`);
  }
  return lines;
}

function emitEntry(key: string, node: TemplateNode, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const head = `${pad}${yamlScalar(key)}:`;
  switch (node.type) {
    case 'block':
      return [head, `${pad}  {{- ${node.text} | nindent ${indent + 2} }}`];
    case 'map':
      return node.entries.length === 0 ? [`${head} {}`] : [head, ...emitMap(node.entries, indent + 2)];
    case 'list':
      return node.items.length === 0 ? [`${head} []`] : [head, ...emitList(node.items, indent + 2)];
    default:
      return [`${head} ${inline(node)}`];
  }
}

function emitList(items: readonly TemplateNode[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const item of items) {
    if (item.type === 'block') throw new Error('helm template: a block cannot be a list item');
    if (item.type === 'map' && item.entries.length > 0) {
      // `- key: value` with an unconditional entry first (key order does not matter to YAML);
      // a bare `-` above the map when every entry has a condition.
      const first = item.entries.findIndex((entry) => entry.guards.length === 0);
      const entries =
        first < 0
          ? item.entries
          : [item.entries[first] as TemplateEntry, ...item.entries.filter((_, index) => index !== first)];
      const inner = emitMap(entries, indent + 2);
      if (first >= 0) lines.push(`${pad}- ${(inner[0] as string).trimStart()}`, ...inner.slice(1));
      else lines.push(`${pad}-`, ...inner);
    } else if (item.type === 'list' && item.items.length > 0) {
      lines.push(`${pad}-`, ...emitList(item.items, indent + 2));
    } else {
      lines.push(`${pad}- ${item.type === 'map' ? '{}' : item.type === 'list' ? '[]' : inline(item)}`);
    }
  }
  return lines;
}

function inline(node: TemplateNode): string {
  switch (node.type) {
    case 'literal':
      return yamlScalar(node.value);
    case 'expr':
      return `{{ ${node.text} }}`;
    case 'choice':
      return `{{ if ${node.when} }}${inline(node.ifTrue)}{{ else }}${inline(node.ifFalse)}{{ end }}`;
    default:
      throw new Error(`helm template: a ${node.type} cannot be written inline`);
  }
}

/** A scalar as YAML writes it; text that Helm would read as a template action is refused. */
function yamlScalar(value: Scalar): string {
  if (typeof value === 'string' && (value.includes('{{') || value.includes('}}'))) {
    throw new Error(`helm template: the literal ${JSON.stringify(value)} would be read as a template action`);
  }
  // One line, never folded: a multi-line or folded scalar would not fit after `key: `.
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  return text.includes('\n') ? JSON.stringify(value) : text;
}
