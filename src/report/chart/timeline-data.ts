/**
 * The timeline's data: per variant, on one shared time axis, the requests per
 * second that succeeded and failed (by error kind), the p95 latency per bin,
 * the outage windows, the rollouts and the cluster events as markers. Pure:
 * data in, data out; `timeline-plot.ts` draws it.
 */

import { ERROR_KINDS, type ErrorKind, type Sample } from '../../load/sample.js';
import { percentile } from '../../load/summary.js';
import type { Variant } from '../../manifests/labels.js';
import type { Round } from '../../results-folder/run-result.js';
import type { ClusterEvent, ClusterEventType } from '../../runtime/events.js';
import { explainFailures } from './explain.js';
import { eventsOf } from './variant-events.js';

/** The event lanes, top to bottom, and the event types each shows. */
export const LANES = [
  'rollout',
  'pod created',
  'pod ready',
  'pod deleted',
  'preStop',
  'SIGTERM',
  'SIGKILL',
  'endpoints changed',
  'router reload',
] as const;
export type Lane = (typeof LANES)[number];

const LANE_OF: Partial<Record<ClusterEventType, Lane>> = {
  'rollout-started': 'rollout',
  'rollout-completed': 'rollout',
  'rollout-failed': 'rollout',
  'pod-created': 'pod created',
  'pod-ready': 'pod ready',
  'pod-deleted': 'pod deleted',
  'prestop-started': 'preStop',
  sigterm: 'SIGTERM',
  sigkill: 'SIGKILL',
  'endpoints-changed': 'endpoints changed',
  'router-reloaded': 'router reload',
};

/** How a request is drawn: it succeeded, or failed with a kind. */
export type Outcome = 'ok' | ErrorKind;
export const OUTCOMES: readonly Outcome[] = ['ok', ...ERROR_KINDS];

export interface TimelineBin {
  /** Seconds from the origin. */
  readonly from: number;
  readonly to: number;
  /** Requests per second that started in the bin, by outcome. */
  readonly rates: Readonly<Record<Outcome, number>>;
  /** p95 latency of the requests that started in the bin, ms; undefined when none did. */
  readonly p95Ms?: number;
}

export interface TimelineMarker {
  /** Seconds from the origin. */
  readonly at: number;
  readonly lane: Lane;
  /** One line for people: the event type, its object and detail. */
  readonly label: string;
}

export interface TimelineWindow {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface VariantTimeline {
  readonly name: string;
  readonly role?: Variant;
  /** "default-app (default): 29 of 206 requests failed (14.08 %)". */
  readonly title: string;
  /** Why it failed, from the data (or that nothing failed). */
  readonly caption: string;
  readonly bins: readonly TimelineBin[];
  /** Runs of consecutive failed requests (see `TargetSummary.longestOutageMs`). */
  readonly outages: readonly TimelineWindow[];
  /** Each rollout of this variant: from its trigger to its end (undefined: not known). */
  readonly rollouts: ReadonlyArray<{ readonly from: number; readonly to?: number; readonly label: string }>;
  readonly markers: readonly TimelineMarker[];
}

export interface TimelineSpec {
  /** Epoch ms of 0 on the time axis. */
  readonly origin: number;
  /** What 0 is, for the axis label: "the first rollout" or "the first request". */
  readonly originLabel: string;
  readonly binMs: number;
  /** Seconds from the origin: the first request's start to the end of the bin of the last one's end. */
  readonly domain: readonly [number, number];
  readonly variants: readonly VariantTimeline[];
}

export interface TimelineSpecInput {
  readonly variants: ReadonlyArray<{ readonly name: string; readonly role?: Variant; readonly workload: string }>;
  readonly samples: readonly Sample[];
  readonly events: readonly ClusterEvent[];
  readonly rounds: readonly Round[];
}

/** Bin widths the timeline may use, ms: 1 s when the run is long enough for that to show its shape. */
const BIN_WIDTHS = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];
const MIN_BINS = 20;
const MAX_BINS = 400;

