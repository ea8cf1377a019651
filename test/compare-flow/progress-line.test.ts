import { describe, expect, test } from 'vitest';
import { countRequest, type LiveCounts, NO_REQUESTS } from '../../src/compare-flow/live-counts.js';
import {
  cut,
  finalLines,
  liveLines,
  type ProgressView,
  plainLines,
  wrapWords,
} from '../../src/compare-flow/progress-line.js';
import type { LiveSample } from '../../src/load/sample.js';

const ok = (epochMs: number): LiveSample => ({ target: 'x', epochMs, latencyMs: 5 });
const failed = (epochMs: number, error: LiveSample['error'] = 'refused'): LiveSample => ({
  target: 'x',
  epochMs,
  latencyMs: 5,
  error,
});
const fold = (samples: readonly LiveSample[]): LiveCounts => samples.reduce(countRequest, NO_REQUESTS);

describe('live counts', () => {
  test('requests and failures by kind', () => {
    const counts = fold([ok(0), failed(10), failed(20, 'http_5xx'), failed(30), ok(40)]);
    expect(counts).toEqual({ requests: 5, failed: 3, byKind: { refused: 2, http_5xx: 1 } });
  });

  test('an outage runs from its first failure until a request started after it succeeds', () => {
    expect(fold([ok(0), failed(100), failed(50)]).outageSinceMs).toBe(50);
    // A request that started before the outage and ends late says nothing about now.
    expect(fold([failed(100), ok(90)]).outageSinceMs).toBe(100);
    expect(fold([failed(100), ok(100)]).outageSinceMs).toBe(undefined);
  });
});

const view = (over: Partial<ProgressView> = {}): ProgressView => ({
  phase: 'rollout 1/1',
  elapsedMs: 12_345,
  expectedMs: 44_100,
  nowMs: 10_000,
  variants: [
    { name: 'default-app', counts: fold([ok(0), failed(7_900), failed(8_000, 'http_5xx'), failed(8_100, 'reset')]) },
    { name: 'zero-downtime-app', counts: fold([ok(0), ok(1)]) },
  ],
  ...over,
});

describe('live lines', () => {
  test('wide: every field, names aligned, the outage running now', () => {
    expect(liveLines(view(), 200)).toEqual([
      'default-app        rollout 1/1  12.3/~45 s  4 req  3 failed (1 refused, 1 reset, 1 5xx)  outage 2.1 s',
      'zero-downtime-app  rollout 1/1  12.3/~45 s  2 req  0 failed',
    ]);
  });

  test('narrower: the kinds go first, then the phase, then the expected time; then the line is cut', () => {
    const widths = [80, 60, 56, 20];
    const lines = widths.map((width) => liveLines(view(), width)[0]);
    expect(lines).toEqual([
      'default-app        rollout 1/1  12.3/~45 s  4 req  3 failed  outage 2.1 s',
      'default-app        12.3/~45 s  4 req  3 failed  outage 2.1 s',
      'default-app        12.3 s  4 req  3 failed  outage 2.1 s',
      'default-app        …',
    ]);
    for (const [index, width] of widths.entries()) {
      for (const line of liveLines(view(), width)) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines[index]?.length).toBeLessThanOrEqual(width);
    }
  });

  test('before the expected time is known: the elapsed time alone', () => {
    expect(liveLines(view({ expectedMs: undefined }), 200)[1]).toBe(
      'zero-downtime-app  rollout 1/1  12.3 s  2 req  0 failed',
    );
  });
});

test('final lines: done, or the phase the run ended in', () => {
  expect(finalLines(view({ phase: 'done' }), 200)).toEqual([
    'default-app        done after 12.3 s  4 requests  3 failed (1 refused, 1 reset, 1 5xx)',
    'zero-downtime-app  done after 12.3 s  2 requests  0 failed',
  ]);
  expect(finalLines(view(), 70)[0]).toBe('default-app        ended in rollout 1/1 after 12.3 s  4 req  3 failed');
});

test('plain lines (no terminal): words, no escape codes; shorter only for a given width', () => {
  expect(plainLines(view())).toEqual([
    'zdd compare: default-app: rollout 1/1, 12.3 s of about 45 s, 4 requests, 3 failed (1 refused, 1 reset, 1 5xx), an outage for 2.1 s',
    'zdd compare: zero-downtime-app: rollout 1/1, 12.3 s of about 45 s, 2 requests, 0 failed',
  ]);
  // Narrower: the live lines' short forms.
  expect(plainLines(view(), 80)).toEqual([
    'zdd compare: default-app        12.3/~45 s  4 req  3 failed  outage 2.1 s',
    'zdd compare: zero-downtime-app  12.3/~45 s  2 req  0 failed',
  ]);
});

test('wrapWords breaks at spaces and cuts a word longer than the width', () => {
  expect(wrapWords('a note that is long', 8)).toEqual(['a note', 'that is', 'long']);
  expect(wrapWords('unbreakable-word x', 6)).toEqual(['unbre…', 'x']);
  expect(cut('abcdef', 4)).toBe('abc…');
});
