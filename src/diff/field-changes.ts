import { isDeepStrictEqual } from 'node:util';
import { isJsonObject, type JsonValue } from '../json-value.js';
import type { PathSegment } from './field-path.js';

/** One field that differs: the topmost path where the two objects part. */
export interface FieldChange {
  readonly path: readonly PathSegment[];
  readonly change: 'added' | 'removed' | 'changed';
  /** @default - none: the field is added */
  readonly before?: JsonValue;
  /** @default - none: the field is removed */
  readonly after?: JsonValue;
}

/**
 * The fields that differ between two objects, each at the topmost path where
 * they part: an added readinessProbe is one change, a changed periodSeconds
 * inside a probe both sides have is one change. Lists whose items all have a
 * unique `name` (containers, ports, env) are matched by name; other lists of
 * equal length item by item; a list whose length changed is one change.
 */
export function fieldChanges(before: JsonValue, after: JsonValue, path: readonly PathSegment[] = []): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !(key in before))];
    return keys.flatMap((key) => {
      const [a, b] = [before[key], after[key]];
      if (a === undefined) return [{ path: [...path, key], change: 'added', after: b } as FieldChange];
      if (b === undefined) return [{ path: [...path, key], change: 'removed', before: a } as FieldChange];
      return fieldChanges(a, b, [...path, key]);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const [namesBefore, namesAfter] = [itemNames(before), itemNames(after)];
    if (namesBefore && namesAfter) {
      const names = [...namesBefore, ...namesAfter.filter((name) => !namesBefore.includes(name))];
      return names.flatMap((name) => {
        const [a, b] = [before[namesBefore.indexOf(name)], after[namesAfter.indexOf(name)]];
        const index = b === undefined ? namesBefore.indexOf(name) : namesAfter.indexOf(name);
        const at = [...path, { index, name }];
        if (a === undefined) return [{ path: at, change: 'added', after: b } as FieldChange];
        if (b === undefined) return [{ path: at, change: 'removed', before: a } as FieldChange];
        return fieldChanges(a, b, at);
      });
    }
    if (before.length === after.length) {
      return before.flatMap((item, index) => fieldChanges(item, after[index] as JsonValue, [...path, { index }]));
    }
  }
  return [{ path, change: 'changed', before, after }];
}

/** The `name` of every item, when every item has a distinct one. */
function itemNames(items: readonly JsonValue[]): string[] | undefined {
  const names = items.map((item) => (isJsonObject(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((name) => name === undefined) || new Set(names).size !== names.length) return undefined;
  return names as string[];
}
