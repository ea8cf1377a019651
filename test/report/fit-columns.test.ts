import { describe, expect, test } from 'vitest';
import { fitColumns } from '../../src/report/fit-columns.js';

describe('fitColumns', () => {
  const head = ['variant', 'requests', 'longest outage (ms)'];
  const lines = [
    ['zero-downtime-app', '2500', '0'],
    ['  reused connections', '1250', '3966'],
  ];
  const widthsAt = (width: number, truncate = true) =>
    fitColumns({ head, lines, wraps: [true, false, false], width, truncate });

  test('as wide as their widest cell when the table fits', () => {
    expect(widthsAt(80)).toEqual([20, 8, 19]);
  });

  test('a head wraps first, into as few lines as fit', () => {
    expect(widthsAt(43)).toEqual([20, 8, 11]);
    expect(widthsAt(42)).toEqual([20, 8, 7]);
  });

  test('then a text column’s cells wrap; a figure never does', () => {
    expect(widthsAt(36)).toEqual([17, 8, 7]);
  });

  test('what does not fit even so is cut, unless the table may run wider', () => {
    expect(widthsAt(30)).toEqual([11, 8, 7]);
    expect(widthsAt(30, false)).toEqual([20, 8, 19]);
  });
});
