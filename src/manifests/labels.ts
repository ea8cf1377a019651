/** Which of the two variants an object belongs to. */
export type Variant = 'default' | 'zero-downtime';

/** The label that tells the two variants apart (and selects them in tests and reports). */
export const VARIANT_LABEL = 'zdd/variant';

/** Labels on every object and pod of one variant. */
export function labelsFor(name: string, variant: Variant): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'zdd',
    'app.kubernetes.io/name': name,
    [VARIANT_LABEL]: variant,
  };
}

/** The pod selector: the name alone, so that relabelling a variant never orphans its pods. */
export function selectorFor(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}
