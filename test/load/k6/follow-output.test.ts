import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { followK6Output, liveSampleOf } from '../../../src/load/k6/follow-output.js';
import { parseK6Ndjson } from '../../../src/load/k6/ndjson.js';
import type { LiveSample } from '../../../src/load/sample.js';

const FIXTURE = new URL('../../fixtures/importers/k6-v1.8.1/errors.ndjson', import.meta.url);

/** `target kind` → count, the shape both readers are compared in. */
function tally(samples: readonly Pick<LiveSample, 'target' | 'error'>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sample of samples) {
    const key = `${sample.target} ${sample.error ?? 'ok'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

test("each request's http_req_duration point is one live sample, with the kind the whole-file reader gives", async () => {
  const text = await readFile(FIXTURE, 'utf8');
  const live = text.split('\n').flatMap((line) => liveSampleOf(line) ?? []);
  const whole = parseK6Ndjson(text).samples;
  expect(live.length).toBeGreaterThan(0);
  expect(tally(live)).toEqual(tally(whole));
  expect(Object.keys(tally(live)).some((key) => !key.endsWith(' ok'))).toBe(true);
});

test('other lines, setup() requests (no scenario) and broken lines are no sample', () => {
  expect(liveSampleOf('{"type":"Metric","data":{"name":"http_req_duration"},"metric":"http_req_duration"}')).toBe(
    undefined,
  );
  expect(
    liveSampleOf(
      '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-12-02T19:58:35.240Z","value":9,"tags":{"status":"200"}}}',
    ),
  ).toBe(undefined);
  expect(liveSampleOf('{"metric":"http_req_duration","type":"Point","data":{"ti')).toBe(undefined);
  expect(liveSampleOf('{"metric":"http_req_duration","type":"Point","data":null}')).toBe(undefined);
});

test('following the file as it grows, lines cut between two writes included, gives every request once', async () => {
  const text = await readFile(FIXTURE, 'utf8');
  const dir = await mkdtemp(join(tmpdir(), 'zdd-follow-'));
  const file = join(dir, 'k6-samples.ndjson');
  const seen: LiveSample[] = [];
  const followed = followK6Output(file, (sample) => seen.push(sample), 20);
  try {
    // Cut at odd places, the way a writer's buffer falls.
    for (let at = 0; at < text.length; at += 4099) {
      await appendFile(file, text.slice(at, at + 4099));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const expected = text.split('\n').flatMap((line) => liveSampleOf(line) ?? []).length;
    const deadline = Date.now() + 20_000;
    while (seen.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tally(seen)).toEqual(tally(parseK6Ndjson(text).samples));
  } finally {
    await followed.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
