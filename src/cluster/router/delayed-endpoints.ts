import type { RouterEndpoint, RouterState } from './router.js';

/** How late a proxy sees each endpoint change, ms. */
export interface EndpointDelays {
  /** From an endpoint leaving the published set to the proxy no longer sending it new requests. */
  readonly removeMs: number;
  /** From an endpoint joining the published set to the proxy sending it requests. */
  readonly addMs: number;
}

/** One published change of one endpoint. */
interface Change {
  /** When it was published, epoch ms. */
  readonly at: number;
  readonly present: boolean;
  readonly endpoint: RouterEndpoint;
}

/**
 * What a proxy that learns of endpoint changes late routes to, per route: each change of each endpoint
 * reaches it `addMs` (a new endpoint) or `removeMs` (a removed one) after it was published, without a reload.
 * Of the changes that have reached the proxy, the most recently published one decides, so that an endpoint
 * removed again before its addition arrived never shows up, and one removed and added back stays. No clock of
 * its own: every method takes the time, which must not go back (`visible` forgets what can no longer decide).
 */
export class DelayedEndpoints {
  /** route → endpoint key → changes not yet superseded, oldest first. */
  private readonly changes = new Map<string, Map<string, Change[]>>();
  /** route → the endpoints last published, by key. */
  private readonly published = new Map<string, Map<string, RouterEndpoint>>();

  constructor(private readonly delays: EndpointDelays) {}

  /** Publishes a route's endpoints at `now` (a route seen the first time starts with none). */
  publish(route: string, endpoints: readonly RouterEndpoint[], now: number): void {
    const before = this.published.get(route) ?? new Map<string, RouterEndpoint>();
    const after = new Map(endpoints.map((endpoint) => [keyOf(endpoint), endpoint]));
    const changes = this.changes.get(route) ?? new Map<string, Change[]>();
    this.changes.set(route, changes);
    for (const [key, endpoint] of after) if (!before.has(key)) push(changes, key, { at: now, present: true, endpoint });
    for (const [key, endpoint] of before)
      if (!after.has(key)) push(changes, key, { at: now, present: false, endpoint });
    this.published.set(route, after);
  }

  /** What the proxy routes to at `now`: every route published, its endpoints by id. */
  visible(now: number): RouterState {
    const state = new Map<string, RouterEndpoint[]>();
    for (const [route, byKey] of this.changes) {
      const endpoints: RouterEndpoint[] = [];
      for (const [key, changes] of byKey) {
        const decisive = this.decisive(changes, now);
        if (decisive === undefined) continue;
        // Older changes can never decide again.
        const kept = changes.filter((change) => change.at >= decisive.at);
        if (!decisive.present && kept.length === 1) byKey.delete(key);
        else byKey.set(key, kept);
        if (decisive.present) endpoints.push(decisive.endpoint);
      }
      state.set(
        route,
        endpoints.sort((a, b) => a.id.localeCompare(b.id) || keyOf(a).localeCompare(keyOf(b))),
      );
    }
    return state;
  }

  /** When the next published change reaches the proxy (after `now`), or undefined when none is on its way. */
  nextArrival(now: number): number | undefined {
    let next: number | undefined;
    for (const byKey of this.changes.values()) {
      for (const changes of byKey.values()) {
        for (const change of changes) {
          const arrival = this.arrival(change);
          if (arrival > now && (next === undefined || arrival < next)) next = arrival;
        }
      }
    }
    return next;
  }

  private arrival(change: Change): number {
    return change.at + (change.present ? this.delays.addMs : this.delays.removeMs);
  }

  /** Of the changes that have arrived by `now`, the most recently published. */
  private decisive(changes: readonly Change[], now: number): Change | undefined {
    let decisive: Change | undefined;
    for (const change of changes) {
      if (this.arrival(change) <= now && (decisive === undefined || change.at >= decisive.at)) decisive = change;
    }
    return decisive;
  }
}

function push(changes: Map<string, Change[]>, key: string, change: Change): void {
  const list = changes.get(key) ?? [];
  list.push(change);
  changes.set(key, list);
}

/** An endpoint's identity: a pod restarted on a fresh port is a new endpoint. */
function keyOf(endpoint: RouterEndpoint): string {
  return `${endpoint.id}@${endpoint.host}:${endpoint.port}`;
}