export function timelineSpec(input: TimelineSpecInput): TimelineSpec {
  // reduce, not Math.min(...): a run may have a million samples.
  const first = input.samples.reduce((min, sample) => Math.min(min, sample.epochMs), Number.POSITIVE_INFINITY);
  const last = input.samples.reduce(
    (max, sample) => Math.max(max, sample.epochMs + sample.latencyMs),
    Number.NEGATIVE_INFINITY,
  );
  const firstRound = input.rounds[0]?.startedAt;
  const origin = firstRound ?? (Number.isFinite(first) ? first : 0);
  const spanMs = Number.isFinite(last) ? Math.max(last - first, 1) : 1;
  const binMs = binWidth(spanMs);
  const seconds = (epochMs: number) => (epochMs - origin) / 1000;
  // The axis ends with the last bin, so that it is drawn whole.
  const binCount = Number.isFinite(last) ? Math.max(1, Math.ceil((last - first) / binMs)) : 1;
  const domain: [number, number] = Number.isFinite(first)
    ? [seconds(first), seconds(first + binCount * binMs)]
    : [0, 1];
  const inDomain = (at: number) => at >= domain[0] && at <= domain[1];
  const variants = input.variants.map((variant): VariantTimeline => {
    const samples = input.samples
      .filter((sample) => sample.target === variant.name)
      .sort((a, b) => a.epochMs - b.epochMs);
    const events = eventsOf(input.events, variant.workload);
    const failed = samples.filter((sample) => sample.error !== undefined).length;
    const rate = samples.length === 0 ? 0 : failed / samples.length;
    return {
      name: variant.name,
      ...(variant.role !== undefined && { role: variant.role }),
      title: `${variant.name}${variant.role ? ` (${variant.role})` : ''}: ${failed} of ${samples.length} requests failed (${(rate * 100).toFixed(2)} %)`,
      caption: explainFailures({ samples, events, rounds: input.rounds, workload: variant.workload, origin }),
      bins: bins(samples, first, last, binMs, seconds),
      outages: outages(samples).map((window) => ({
        from: seconds(window.from),
        to: seconds(window.to),
        label: `${window.failed} failed request${window.failed === 1 ? '' : 's'} in a row, ${Math.round(window.to - window.from)} ms`,
      })),
      rollouts: input.rounds.flatMap((round) => {
        const rollout = round.rollouts.find((candidate) => candidate.workload === variant.workload);
        if (rollout === undefined)
          return round.rollouts.length === 0
            ? [{ from: seconds(round.startedAt), label: `rollout ${round.number}` }]
            : [];
        return [
          {
            from: seconds(rollout.startedAt),
            to: seconds(rollout.endedAt),
            label: `rollout ${round.number}: ${rollout.revision} ${rollout.outcome}`,
          },
        ];
      }),
      markers: events.flatMap((event) => {
        const lane = LANE_OF[event.type];
        const at = seconds(event.time);
        if (lane === undefined || !inDomain(at)) return [];
        return [{ at, lane, label: `${event.type} ${event.object}${event.detail ? `: ${event.detail}` : ''}` }];
      }),
    };
  });
  return {
    origin,
    originLabel: firstRound === undefined ? 'the first request' : 'the first rollout',
    binMs,
    domain,
    variants,
  };
}

/** The bin width that gives between MIN_BINS and MAX_BINS bins, 1 s when it can. */
export function binWidth(spanMs: number): number {
  if (spanMs / 1000 >= MIN_BINS && spanMs / 1000 <= MAX_BINS) return 1000;
  if (spanMs / 1000 < MIN_BINS) {
    return [...BIN_WIDTHS].reverse().find((width) => width < 1000 && spanMs / width >= MIN_BINS) ?? BIN_WIDTHS[0] ?? 10;
  }
  return BIN_WIDTHS.find((width) => spanMs / width <= MAX_BINS) ?? Math.ceil(spanMs / MAX_BINS);
}

function bins(
  samples: readonly Sample[],
  first: number,
  last: number,
  binMs: number,
  seconds: (epochMs: number) => number,
): TimelineBin[] {
  if (!Number.isFinite(first) || !Number.isFinite(last)) return [];
  const count = Math.max(1, Math.ceil((last - first) / binMs));
  const groups = Array.from({ length: count }, () => [] as Sample[]);
  for (const sample of samples) {
    groups[Math.min(count - 1, Math.floor((sample.epochMs - first) / binMs))]?.push(sample);
  }
  const perSecond = 1000 / binMs;
  return groups.map((group, index) => {
    const rates = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
    for (const sample of group) rates[sample.error ?? 'ok'] += perSecond;
    const latencies = group.map((sample) => sample.latencyMs).sort((a, b) => a - b);
    const from = first + index * binMs;
    return {
      from: seconds(from),
      to: seconds(from + binMs),
      rates,
      ...(latencies.length > 0 && { p95Ms: percentile(latencies, 95) }),
    };
  });
}

/** Runs of consecutive failed requests in start order: epoch ms from the first's start to the last's end. */
export function outages(samples: readonly Sample[]): Array<{ from: number; to: number; failed: number }> {
  const windows: Array<{ from: number; to: number; failed: number }> = [];
  let open: { from: number; to: number; failed: number } | undefined;
  for (const sample of samples) {
    if (sample.error === undefined) {
      if (open) windows.push(open);
      open = undefined;
      continue;
    }
    const end = sample.epochMs + sample.latencyMs;
    open = open
      ? { from: open.from, to: Math.max(open.to, end), failed: open.failed + 1 }
      : { from: sample.epochMs, to: end, failed: 1 };
  }
  if (open) windows.push(open);
  return windows;
}

/** The timeline of a report's rows; undefined when the report has no per-request data. */
export function reportTimeline(data: {
  readonly rows: ReadonlyArray<{ readonly name: string; readonly role?: Variant }>;
  readonly rounds: readonly Round[];
  readonly timeline?: {
    readonly samples: readonly Sample[];
    readonly events: readonly ClusterEvent[];
    readonly workloads: ReadonlyMap<string, string>;
  };
}): TimelineSpec | undefined {
  if (data.timeline === undefined) return undefined;
  const { samples, events, workloads } = data.timeline;
  return timelineSpec({
    variants: data.rows.map((row) => ({
      name: row.name,
      ...(row.role !== undefined && { role: row.role }),
      workload: workloads.get(row.name) ?? row.name,
    })),
    samples,
    events,
    rounds: data.rounds,
  });
}
