import { expect, test } from 'vitest';
import type { Sample } from '../../src/load/sample.js';
import { SamplesReader, sampleLine } from '../../src/results-folder/samples-file.js';

test('a sample written by sampleLine reads back the same, to the precision the file keeps', () => {
  const written: Sample[] = [
    {
      target: 'default-app',
      scheduledMs: 0,
      startMs: 1,
      epochMs: 1_700_000_000_000.4,
      latencyMs: 12.34567,
      status: 200,
      pod: 'default-app-1-abc',
    },
    {
      target: 'zero-downtime-app',
      connection: 'new',
      scheduledMs: 5,
      startMs: 6,
      epochMs: 1_700_000_000_010,
      latencyMs: 3,
      status: 0,
      error: 'refused',
    },
  ];
  const lines = written.map(sampleLine);
  expect(lines[0]).toBe(
    '{"time":1700000000000,"variant":"default-app","connection":"reused","latencyMs":12.346,"status":200,"error":null,"pod":"default-app-1-abc"}',
  );
  const reader = new SamplesReader('samples.ndjson');
  lines.forEach((line, index) => {
    reader.push(line, index + 1);
  });
  expect(reader.finish(true)).toEqual([
    {
      target: 'default-app',
      connection: 'reused',
      scheduledMs: 0,
      startMs: 0,
      epochMs: 1_700_000_000_000,
      latencyMs: 12.346,
      status: 200,
      pod: 'default-app-1-abc',
    },
    {
      target: 'zero-downtime-app',
      connection: 'new',
      scheduledMs: 10,
      startMs: 10,
      epochMs: 1_700_000_000_010,
      latencyMs: 3,
      status: 0,
      error: 'refused',
    },
  ]);
});
