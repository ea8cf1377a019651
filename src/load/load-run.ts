/** What a load generator is given and what it reports, whichever runs (k6 or the built-in one). */

import type { ClusterCli } from '../cluster/remote/kubectl.js';
import type { ConnectionPattern } from './connections.js';
import type { RunnerReport } from './k6-operator/runner-log.js';
import type { RunnerSettings } from './k6-operator/test-run.js';
import type { LoadTarget } from './open-model.js';
import type { LiveSample, Sample } from './sample.js';

/** The generator that will run, found before anything is deployed. */
export type LoadGenerator =
  | { readonly kind: 'k6'; readonly path: string; readonly version: string }
  | { readonly kind: 'builtin'; readonly reason?: string }
  /** k6 inside the cluster, on grafana/k6-operator: `parallelism` runners, each its segment of the load. */
  | { readonly kind: 'k6-operator'; readonly parallelism: number; readonly runner: RunnerSettings };

/** How well the schedule of one target and connection pattern was kept. */
export interface StreamDelivery {
  readonly target: string;
  readonly connection: ConnectionPattern;
  /** Requests the schedule asked for up to the end of the load. */
  readonly scheduled: number;
  /** Requests sent (each has a sample). */
  readonly sent: number;
  /** Scheduled but never sent (k6's dropped iterations: no free VU). */
  readonly dropped: number;
  /** Sent, but later than `LATE_START_MS` after their scheduled time (the built-in generator). */
  readonly late: number;
}

/** One threshold the generator judged (k6), e.g. `http_req_failed{variant:x,connection:new}` `rate<=0`. */
export interface ThresholdResult {
  readonly metric: string;
  readonly source: string;
  readonly ok: boolean;
}

export interface LoadResult {
  /** One per request. */
  readonly samples: Sample[];
  readonly delivery: readonly StreamDelivery[];
  /** The schedule ended at the generator's request cap before the load was stopped. */
  readonly capped: boolean;
  /** k6's thresholds; empty for the built-in generator. */
  readonly thresholds: readonly ThresholdResult[];
  /** What the generator or its output parsers had to guess, skip or could not reconcile. */
  readonly notes: readonly string[];
  /**
   * Why the samples cannot be trusted to be every request sent (the k6-operator: a runner's log that lost lines,
   * a runner that started late): each makes the run INCONCLUSIVE. @default - none
   */
  readonly problems?: readonly string[];
  /** The k6-operator's runners: each one's segment, requests, own count and start. @default - one generator */
  readonly runners?: readonly RunnerReport[];
}

/** A load that is running; `stop()` ends it, `done` gives every request's sample. */
export interface LoadRun {
  /** `k6 v1.8.1` or `builtin`. */
  readonly generator: string;
  stop(): Promise<void>;
  readonly done: Promise<LoadResult>;
}

export interface StartLoadOptions {
  readonly generator: LoadGenerator;
  /** One per variant and connection pattern. */
  readonly targets: readonly LoadTarget[];
  /** Requests per second per target. */
  readonly rate: number;
  /** The load ends by itself after this long at the latest. */
  readonly maxDurationMs: number;
  readonly timeoutMs: number;
  /** The most requests per target (bounds memory). */
  readonly maxRequestsPerTarget: number;
  /** k6 thresholds: these targets' error rate must stay at or below `maxErrorRate`, per connection pattern. */
  readonly gated: readonly string[];
  readonly maxErrorRate: number;
  /** A folder for k6's files. */
  readonly workDir: string;
  /** Called as each request ends (k6: as its output is read, a few times a second), for live progress. */
  readonly onSample?: (sample: LiveSample) => void;
  /** Targets may be on other hosts than loopback (a real cluster's routes). @default false */
  readonly allowRemote?: boolean;
  /** The cluster the k6-operator's runners run in (`--load k6-operator` only). */
  readonly cluster?: {
    readonly cli: ClusterCli;
    /** The run's id, on the load's objects and pods. */
    readonly runId: string;
    readonly log: (line: string) => void;
    /** Aborting ends the wait for the runners to start. */
    readonly signal?: AbortSignal | undefined;
  };
}
