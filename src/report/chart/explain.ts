/**
 * The timeline's caption: why a variant's requests failed, in a sentence or
 * two derived from its samples and its cluster events, e.g. "503s (32 of 33
 * failed requests, +0.6 s to +2.8 s) come from new pods the router sent
 * requests to before they were ready: …". Pure.
 *
 * Failures fall into two classes, each with its own evidence:
 * - answered (HTTP 5xx/4xx): pods that answered errors. With pod names in the
 *   samples (zdd's own load), those pods; else the pods that joined the router
 *   after a rollout began and before the failures ended (their `pod-ready`
 *   says whether a readinessProbe gated them).
 * - not answered (refused, reset, timeout, other): old pods that stopped
 *   (SIGTERM, deletion) while the router still listed them, or a Service
 *   without any ready pod.
 * Without events the caption says what failed and when.
 */

import type { ErrorKind, Sample } from '../../load/sample.js';
import type { Round } from '../../results-folder/run-result.js';
import type { ClusterEvent } from '../../runtime/events.js';
import { listedPods } from './variant-events.js';

export interface ExplainInput {
  /** The variant's requests, in start order. */
  readonly samples: readonly Sample[];
  /** The variant's events (`eventsOf`), in time order. */
  readonly events: readonly ClusterEvent[];
  readonly rounds: readonly Round[];
  readonly workload: string;
  /** Epoch ms of 0 on the time axis. */
  readonly origin: number;
}

const ANSWERED: readonly ErrorKind[] = ['http_5xx', 'http_4xx'];

export function explainFailures(input: ExplainInput): string {
  const failed = input.samples.filter((sample) => sample.error !== undefined);
  const at = clock(input);
  if (failed.length === 0) {
    const why = cleanRollout(input);
    return `No request failed${input.samples.length === 0 ? ' (no request was sent)' : ''}.${why ? ` ${why}` : ''}`;
  }
  const answered = failed.filter((sample) => ANSWERED.includes(sample.error as ErrorKind));
  const unanswered = failed.filter((sample) => !ANSWERED.includes(sample.error as ErrorKind));
  const parts = [
    { samples: answered, explain: explainAnswered },
    { samples: unanswered, explain: explainUnanswered },
  ]
    .filter((part) => part.samples.length > 0)
    .sort((a, b) => b.samples.length - a.samples.length)
    .map((part) => {
      const from = at(part.samples[0]?.epochMs ?? 0);
      const to = at(lastEnd(part.samples));
      const when = from === to ? `at ${from}` : `${from} to ${to}`;
      const what = `${describeKinds(part.samples)} (${part.samples.length} of ${failed.length} failed requests, ${when})`;
      const why = part.explain(part.samples, input, at);
      return why === undefined ? `${capitalize(what)}.` : `${capitalize(what)} ${why}.`;
    });
  return parts.join(' ');
}

type Clock = (epochMs: number) => string;

/** "+1.2 s" from the origin; two decimals for a short run (a fast time scale). */
function clock(input: ExplainInput): Clock {
  const first = input.samples[0]?.epochMs ?? input.origin;
  const last = input.samples.at(-1)?.epochMs ?? input.origin;
  const digits = last - first < 10_000 ? 2 : 1;
  return (epochMs) => {
    const seconds = (epochMs - input.origin) / 1000;
    return `${seconds < 0 ? '−' : '+'}${Math.abs(seconds).toFixed(digits)} s`;
  };
}

/** HTTP errors: from pods that were routed to before they could serve, or that served errors. */
function explainAnswered(failed: readonly Sample[], input: ExplainInput, at: Clock): string | undefined {
  const firstRollout = input.rounds[0]?.startedAt;
  const created = new Map(
    input.events.filter((event) => event.type === 'pod-created').map((event) => [event.object, event.time]),
  );
  // New: created (by the events' account) after a rollout began; without events no pod is known to be new.
  const isNew = (pod: string) =>
    firstRollout !== undefined && (created.get(pod) ?? Number.NEGATIVE_INFINITY) >= firstRollout;
  const answeredBy = [...new Set(failed.flatMap((sample) => (sample.pod ? [sample.pod] : [])))];
  const end = lastEnd(failed);
  // Without pod names in the samples: every new pod that joined the router before the failures ended.
  const suspects =
    answeredBy.length > 0
      ? answeredBy
      : [...joins(input)].filter(([pod, time]) => isNew(pod) && time <= end).map(([pod]) => pod);
  if (suspects.length === 0) return undefined;
  const joined = joins(input);
  const newPods = suspects.filter(isNew);
  if (newPods.length > 0) {
    const readiness =
      input.events.find((event) => event.type === 'pod-ready' && newPods.includes(event.object))?.detail ?? '';
    const gate = /no readinessProbe/i.test(readiness)
      ? ' (no readinessProbe: a pod counts as ready as soon as its process runs)'
      : '';
    const list = newPods
      .slice(0, 3)
      .map((pod) => `${pod}${joined.has(pod) ? ` joined at ${at(joined.get(pod) ?? 0)}` : ''}`)
      .join(', ');
    return `come from new pods the router sent requests to before they were ready: ${list}${newPods.length > 3 ? ', …' : ''}${gate}`;
  }
  return `were answered by ${suspects.slice(0, 3).join(', ')}${suspects.length > 3 ? ', …' : ''}`;
}

