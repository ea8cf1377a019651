import type { RenderedVariant } from '../manifests/variants.js';
import type { EventLog } from '../runtime/events.js';
import type { Timing } from '../runtime/timing.js';
import type { RolloutResult } from './rollout-result.js';

/** Where to send one variant's load. */
export interface TargetRoute {
  /** The variant (workload) the route serves. */
  readonly variant: string;
  /** The URL to connect to. */
  readonly url: string;
  /** The Host header to send, when `url` is a router's address rather than the route's host (curl --resolve). */
  readonly host?: string;
}

/**
 * Where `zdd compare` runs the two variants: the local cluster of processes,
 * or a real cluster. The compare flow sees only this.
 */
export interface CompareTarget {
  /** For the report line, e.g. "the local cluster" or "context prod, namespace zdd-demo". */
  readonly description: string;
  /** Nominal seconds → real milliseconds: the local cluster's time scale; 1 on a real cluster. */
  readonly timing: Timing;
  /** What happened, as it happened (pods, endpoints, router reloads, rollouts). */
  readonly events: EventLog;
  /** The folder holding one folder per pod with its `log`, when the target keeps pod logs. */
  readonly podLogsDir?: string;
  /**
   * Checks, before anything is created, what the target can check without changing anything (the cluster
   * answers, the namespace exists, the permissions, nobody else's objects in the way); throws `SetupError`s
   * worded for the user. `deploy` runs it when it has not run.
   */
  check?(variants: readonly RenderedVariant[]): Promise<void>;
  /** Creates both variants and resolves once every workload is available and served (throws `SetupError`). */
  deploy(variants: readonly RenderedVariant[], timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Where to send each variant's load; checks that each answers. */
  routes(variants: readonly string[], signal?: AbortSignal): Promise<TargetRoute[]>;
  /**
   * Puts the router's periodic reloads at `phase` (0..1) of their interval
   * from now, just before a round's rollouts; only where zdd runs the router
   * (the local cluster): a real cluster's router keeps its own phase.
   */
  alignRouterReloads?(phase: number): void;
  /** Redeploys one workload (`oc rollout latest`); resolves when the rollout completed or failed. */
  rollout(workload: string, timeoutMs: number): Promise<RolloutResult>;
  /** Resolves when every old pod has gone after the rollouts (throws `SetupError` after `timeoutMs`). */
  settle(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Stops what the target started (and, where asked, removes what it created). Idempotent. */
  stop(): Promise<void>;
  /** A line for the user after the run (e.g. how to remove what stays on the cluster). */
  readonly closingNote?: () => string | undefined;
}
