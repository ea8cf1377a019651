import { expect, test } from 'vitest';
import { createProgress } from '../../src/compare-flow/progress.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream,
  };
}

const sample = (target: string, error?: 'http_5xx') => ({
  target,
  scheduledMs: 0,
  startMs: 0,
  epochMs: 0,
  latencyMs: 1,
  status: error ? 503 : 200,
  error,
});

test('not a terminal: one plain line per phase', () => {
  const { written, stream: out } = stream(false);
  const progress = createProgress(out);
  progress.phase('warm-up', '50 req/s');
  progress.sample(sample('default-app'));
  progress.end();
  expect(written).toEqual(['zdd compare: warm-up: 50 req/s\n']);
});

test('a terminal: a live line with phase, elapsed time, requests and errors per variant', async () => {
  const { written, stream: out } = stream(true);
  const progress = createProgress(out);
  progress.phase('rollout 1/1');
  progress.sample(sample('default-app'));
  progress.sample(sample('default-app', 'http_5xx'));
  progress.sample(sample('zero-downtime-app'));
  await new Promise((resolve) => setTimeout(resolve, 250));
  progress.end();
  const line = written.find((text) => text.includes('rollout 1/1')) ?? '';
  const clearLine = '\r\x1b[2K';
  expect(line.startsWith(clearLine)).toBe(true);
  expect(line.slice(clearLine.length)).toMatch(
    /^rollout 1\/1\s+\d+\.\d s {2}default-app 2 req 1 err {2}zero-downtime-app 1 req 0 err$/,
  );
  expect(written.at(-1)).toBe('\r\x1b[2K');
});
