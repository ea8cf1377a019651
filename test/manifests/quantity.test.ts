import { describe, expect, test } from 'vitest';
import { compareQuantities, isQuantity } from '../../src/manifests/quantity.js';

describe('Kubernetes quantities compare exactly', () => {
  test.each([
    ['500m', '1', -1],
    ['1', '1000m', 0],
    ['0.5', '500m', 0],
    ['.1', '100m', 0],
    ['128Mi', '1Gi', -1],
    ['1G', '1Gi', -1],
    ['1024Mi', '1Gi', 0],
    ['0.5Gi', '512Mi', 0],
    ['1k', '1Ki', -1],
    ['1001m', '1', 1],
    ['2E', '1Ei', 1],
    ['0.0001', '1m', -1],
  ] as const)('%s vs %s', (a, b, expected) => {
    expect(compareQuantities(a, b)).toBe(expected);
    expect(compareQuantities(b, a)).toBe(-expected || 0);
  });

  test('the forms zdd accepts', () => {
    expect(['100m', '0.5', '.5', '64Mi', '1G', '2'].every(isQuantity)).toBe(true);
    expect(['-5Mi', '1.', '1e3', '5mi', '', 'Mi'].some(isQuantity)).toBe(false);
  });
});
