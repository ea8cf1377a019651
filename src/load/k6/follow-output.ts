/**
 * k6's `--out json` file read while k6 writes it, for the live progress: every `intervalMs`, the lines added
 * since the last read; each request's http_req_duration point (one per request) becomes a `LiveSample`. k6
 * writes its points in batches (its JSON output flushes a few times a second), so the counts lag by that much.
 * The samples the report uses are still read from the whole file once k6 has exited (`run.ts`).
 */
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { LiveSample } from '../sample.js';
import { parseTime, requestError } from './ndjson.js';

const CHUNK_BYTES = 1 << 20;

export interface FollowedOutput {
  /** Stops reading (what was read stays reported). */
  stop(): Promise<void>;
}

/** Follows `file` (which may not exist yet) until `stop()`; unreadable lines are skipped. */
export function followK6Output(file: string, onSample: (sample: LiveSample) => void, intervalMs = 250): FollowedOutput {
  let stopped = false;
  let position = 0;
  let partial = '';
  const buffer = Buffer.alloc(CHUNK_BYTES);
  // A character cut between two reads is kept for the next.
  const decoder = new StringDecoder('utf8');
  const readNew = async () => {
    // Not there until k6 has started.
    const handle = await open(file, 'r').catch(() => undefined);
    if (handle === undefined) return;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
        if (bytesRead === 0 || stopped) return;
        position += bytesRead;
        const lines = (partial + decoder.write(buffer.subarray(0, bytesRead))).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const sample = liveSampleOf(line);
          if (sample) onSample(sample);
        }
      }
    } finally {
      await handle.close();
    }
  };
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      await readNew().catch(() => undefined);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, intervalMs).unref();
      });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

/** The request an http_req_duration point ends, or undefined for any other line. */
export function liveSampleOf(line: string): LiveSample | undefined {
  // Most lines are other metrics' points: skipped before parsing.
  if (!line.includes('"http_req_duration"')) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  const point = entry as {
    type?: unknown;
    metric?: unknown;
    data?: { time?: unknown; value?: unknown; tags?: unknown };
  };
  const data = point.data;
  if (point.type !== 'Point' || point.metric !== 'http_req_duration' || typeof data !== 'object' || data === null) {
    return undefined;
  }
  const tags = (typeof data.tags === 'object' && data.tags !== null ? data.tags : {}) as Record<string, unknown>;
  const target = typeof tags.variant === 'string' ? tags.variant : tags.scenario;
  const endMs = typeof data.time === 'string' ? parseTime(data.time) : Number.NaN;
  const latencyMs = typeof data.value === 'number' ? data.value : 0;
  // setup() and teardown() have no scenario: no variant's.
  if (typeof target !== 'string' || typeof tags.scenario !== 'string' || !Number.isFinite(endMs)) return undefined;
  const error = requestError(tags);
  return { target, epochMs: endMs - latencyMs, latencyMs, ...(error && { error }) };
}
