import { isDeepStrictEqual } from 'node:util';
import { isJsonObject, type JsonValue } from '../../input/json-value.js';

/** One RFC 6902 operation, as kustomize's `patches` take them. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace';
  /** A JSON pointer (RFC 6901). */
  readonly path: string;
  /** @default - none, for `remove` */
  readonly value?: JsonValue;
  /** What the path held before: not part of the patch, for classifying it. @default - none, for `add` */
  readonly before?: JsonValue;
}

/**
 * The operations that turn `before` into `after`, as deep as they can go:
 * an added key is one `add` of its whole value, so that a new setting reads as
 * one operation. Lists of equal length are compared item by item (a container
 * keeps its index); a list whose length changed is replaced whole.
 */
export function jsonPatch(before: JsonValue, after: JsonValue, path = ''): JsonPatchOperation[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isJsonObject(before) && isJsonObject(after)) {
    const operations: JsonPatchOperation[] = [];
    for (const [key, value] of Object.entries(before)) {
      const child = `${path}/${escapeToken(key)}`;
      if (!(key in after)) operations.push({ op: 'remove', path: child, before: value });
      else operations.push(...jsonPatch(value, after[key] as JsonValue, child));
    }
    for (const [key, value] of Object.entries(after)) {
      if (!(key in before)) operations.push({ op: 'add', path: `${path}/${escapeToken(key)}`, value });
    }
    return operations;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, index) => jsonPatch(item, after[index] as JsonValue, `${path}/${index}`));
  }
  return [{ op: 'replace', path, value: after, before }];
}

/** RFC 6901: `~` and `/` inside a key (`zdd/variant`) are written `~0` and `~1`. */
export function escapeToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
