/**
 * A results folder's `samples.ndjson`: one JSON object per line and request (time: the request's start,
 * epoch ms; variant; connection; latencyMs; status; error; pod), written by `sampleLine` and read back into
 * `Sample`s by `SamplesReader`. Pure: feed lines with `push`, then `finish`.
 */
import { InputFileError } from '../input/input-file-error.js';
import { jsonTooDeepAt, TOO_DEEP } from '../input/nesting.js';
import { ERROR_KINDS, type ErrorKind, type Sample } from '../load/sample.js';

/** One sample's line (without its line break); latencies to 0.001 ms, times to 1 ms. */
export function sampleLine(sample: Sample): string {
  return JSON.stringify({
    time: Math.round(sample.epochMs),
    variant: sample.target,
    connection: sample.connection ?? 'reused',
    latencyMs: Math.round(sample.latencyMs * 1000) / 1000,
    status: sample.status,
    error: sample.error ?? null,
    pod: sample.pod ?? null,
  });
}

export class SamplesReader {
  private readonly samples: Sample[] = [];
  /** A line that is not JSON: an error, unless it is the last one of a file cut off. */
  private unreadable: { readonly line: string; readonly number: number } | undefined;

  constructor(private readonly file: string) {}

  /** One line (without its line break) and its 1-based number. */
  push(line: string, number: number): void {
    this.throwUnreadable();
    if (line.trim() === '') return;
    if (jsonTooDeepAt(line) !== undefined) throw new InputFileError(this.file, TOO_DEEP, number);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.unreadable = { line, number };
      return;
    }
    this.samples.push(toSample(value, this.file, number));
  }

  /** The samples; `endsWithNewline` false means the last line may have been cut off. */
  finish(endsWithNewline: boolean): Sample[] {
    if (this.unreadable && !endsWithNewline) {
      throw new InputFileError(this.file, 'the last line is cut off: the file is truncated', this.unreadable.number);
    }
    this.throwUnreadable();
    // startMs and scheduledMs are relative to the earliest start (the file keeps no schedule).
    const start = this.samples.reduce((min, sample) => Math.min(min, sample.epochMs), Number.POSITIVE_INFINITY);
    return this.samples.map((sample) => ({
      ...sample,
      startMs: sample.epochMs - start,
      scheduledMs: sample.epochMs - start,
    }));
  }

  private throwUnreadable(): void {
    if (this.unreadable) {
      throw new InputFileError(this.file, `not a JSON object: ${quote(this.unreadable.line)}`, this.unreadable.number);
    }
  }
}

/** The whole text at once. */
export function parseSamplesFile(text: string, file: string): Sample[] {
  const reader = new SamplesReader(file);
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) reader.push(line, index + 1);
  return reader.finish(text === '' || text.endsWith('\n'));
}

function toSample(value: unknown, file: string, line: number): Sample {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputFileError(file, 'not a JSON object', line);
  }
  const record = value as Record<string, unknown>;
  const field = (name: string, expected: string) =>
    new InputFileError(
      file,
      `\`${name}\`: expected ${expected}, got ${record[name] === undefined ? 'nothing' : quote(JSON.stringify(record[name]))}`,
      line,
    );
  const { time, variant, connection, latencyMs, status, error, pod } = record;
  if (typeof time !== 'number' || !Number.isFinite(time)) throw field('time', 'epoch milliseconds');
  if (typeof variant !== 'string') throw field('variant', 'a variant name');
  if (connection !== 'new' && connection !== 'reused') throw field('connection', '"new" or "reused"');
  if (typeof latencyMs !== 'number' || !(latencyMs >= 0)) throw field('latencyMs', 'a number of ms ≥ 0');
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0)
    throw field('status', 'an HTTP status or 0');
  if (error !== null && !ERROR_KINDS.includes(error as ErrorKind)) {
    throw field('error', `null or one of ${ERROR_KINDS.join(', ')}`);
  }
  if (pod !== null && pod !== undefined && typeof pod !== 'string') throw field('pod', 'a pod name or null');
  return {
    target: variant,
    connection,
    scheduledMs: 0,
    startMs: 0,
    epochMs: time,
    latencyMs,
    status,
    ...(error !== null && { error: error as ErrorKind }),
    ...(typeof pod === 'string' && { pod }),
  };
}

function quote(text: string): string {
  const line = text.trim();
  return `\`${line.length > 60 ? `${line.slice(0, 60)}…` : line}\``;
}
