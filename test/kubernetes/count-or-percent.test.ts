import { describe, expect, test } from 'vitest';
import {
  INT32_MAX,
  isCountOrPercent,
  resolveCount,
  resolveRolling,
  statefulSetUnavailable,
} from '../../src/kubernetes/count-or-percent.js';

describe('count or percent', () => {
  test('a percentage of the replicas rounds up for surge and down for unavailable; a count stays', () => {
    expect(resolveCount('25%', 3, 'up')).toBe(1);
    expect(resolveCount('25%', 3, 'down')).toBe(0);
    expect(resolveCount('100%', 7, 'down')).toBe(7);
    expect(resolveCount(2, 10, 'up')).toBe(2);
    expect(() => resolveCount('a lot', 3, 'up')).toThrow('not a count or percentage');
  });

  test('what the API takes as a count or a percentage', () => {
    expect([0, 3, '0%', '25%'].every(isCountOrPercent)).toBe(true);
    expect([-1, 1.5, '25', '%', 'x%'].some(isCountOrPercent)).toBe(false);
    expect(INT32_MAX).toBe(2 ** 31 - 1);
  });

  test('maxSurge rounds up, maxUnavailable down; both 0 after rounding makes maxUnavailable 1', () => {
    expect(resolveRolling('25%', '25%', 1)).toEqual({ surge: 1, unavailable: 0, fencepost: false });
    expect(resolveRolling('25%', '25%', 4)).toEqual({ surge: 1, unavailable: 1, fencepost: false });
    expect(resolveRolling('10%', '10%', 11)).toEqual({ surge: 2, unavailable: 1, fencepost: false });
    expect(resolveRolling(0, '25%', 1)).toEqual({ surge: 0, unavailable: 1, fencepost: true });
    expect(resolveRolling(0, '49%', 2)).toEqual({ surge: 0, unavailable: 1, fencepost: true });
    // No more than the replicas can be unavailable.
    expect(resolveRolling(0, 5, 3).unavailable).toBe(3);
  });

  test('a StatefulSet takes at least one pod down, and no more than it updates', () => {
    expect(statefulSetUnavailable('10%', 5, 5)).toBe(1);
    expect(statefulSetUnavailable(3, 5, 2)).toBe(2);
  });
});
