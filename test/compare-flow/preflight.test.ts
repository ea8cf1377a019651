import { describe, expect, test } from 'vitest';
import { comparePlan } from '../../src/compare-flow/options.js';
import { checkLoadLimits, loadBoundMs } from '../../src/compare-flow/preflight.js';
import { synthObjects } from '../helpers/local.js';

const k6 = { kind: 'k6', path: '/usr/local/bin/k6', version: 'v1.8.1' } as const;
const builtin = { kind: 'builtin' } as const;

describe('checkLoadLimits: what the load generator can take, before anything is deployed', () => {
  const objects = synthObjects({});

  test('k6 is given at most 500 req/s per variant; the built-in generator 1000', () => {
    expect(() => checkLoadLimits(objects, comparePlan({ rate: 800 }), k6)).toThrowError(
      '--rate: at most 500 requests per second per variant with k6 (it keeps --rate × 11 VUs ready, about 250 kB each); use --load builtin for up to 1000, got 800',
    );
    expect(checkLoadLimits(objects, comparePlan({ rate: 800, load: 'builtin' }), builtin)).toEqual({
      maxRequestsPerTarget: 1_000_000,
    });
  });

  test('a run whose requests would not fit the sample cap is refused; --rounds 20 at the default rate fits', () => {
    expect(() => checkLoadLimits(objects, comparePlan({ rate: 1000, rounds: 100, load: 'builtin' }), builtin)).toThrow(
      /would need about \d+ requests per variant and connection pattern, more than the 1000000 zdd keeps/,
    );
    expect(() => checkLoadLimits(objects, comparePlan({ rounds: 20 }), builtin)).not.toThrow();
  });

  test('k6 runs at most a day: --rounds × --timeout beyond that is refused', () => {
    const plan = comparePlan({ rounds: 100, timeout: 600 });
    expect(loadBoundMs(plan)).toBeGreaterThan(24 * 3_600_000);
    expect(() => checkLoadLimits(objects, plan, k6)).toThrow(
      /longer than the 24 h k6 is given; lower --timeout or --rounds/,
    );
  });
});
