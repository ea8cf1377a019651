/**
 * Reads cluster events: a results folder's `events.json` (a JSON array, as
 * `zdd compare` writes it) or what `zdd local events --json` prints (one JSON
 * object per line). Pure.
 */
import { InputFileError } from '../input/input-file-error.js';
import { jsonTooDeepAt, TOO_DEEP } from '../input/nesting.js';
import type { ClusterEvent, ClusterEventType } from '../runtime/events.js';
import { lineOfPath, parseJsonText } from './json-text.js';

/** Parses either form; every problem names `file` and the line. */
export function parseEventsFile(text: string, file: string): ClusterEvent[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    const data = parseJsonText(text, file);
    if (!Array.isArray(data)) throw new InputFileError(file, 'expected a JSON array of events');
    return data.map((value, index) => toEvent(value, file, () => lineOfPath(text, [index])));
  }
  if (trimmed === '') return [];
  if (!trimmed.startsWith('{')) {
    throw new InputFileError(
      file,
      'expected cluster events: a JSON array (events.json) or one JSON object per line (zdd local events --json)',
      1,
    );
  }
  const lines = text.split('\n');
  const events: ClusterEvent[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    if (jsonTooDeepAt(line) !== undefined) throw new InputFileError(file, TOO_DEEP, index + 1);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      const cutOff = index === lines.length - 1;
      throw new InputFileError(
        file,
        cutOff ? 'the last line is cut off: the file is truncated' : 'not a JSON object',
        index + 1,
      );
    }
    events.push(toEvent(value, file, () => index + 1));
  }
  return events;
}

function toEvent(value: unknown, file: string, line: () => number | undefined): ClusterEvent {
  const fail = (problem: string) => new InputFileError(file, problem, line());
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('an event is not a JSON object');
  const { time, type, object, workload, detail } = value as Record<string, unknown>;
  if (typeof time !== 'number' || !Number.isFinite(time)) throw fail('an event without `time` (epoch milliseconds)');
  if (typeof type !== 'string' || type === '') throw fail('an event without `type` (e.g. "pod-ready")');
  if (typeof object !== 'string') throw fail('an event without `object` (the pod, revision or route it is about)');
  if (workload !== undefined && typeof workload !== 'string') throw fail('an event whose `workload` is not a string');
  if (detail !== undefined && typeof detail !== 'string') throw fail('an event whose `detail` is not a string');
  return {
    time,
    // Types this zdd does not know (a newer one's) are kept; the report shows only those it knows.
    type: type as ClusterEventType,
    object,
    ...(workload !== undefined && { workload }),
    ...(detail !== undefined && { detail }),
  };
}
