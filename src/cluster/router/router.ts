/**
 * The router in front of the local cluster's Services: one listener on
 * 127.0.0.1 per Route, HAProxy semantics as in OpenShift's router. Two
 * backends implement it: the built-in one (default) and the real HAProxy.
 */

import { ROUTER_RELOAD_INTERVAL } from '../../spec/router-reload-interval.js';

/** One pod behind a route. */
export interface RouterEndpoint {
  /** Stable id, the pod's name. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

/** The configuration a reload applies: each route's endpoints. */
export type RouterState = ReadonlyMap<string, readonly RouterEndpoint[]>;

/** Timings of the router; all in milliseconds. */
export interface RouterTimings {
  /** Endpoint changes are applied at most once per this interval (OpenShift's RELOAD_INTERVAL, 5 s). */
  readonly reloadIntervalMs: number;
  /** `check inter`: health checks while a route has more than one endpoint (5 s). */
  readonly checkIntervalMs: number;
  /** `timeout connect` (5 s). */
  readonly connectTimeoutMs: number;
  /** `timeout server` (30 s). */
  readonly serverTimeoutMs: number;
  /** HAProxy's turn-around before retrying a connect on the same server: min(timeout connect, 1 s). */
  readonly retryDelayMs: number;
}

export const OPENSHIFT_ROUTER_TIMINGS: RouterTimings = {
  reloadIntervalMs: ROUTER_RELOAD_INTERVAL.defaultSeconds * 1000,
  checkIntervalMs: 5000,
  connectTimeoutMs: 5000,
  serverTimeoutMs: 30_000,
  retryDelayMs: 1000,
};

/**
 * When a router applies endpoint changes (its discipline: `ReloadingRouter`, `DelayedRouter`), around a
 * backend that applies them (`RouterBackend`). What the local cluster drives.
 */
export interface EndpointRouter {
  /** Starts a listener per route, with no endpoints yet; resolves with route → port. */
  start(routes: readonly string[]): Promise<ReadonlyMap<string, number>>;
  port(route: string): number | undefined;
  /** The endpoints a route should have now; the discipline decides when the backend gets them. */
  set(route: string, endpoints: readonly RouterEndpoint[]): void;
  /** Puts periodic reloads at `phase` (0..1) of their interval from now; nothing to do for a router without them. */
  alignReloads(phase: number): void;
  /** True when the backend routes what was last set, and no change is on its way. */
  synced(): boolean;
  stop(): Promise<void>;
}

/** What a router implementation does; when it applies a state is decided outside it. */
export interface RouterBackend {
  /** Starts one listener per route on 127.0.0.1 and resolves with route → port. */
  start(routes: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Applies a new state at once (a reload). Resolves when new requests use it. */
  apply(state: RouterState): Promise<void>;
  /** Stops listening and ends every connection and process it started. */
  stop(): Promise<void>;
}
