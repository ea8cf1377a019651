import type { EventLog } from '../../runtime/events.js';
import { Ticker } from '../../runtime/timing.js';
import type { EndpointRouter, RouterBackend, RouterEndpoint, RouterState, RouterTimings } from './router.js';

/**
 * When a router applies endpoint changes; both apply them at most once per
 * reload interval.
 * - `periodic`: the router reloads every interval anyway, for other routes'
 *   changes, as on a shared cluster; a change waits for the next reload.
 * - `coalesced`: a quiet router (openshift/router's coalescing, serializing
 *   rate limiter with no other routes changing): a change after a quiet
 *   interval is applied at once, later ones are coalesced into the next reload.
 */
export type ReloadDiscipline = 'periodic' | 'coalesced';

export const RELOAD_DISCIPLINES: readonly ReloadDiscipline[] = ['periodic', 'coalesced'];

/** The OpenShift router's reload discipline around a backend. */
export class ReloadingRouter implements EndpointRouter {
  private readonly desired = new Map<string, readonly RouterEndpoint[]>();
  private applied = '';
  private readonly appliedByRoute = new Map<string, string>();
  private lastReload = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  private stopped = false;
  private ports: ReadonlyMap<string, number> = new Map();

  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly backend: RouterBackend,
    private readonly timings: RouterTimings,
    private readonly events: EventLog,
    private readonly discipline: ReloadDiscipline = 'periodic',
    /** Called after every reload (waiters re-check `synced()`). */
    private readonly onReload: () => void = () => {},
  ) {}

  /** Starts a listener per route, with no endpoints yet. */
  async start(routes: readonly string[]): Promise<ReadonlyMap<string, number>> {
    for (const route of routes) this.desired.set(route, []);
    this.ports = await this.backend.start(routes);
    await this.backend.apply(new Map(this.desired));
    this.applied = serialize(this.desired);
    for (const route of routes) this.appliedByRoute.set(route, 'none');
    this.lastReload = Date.now();
    if (this.discipline === 'periodic') this.reloadEvery(this.lastReload + this.timings.reloadIntervalMs);
    return this.ports;
  }

  port(route: string): number | undefined {
    return this.ports.get(route);
  }

  /** The endpoints a route should have; applied at the next allowed reload. */
  set(route: string, endpoints: readonly RouterEndpoint[]): void {
    this.desired.set(route, endpoints);
    this.schedule();
  }

  /** Forgets a route (it was deleted); the next allowed reload removes it. */
  remove(route: string): void {
    if (this.desired.delete(route)) this.schedule();
  }

  /**
   * Puts the periodic reloads at `phase` (0..1) of their interval from now:
   * the next reload comes `phase` × interval later, then one every interval
   * (see reload-phase.ts). Nothing to do for a quiet (`coalesced`) router,
   * whose reloads follow the changes.
   */
  alignReloads(phase: number): void {
    if (this.discipline !== 'periodic' || this.stopped) return;
    this.reloadEvery(Date.now() + Math.max(0, Math.min(1, phase)) * this.timings.reloadIntervalMs);
  }

  /** Periodic reloads from `firstMs` on, one every interval on a fixed grid (a timer's lateness does not add up). */
  private reloadEvery(firstMs: number): void {
    clearTimeout(this.ticker);
    const ticker = new Ticker(firstMs, this.timings.reloadIntervalMs);
    const arm = (at: number) => {
      this.ticker = setTimeout(
        () => {
          if (this.stopped) return;
          this.tick();
          arm(ticker.next());
        },
        Math.max(0, at - Date.now()),
      );
    };
    arm(firstMs);
  }

  /** True when the last reload applied what is desired now. */
  synced(): boolean {
    return this.applied === serialize(this.desired) && this.reloading === undefined && this.timer === undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.ticker);
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.reloading?.catch(() => {});
    await this.backend.stop();
  }

  private tick(): void {
    if (this.stopped || this.reloading) return;
    this.reloading = this.reload().finally(() => {
      this.reloading = undefined;
    });
  }

  private schedule(): void {
    if (this.discipline === 'periodic' || this.stopped || this.timer || this.reloading) return;
    if (serialize(this.desired) === this.applied) return;
    const wait = Math.max(0, this.lastReload + this.timings.reloadIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reloading = this.reload().finally(() => {
        this.reloading = undefined;
        this.schedule();
      });
    }, wait);
  }

  private async reload(): Promise<void> {
    const state: RouterState = new Map(this.desired);
    const text = serialize(state);
    if (text === this.applied) return;
    this.lastReload = Date.now();
    await this.backend.apply(state);
    this.applied = text;
    for (const [route, endpoints] of state) {
      const ids = describe(endpoints);
      if (this.appliedByRoute.get(route) !== ids)
        this.events.record('router-reloaded', route, { detail: `endpoints: ${ids}` });
      this.appliedByRoute.set(route, ids);
    }
    for (const route of this.appliedByRoute.keys()) {
      if (state.has(route)) continue;
      this.appliedByRoute.delete(route);
      this.events.record('router-reloaded', route, { detail: 'route removed' });
    }
    this.onReload();
  }
}

function describe(endpoints: readonly RouterEndpoint[]): string {
  return endpoints.map((endpoint) => endpoint.id).join(', ') || 'none';
}

/** What a reload would apply; addresses included, so that a pod restarted on a fresh port is reloaded too. */
function serialize(state: ReadonlyMap<string, readonly RouterEndpoint[]>): string {
  return [...state]
    .map(([route, endpoints]) => `${route}=${endpoints.map((e) => `${e.id}@${e.host}:${e.port}`).join(',')};`)
    .join('');
}
