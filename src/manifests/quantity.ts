/**
 * Kubernetes quantities (resources.requests/limits), in the forms people write: `100m`, `0.5`, `64Mi`, `1G`.
 * Values are compared exactly, as the API server does (`500m` < `1`, `128Mi` < `1Gi`, `1G` < `1Gi`).
 */

/** The pattern, as a string, for the JSON schema of the Helm values too. */
export const QUANTITY_PATTERN = '^([0-9]+(\\.[0-9]+)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$';

const QUANTITY = new RegExp(QUANTITY_PATTERN);

/** What each suffix multiplies by, as a fraction. */
const SUFFIXES: Readonly<Record<string, { readonly times: bigint; readonly per: bigint }>> = {
  '': { times: 1n, per: 1n },
  m: { times: 1n, per: 1000n },
  k: { times: 10n ** 3n, per: 1n },
  M: { times: 10n ** 6n, per: 1n },
  G: { times: 10n ** 9n, per: 1n },
  T: { times: 10n ** 12n, per: 1n },
  P: { times: 10n ** 15n, per: 1n },
  E: { times: 10n ** 18n, per: 1n },
  Ki: { times: 2n ** 10n, per: 1n },
  Mi: { times: 2n ** 20n, per: 1n },
  Gi: { times: 2n ** 30n, per: 1n },
  Ti: { times: 2n ** 40n, per: 1n },
  Pi: { times: 2n ** 50n, per: 1n },
  Ei: { times: 2n ** 60n, per: 1n },
};

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** -1, 0 or 1 as quantity `a` is less than, equal to or more than `b`; both must pass `isQuantity`. */
export function compareQuantities(a: string, b: string): -1 | 0 | 1 {
  const x = exactValue(a);
  const y = exactValue(b);
  const left = x.numerator * y.denominator;
  const right = y.numerator * x.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A quantity as numerator / denominator, without rounding. */
function exactValue(text: string): { numerator: bigint; denominator: bigint } {
  const match = QUANTITY.exec(text);
  if (!match) throw new Error(`not a Kubernetes quantity: ${JSON.stringify(text)}`);
  const [number = '', suffix = ''] = [match[1], match[3]];
  const [whole = '', fraction = ''] = number.split('.');
  const scale = SUFFIXES[suffix] ?? { times: 1n, per: 1n };
  return {
    numerator: BigInt(`${whole}${fraction}` || '0') * scale.times,
    denominator: 10n ** BigInt(fraction.length) * scale.per,
  };
}
