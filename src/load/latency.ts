/**
 * What a request's latency covers. Sources differ: k6 times a request's
 * parts (`http_req_blocked`: waiting for a free connection or opening one;
 * `http_req_duration`: sending, waiting and receiving), JMeter its `elapsed`
 * and its `Connect`, and zdd's own runs the whole of it. Every report says
 * which one its figures are. Pure.
 */

/**
 * `total`: from the request's start, before a connection is taken from the pool or opened, to the end of
 * the response body (k6: http_req_blocked + http_req_duration). `duration`: from sending the request to the
 * end of the response body, connecting not included (k6's http_req_duration).
 */
export type LatencyMeasure = 'duration' | 'total';

export const LATENCY_MEASURES: readonly LatencyMeasure[] = ['duration', 'total'];

/** The latency a report's figures are: the measure, and what it is for the source, in words. */
export interface LatencyDefinition {
  readonly measure: LatencyMeasure;
  readonly definition: string;
}

/** What `zdd compare` measures, whichever generator ran. */
export const RUN_LATENCY: LatencyDefinition = {
  measure: 'total',
  definition:
    "total: from the request's start, before a connection is taken from the pool or opened, to the end of the response body (k6: http_req_blocked + http_req_duration)",
};

/** The line the terminal and the reports print with the figures. */
export function latencyLine(latency: LatencyDefinition): string {
  return `latency (avg, percentiles, max): ${latency.definition}`;
}
