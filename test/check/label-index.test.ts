import { describe, expect, test } from 'vitest';
import { LabelIndex } from '../../src/check/label-index.js';
import { type Labels, mapSelectorMatches } from '../../src/check/label-selector.js';

const pods: ReadonlyArray<{ name: string; labels: Labels }> = [
  { name: 'a', labels: { app: 'web', tier: 'front' } },
  { name: 'b', labels: { app: 'api' } },
  { name: 'c', labels: { app: 'web', tier: 'back' } },
  { name: 'd', labels: {} },
];
const index = new LabelIndex(pods, (pod) => pod.labels);
const names = (selector: Labels) => index.candidates(selector).map((pod) => pod.name);

describe('LabelIndex', () => {
  test('gives the carriers of the rarest pair of the selector, in input order', () => {
    expect(names({ app: 'web' })).toEqual(['a', 'c']);
    expect(names({ app: 'web', tier: 'back' })).toEqual(['c']);
  });

  test('gives none when a pair is carried by no item, and every item for an empty selector', () => {
    expect(names({ app: 'web', tier: 'none' })).toEqual([]);
    expect(names({ constructor: 'x' })).toEqual([]);
    expect(names({})).toEqual(['a', 'b', 'c', 'd']);
  });

  test('every item a selector matches is among its candidates', () => {
    const selectors: Labels[] = [{ app: 'web' }, { tier: 'front' }, { app: 'api', tier: 'front' }, { toString: 'x' }];
    for (const selector of selectors) {
      const matching = pods.filter((pod) => mapSelectorMatches(selector, pod.labels)).map((pod) => pod.name);
      expect(names(selector)).toEqual(expect.arrayContaining(matching));
    }
  });
});