/** Connection errors: old pods that stopped while still routed, or no ready pod at all. */
function explainUnanswered(failed: readonly Sample[], input: ExplainInput, at: Clock): string | undefined {
  const start = failed[0]?.epochMs ?? 0;
  const end = lastEnd(failed);
  // A request may start just before the stop that breaks it.
  const slack = Math.max(failed[0]?.latencyMs ?? 0, 50);
  const firstRollout = input.rounds[0]?.startedAt ?? Number.NEGATIVE_INFINITY;
  const stops = input.events.filter(
    (event) =>
      (event.type === 'sigterm' || event.type === 'pod-deleted') &&
      event.time >= firstRollout &&
      event.time <= end + slack,
  );
  // The stop closest before the first failure, else the first one during the failures.
  const anchor = stops.filter((event) => event.time <= start + slack).at(-1) ?? stops[0];
  if (anchor !== undefined) {
    const pod = anchor.object;
    const stopped = new Set(stops.map((event) => event.object));
    const sigterm = input.events.find((event) => event.type === 'sigterm' && event.object === pod);
    const deleted = input.events.find((event) => event.type === 'pod-deleted' && event.object === pod);
    const stopAt = (sigterm ?? deleted)?.time ?? start;
    const preStop = input.events.some((event) => event.type === 'prestop-started' && event.object === pod);
    const dropped = droppedAt(input, pod, deleted?.time ?? stopAt);
    const others = stopped.size > 1 ? ` (and ${stopped.size - 1} more old pod${stopped.size === 2 ? '' : 's'})` : '';
    return (
      `start when the old pod ${pod}${others} ${sigterm ? 'gets SIGTERM' : 'is deleted'} at ${at(stopAt)}` +
      `${preStop ? ' after its preStop pause' : ' with no preStop pause'}` +
      (dropped === undefined
        ? ' while requests still reach it'
        : dropped > stopAt
          ? hasRouterEvents(input)
            ? ` while the router still sends it requests, until its reload at ${at(dropped)}`
            : ` while requests still reach it, until it leaves the endpoints at ${at(dropped)}`
          : '')
    );
  }
  const empty = input.events.find(
    (event) => event.type === 'endpoints-changed' && listedPods(event).length === 0 && event.time <= start + slack,
  );
  if (empty) return `start when the Service has no ready pod left (${at(empty.time)})`;
  return undefined;
}

/** When each pod first entered the router (router-reloaded), else its endpoints (endpoints-changed), else ready. */
function joins(input: ExplainInput): Map<string, number> {
  const router = input.events.filter((event) => event.type === 'router-reloaded');
  const source = router.length > 0 ? router : input.events.filter((event) => event.type === 'endpoints-changed');
  const joined = new Map<string, number>();
  for (const event of source) for (const pod of listedPods(event)) if (!joined.has(pod)) joined.set(pod, event.time);
  if (source.length === 0) {
    for (const event of input.events)
      if (event.type === 'pod-ready' && !joined.has(event.object)) joined.set(event.object, event.time);
  }
  return joined;
}

function hasRouterEvents(input: ExplainInput): boolean {
  return input.events.some((event) => event.type === 'router-reloaded');
}

/** When the router (or, without router events, the Service) stopped listing `pod` after `after`. */
function droppedAt(input: ExplainInput, pod: string, after: number): number | undefined {
  const router = input.events.filter((event) => event.type === 'router-reloaded');
  const source = router.length > 0 ? router : input.events.filter((event) => event.type === 'endpoints-changed');
  return source.find((event) => event.time >= after && !listedPods(event).includes(pod))?.time;
}

/** For a variant that dropped nothing during a rollout: what its events show it did right. */
function cleanRollout(input: ExplainInput): string | undefined {
  const firstRollout = input.rounds[0]?.startedAt;
  if (firstRollout === undefined) return undefined;
  const ready = input.events.filter((event) => event.type === 'pod-ready' && event.time >= firstRollout);
  const gated =
    ready.length > 0 &&
    ready.every((event) => /readinessProbe/.test(event.detail ?? '') && !/no readinessProbe/.test(event.detail ?? ''));
  // An old pod stops serving at SIGTERM, or when it exits on its own (a preStop hook that drains it).
  const deleted = input.events.filter((event) => event.type === 'pod-deleted' && event.time >= firstRollout);
  const stops = deleted.map((event) => {
    const stop = input.events.find(
      (other) => (other.type === 'sigterm' || other.type === 'pod-exited') && other.object === event.object,
    );
    return { pod: event.object, deletedAt: event.time, stoppedAt: stop?.time };
  });
  const drained =
    stops.length > 0 &&
    stops.every(({ pod, deletedAt, stoppedAt }) => {
      const dropped = droppedAt(input, pod, deletedAt);
      return dropped !== undefined && stoppedAt !== undefined && dropped <= stoppedAt;
    });
  const reasons = [
    gated && 'new pods joined only once their readinessProbe passed',
    drained && 'the router dropped every old pod before it stopped serving',
  ].filter((reason): reason is string => typeof reason === 'string');
  return reasons.length > 0 ? `${capitalize(reasons.join('; '))}.` : undefined;
}

/** "503s", "refused connections", "5xx responses and resets"… by the most common kinds. */
function describeKinds(samples: readonly Sample[]): string {
  const counts = new Map<string, number>();
  for (const sample of samples) {
    const name = kindName(sample);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const names = [...counts].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and other failures`;
}

function kindName(sample: Sample): string {
  switch (sample.error) {
    case 'http_5xx':
    case 'http_4xx':
      return sample.status > 0 ? `${sample.status}s` : 'HTTP errors';
    case 'refused':
      return 'refused connections';
    case 'reset':
      return 'reset connections';
    case 'timeout':
      return 'timeouts';
    default:
      return 'other failures';
  }
}

function lastEnd(samples: readonly Sample[]): number {
  return samples.reduce((max, sample) => Math.max(max, sample.epochMs + sample.latencyMs), Number.NEGATIVE_INFINITY);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
