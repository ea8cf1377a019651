import { isDeepStrictEqual } from 'node:util';

/**
 * Where two values part: map keys, and list items by position, or by their
 * `name` when every item on both sides has a distinct one (containers, ports, env).
 */
export type DiffSegment = string | { readonly index: number; readonly name?: string };

/** One place where two objects differ: the topmost path where they part, and each side's value there. */
export interface ValueDifference {
  readonly path: readonly DiffSegment[];
  /** Undefined: only the second side has it. */
  readonly before: unknown;
  /** Undefined: only the first side has it. */
  readonly after: unknown;
}

export interface ObjectDiffOptions {
  /** Match list items by `name` when every item has a distinct one. */
  readonly listsByName: boolean;
  /** Visit keys in sorted order (else the first side's order, then the second side's own keys). */
  readonly sortKeys: boolean;
}

/**
 * The one object-diff walk (diff's field changes, the report's variant
 * delta): the topmost paths where `before` and `after` differ. Mappings are
 * walked key by key; lists of equal length item by item (or by name); a list
 * whose length changed, or values of different shapes, differ as a whole.
 */
export function objectDifferences(
  before: unknown,
  after: unknown,
  options: ObjectDiffOptions,
  path: readonly DiffSegment[] = [],
): ValueDifference[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isMapping(before) && isMapping(after)) {
    const own = Object.keys(after).filter((key) => !(key in before));
    const keys = options.sortKeys
      ? [...new Set([...Object.keys(before), ...own])].sort()
      : [...Object.keys(before), ...own];
    return keys.flatMap((key) => objectDifferences(before[key], after[key], options, [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const [namesBefore, namesAfter] = options.listsByName ? [itemNames(before), itemNames(after)] : [];
    if (namesBefore && namesAfter) {
      const names = [...namesBefore, ...namesAfter.filter((name) => !namesBefore.includes(name))];
      return names.flatMap((name) => {
        const [a, b] = [before[namesBefore.indexOf(name)], after[namesAfter.indexOf(name)]];
        const index = b === undefined ? namesBefore.indexOf(name) : namesAfter.indexOf(name);
        return objectDifferences(a, b, options, [...path, { index, name }]);
      });
    }
    if (before.length === after.length) {
      return before.flatMap((item, index) => objectDifferences(item, after[index], options, [...path, { index }]));
    }
  }
  return [{ path, before, after }];
}

function isMapping(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `name` of every item, when every item has a distinct one. */
function itemNames(items: readonly unknown[]): string[] | undefined {
  const names = items.map((item) => (isMapping(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((name) => name === undefined) || new Set(names).size !== names.length) return undefined;
  return names as string[];
}
