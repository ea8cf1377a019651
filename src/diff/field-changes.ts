import type { JsonValue } from '../input/json-value.js';
import { objectDifferences } from '../kubernetes/object-diff.js';
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
 * they part (the model's one object-diff walk): an added readinessProbe is one
 * change, a changed periodSeconds inside a probe both sides have is one change.
 * Lists whose items all have a unique `name` (containers, ports, env) are
 * matched by name; other lists of equal length item by item; a list whose
 * length changed is one change.
 */
export function fieldChanges(before: JsonValue, after: JsonValue): FieldChange[] {
  return objectDifferences(before, after, { listsByName: true, sortKeys: false }).map(
    ({ path, before: a, after: b }): FieldChange =>
      a === undefined
        ? { path, change: 'added', after: b as JsonValue }
        : b === undefined
          ? { path, change: 'removed', before: a as JsonValue }
          : { path, change: 'changed', before: a as JsonValue, after: b as JsonValue },
  );
}
