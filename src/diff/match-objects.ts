import type { ManifestObject } from '../kubernetes/object.js';

/** An object on each side, or on one side only. */
export interface ObjectPair {
  readonly kind: string;
  /** @default - none: only the second side has it */
  readonly before?: ManifestObject;
  /** @default - none: only the first side has it */
  readonly after?: ManifestObject;
}

/**
 * Pairs the objects of two sides: by kind and name first; then, among those
 * left, by kind alone when each side has exactly one of that kind (the two
 * variants name every object differently). Pairs follow the first side's
 * order, then the second side's objects of its own.
 */
export function matchObjects(before: readonly ManifestObject[], after: readonly ManifestObject[]): ObjectPair[] {
  const taken = new Set<ManifestObject>();
  const partner = new Map<ManifestObject, ManifestObject>();
  for (const object of before) {
    const same = after.find((other) => !taken.has(other) && other.kind === object.kind && other.name === object.name);
    if (same) {
      partner.set(object, same);
      taken.add(same);
    }
  }
  for (const object of before) {
    if (partner.has(object)) continue;
    const lonelyBefore = before.filter((other) => other.kind === object.kind && !partner.has(other));
    const lonelyAfter = after.filter((other) => other.kind === object.kind && !taken.has(other));
    if (lonelyBefore.length === 1 && lonelyAfter.length === 1) {
      const [only] = lonelyAfter as [ManifestObject];
      partner.set(object, only);
      taken.add(only);
    }
  }
  return [
    ...before.map((object) => ({ kind: object.kind, before: object, after: partner.get(object) })),
    ...after.filter((object) => !taken.has(object)).map((object) => ({ kind: object.kind, after: object })),
  ];
}
