import { type IntOrPercent, isCountOrPercent } from '../kubernetes/count-or-percent.js';
import type { ManifestObject } from '../kubernetes/object.js';
import { formatValue } from '../runtime/errors.js';
import type { Fields } from './fields.js';
import {
  isEmptySelector,
  type LabelSelector,
  type Labels,
  readLabelSelector,
  selectorMatches,
} from './label-selector.js';

/** A PodDisruptionBudget: which pods it guards and how many of them evictions must leave. */
export interface PodDisruptionBudget {
  readonly object: ManifestObject;
  readonly selector: LabelSelector | undefined;
  readonly minAvailable: IntOrPercent | undefined;
  readonly maxUnavailable: IntOrPercent | undefined;
}

export function readPodDisruptionBudget(fields: Fields): PodDisruptionBudget {
  const spec = fields.at(['spec']);
  const minAvailable = spec.intOrString(['minAvailable']);
  const maxUnavailable = spec.intOrString(['maxUnavailable']);
  if (minAvailable !== undefined && maxUnavailable !== undefined) {
    spec.note([], 'sets both minAvailable and maxUnavailable, which the API refuses; not judged');
  } else if (minAvailable === undefined && maxUnavailable === undefined) {
    spec.note([], 'sets neither minAvailable nor maxUnavailable; not judged');
  }
  for (const [field, value] of [
    ['minAvailable', minAvailable],
    ['maxUnavailable', maxUnavailable],
  ] as const) {
    if (value !== undefined && !isCountOrPercent(value)) {
      spec.note(
        [field],
        `expected a whole number ≥ 0 or a percentage like "50%", got ${formatValue(value)}; not judged`,
      );
    }
  }
  if (!spec.has(['selector'])) spec.note([], 'has no selector, so it guards no pod');
  return { object: fields.object, selector: readLabelSelector(spec.at(['selector'])), minAvailable, maxUnavailable };
}

/**
 * Whether the budget guards pods with these labels. A missing selector
 * selects nothing; an empty one (`{}`) every pod of the namespace in
 * policy/v1, and nothing in policy/v1beta1 (the API reference of each version).
 */
export function pdbSelects(pdb: PodDisruptionBudget, labels: Labels): boolean {
  if (pdb.selector === undefined) return false;
  if (isEmptySelector(pdb.selector)) return pdb.object.apiVersion === 'policy/v1';
  return selectorMatches(pdb.selector, labels);
}
