import { isDeepStrictEqual } from 'node:util';
import type { Switch } from './sentinels.js';
import type { TemplateEntry, TemplateNode } from './template-tree.js';

/**
 * Folds the rendering with one switch off into the template: what only the
 * template has is guarded by the switch, what only the switch-off rendering has
 * is added under the negation, and a scalar that differs becomes a choice.
 * Entries added by an earlier switch are left alone (switches are independent).
 * A difference the chart cannot express (a list whose length changed, a map
 * against a scalar) throws: the constructs changed in a way this must learn.
 */
export function mergeSwitch(template: TemplateNode, off: TemplateNode, change: Switch, path = ''): TemplateNode {
  if (isDeepStrictEqual(template, off)) return template;
  if (template.type === 'map' && off.type === 'map') {
    const entries: TemplateEntry[] = [];
    for (const entry of template.entries) {
      const other = entry.base ? off.entries.find((candidate) => candidate.key === entry.key) : undefined;
      if (!entry.base) entries.push(entry);
      else if (other)
        entries.push({ ...entry, node: mergeSwitch(entry.node, other.node, change, `${path}.${entry.key}`) });
      else entries.push({ ...entry, guards: [...entry.guards, change.on] });
    }
    for (const [index, other] of off.entries.entries()) {
      if (template.entries.some((entry) => entry.key === other.key)) {
        if (template.entries.some((entry) => entry.key === other.key && !entry.base)) {
          throw unsupported(`${path}.${other.key}`, change, 'two switches add the same key');
        }
        continue;
      }
      // Next to the key it follows in the switch-off rendering, so that the template reads in the same order.
      const previous = off.entries[index - 1]?.key;
      const at = previous === undefined ? 0 : entries.findIndex((entry) => entry.key === previous) + 1;
      entries.splice(at, 0, { ...other, guards: [change.off], base: false });
    }
    return { type: 'map', entries };
  }
  if (template.type === 'list' && off.type === 'list') {
    if (template.items.length !== off.items.length) throw unsupported(path, change, 'a list changes length');
    return {
      type: 'list',
      items: template.items.map((item, index) =>
        mergeSwitch(item, off.items[index] as TemplateNode, change, `${path}[${index}]`),
      ),
    };
  }
  if (template.type === 'choice') {
    // A choice from an earlier switch: this switch must leave its value as it is.
    if (isDeepStrictEqual(template.ifTrue, off)) return template;
    throw unsupported(path, change, 'two switches change the same value');
  }
  if (isScalar(template) && isScalar(off)) return { type: 'choice', when: change.on, ifTrue: template, ifFalse: off };
  throw unsupported(path, change, `a ${template.type} becomes a ${off.type}`);
}

function isScalar(node: TemplateNode): boolean {
  return node.type === 'literal' || node.type === 'expr';
}

function unsupported(path: string, change: Switch, what: string): Error {
  return new Error(`helm template: switching ${change.name} off, ${what} at ${path || 'the top'}`);
}
