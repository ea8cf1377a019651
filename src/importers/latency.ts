/**
 * What the latency figures of an imported file measure, per format, and
 * which measure `--latency` may choose: k6's per-request output (`--out json`,
 * `--out csv`) has both parts of a request, JMeter's `elapsed` includes
 * connecting and its `Connect` column (when saved) says how long that took,
 * and a k6 summary holds k6's aggregates of http_req_duration only. Pure.
 */

import type { LatencyDefinition, LatencyMeasure } from '../load/latency.js';
import { UsageError } from '../runtime/errors.js';
import type { ImportFormat } from './detect-format.js';

const K6_REQUESTS: Readonly<Record<LatencyMeasure, string>> = {
  total:
    "total: k6's http_req_blocked + http_req_duration, from the request's start (waiting for a free connection or opening one included) to the end of the response body",
  duration:
    "duration: k6's http_req_duration, from sending the request to the end of the response body (waiting for or opening a connection not included)",
};

const DEFINITIONS: Readonly<Record<ImportFormat, Partial<Record<LatencyMeasure, string>>>> = {
  'k6-ndjson': K6_REQUESTS,
  'k6-csv': K6_REQUESTS,
  'k6-summary': {
    duration:
      "duration: k6's own aggregates of http_req_duration, from sending the request to the end of the response body (connecting not included)",
  },
  jmeter: {
    total:
      "total: JMeter's elapsed, from the request's start (opening the connection included) to the end of the response",
    duration:
      "duration: JMeter's elapsed − Connect, from sending the request to the end of the response (opening the connection not included)",
  },
};

/** The measure a format gives when `--latency` is not given: the whole request wherever the file has it. */
export function defaultMeasure(format: ImportFormat): LatencyMeasure {
  return DEFINITIONS[format].total === undefined ? 'duration' : 'total';
}

/** `measure` for `format`, in words. */
export function importLatency(format: ImportFormat, measure: LatencyMeasure): LatencyDefinition {
  const definition = DEFINITIONS[format][measure];
  if (definition === undefined) throw new Error(`no ${measure} latency for ${format}`);
  return { measure, definition };
}

/** Refuses `--latency total` for a k6 summary, which cannot give it. */
export function checkAskedMeasure(format: ImportFormat, asked: LatencyMeasure | undefined, file: string): void {
  if (asked === 'total' && format === 'k6-summary') {
    throw new UsageError(
      `--latency total: ${file} is a k6 end-of-test summary, which holds k6's aggregates of http_req_duration only (connecting not included); the total per request needs per-request data (k6 run --out json=FILE or --out csv=FILE)`,
    );
  }
}
