import { expect, test } from 'vitest';
import { createProgress } from '../../src/compare-flow/progress.js';
import type { LiveSample } from '../../src/load/sample.js';

function stream(isTTY: boolean, columns?: number) {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, columns, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream,
  };
}

const sample = (target: string, error?: 'http_5xx'): LiveSample => ({
  target,
  epochMs: Date.now(),
  latencyMs: 1,
  ...(error && { error }),
});

const ESCAPE = '\x1b';
/** The live block's cursor moves: up, erase the line, carriage return. */
const CURSOR_MOVES = new RegExp(`${ESCAPE}\\[\\d*[AK]|\r`, 'g');
const VARIANTS = { variants: ['default-app', 'zero-downtime-app'], expectedMs: 40_000 };
const until = async (check: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

test('not a terminal: a plain line per phase, a line per variant every few seconds and at the end, no escape codes', async () => {
  const { written, stream: out } = stream(false);
  const progress = createProgress({ stream: out, plainEveryMs: 50 });
  progress.start(VARIANTS);
  progress.phase('warm-up', '50 req/s');
  progress.sample(sample('default-app'));
  progress.sample(sample('zero-downtime-app', 'http_5xx'));
  await until(() => written.length > 1);
  progress.end('done');
  const text = written.join('');
  expect(written[0]).toBe('zdd compare: warm-up: 50 req/s\n');
  expect(text).toMatch(/^zdd compare: default-app: warm-up, \d+\.\d s of about 40 s, 1 request, 0 failed$/m);
  expect(text).toMatch(/^zdd compare: zero-downtime-app: warm-up, .*, 1 request, 1 failed \(1 5xx\), an outage for/m);
  expect(text).toMatch(
    /zdd compare: default-app: done, [^\n]*\nzdd compare: zero-downtime-app: done, .*, 1 request, 1 failed \(1 5xx\)/,
  );
  expect(text.endsWith('\n')).toBe(true);
  expect(text).not.toContain(ESCAPE);
});

test('a terminal: one line per variant redrawn in place, no wider than the terminal, then a final line each', async () => {
  const { written, stream: out } = stream(true, 80);
  const progress = createProgress({ stream: out, refreshMs: 20 });
  progress.start(VARIANTS);
  progress.phase('rollout 1/1');
  progress.sample(sample('default-app'));
  progress.sample(sample('default-app', 'http_5xx'));
  progress.sample(sample('zero-downtime-app'));
  await until(() => written.length > 3);
  progress.log('a note that is longer than the eighty columns of this terminal, so it goes on to the next line');
  progress.end('done');
  const redraws = written.filter((text) => text.startsWith(`${ESCAPE}[2A\r`));
  expect(redraws.length).toBeGreaterThan(1);
  const last = redraws.at(-1) ?? '';
  const lines = last.replace(CURSOR_MOVES, '').split('\n');
  expect(lines).toEqual([
    expect.stringMatching(/^default-app {8}done after/),
    expect.stringMatching(/^zero-downtime-app {2}done/),
    '',
  ]);
  for (const text of written) {
    for (const line of text.replace(CURSOR_MOVES, '').split('\n')) expect(line.length).toBeLessThan(80);
  }
  const live = redraws.find((text) => text.includes('rollout 1/1')) ?? '';
  expect(live).toMatch(/default-app {8}rollout 1\/1 .* 2 req {2}1 failed/);
  expect(written.join('').replace(CURSOR_MOVES, '')).toContain(
    'zdd compare: a note that is longer than the eighty columns of this terminal, so\nit goes on to the next line\n',
  );
});

test('quiet (--format json): nothing but the log lines', async () => {
  const { written, stream: out } = stream(true);
  const progress = createProgress({ stream: out, quiet: true, refreshMs: 10, plainEveryMs: 10 });
  progress.start(VARIANTS);
  progress.phase('warm-up');
  progress.sample(sample('default-app'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  progress.log('note: k6 is not installed');
  progress.end('done');
  expect(written).toEqual(['zdd compare: note: k6 is not installed\n']);
});

test('a terminal, interrupted: the live lines stay as they are and the final lines follow below them', async () => {
  const { written, stream: out } = stream(true, 80);
  const interrupt = new AbortController();
  const progress = createProgress({ stream: out, refreshMs: 10, signal: interrupt.signal });
  progress.start(VARIANTS);
  progress.phase('warm-up');
  await until(() => written.length > 2);
  // The interrupt's own line, written below the live lines, must stay.
  out.write('zdd: SIGINT: stopping everything zdd started\n');
  interrupt.abort();
  const count = written.length;
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(written.length).toBe(count);
  progress.end('stopped');
  const last = written.at(-1) ?? '';
  expect(last.startsWith(`${ESCAPE}[2K`)).toBe(true);
  expect(last).not.toMatch(new RegExp(`${ESCAPE}\\[\\d+A`));
  expect(last.replace(CURSOR_MOVES, '')).toMatch(/^default-app {8}ended in warm-up after/);
});

test('not a terminal, with a width (COLUMNS): every line keeps to it', async () => {
  const { written, stream: out } = stream(false);
  const progress = createProgress({ stream: out, plainWidth: 40, plainEveryMs: 10 });
  progress.start(VARIANTS);
  progress.phase('deploying', 'default-app and zero-downtime-app on the local cluster (time scale 0.1)');
  progress.sample(sample('zero-downtime-app', 'http_5xx'));
  progress.log('note: a note longer than forty characters, broken at spaces');
  await until(() => written.length > 3);
  progress.end('done');
  const lines = written.join('').split('\n');
  expect(lines.length).toBeGreaterThan(6);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
  expect(lines).toContain('zdd compare: note: a note longer than');
});
