import type { Labels } from './label-selector.js';

/**
 * Which items carry each label pair, in input order: a selector's candidates
 * are the items that carry one of its pairs, so relating thousands of
 * workloads to thousands of Services does not test every pair of them.
 */
export class LabelIndex<T> {
  private readonly byPair = new Map<string, Map<string, T[]>>();

  constructor(
    private readonly items: readonly T[],
    labelsOf: (item: T) => Labels,
  ) {
    for (const item of items) {
      for (const [key, value] of Object.entries(labelsOf(item))) {
        const byValue = this.byPair.get(key) ?? new Map<string, T[]>();
        this.byPair.set(key, byValue);
        const carriers = byValue.get(value);
        if (carriers === undefined) byValue.set(value, [item]);
        else carriers.push(item);
      }
    }
  }

  /**
   * Every item that may satisfy all the pairs of `required`, in input order
   * (a superset: the caller still tests each); every item when `required` is
   * empty.
   */
  candidates(required: Labels): readonly T[] {
    let fewest: readonly T[] | undefined;
    for (const [key, value] of Object.entries(required)) {
      const carriers = this.byPair.get(key)?.get(value) ?? [];
      if (fewest === undefined || carriers.length < fewest.length) fewest = carriers;
      if (fewest.length === 0) break;
    }
    return fewest ?? this.items;
  }
}
