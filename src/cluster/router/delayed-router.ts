import type { EventLog } from '../../runtime/events.js';
import { DelayedEndpoints, type EndpointDelays } from './delayed-endpoints.js';
import type { EndpointRouter, RouterBackend, RouterEndpoint, RouterState } from './router.js';

/**
 * A proxy that applies each endpoint change a fixed delay after it happened, without reloads: an addition
 * after `addMs`, a removal after `removeMs` (see `DelayedEndpoints`). One mechanism for two kinds of
 * platform, because only the numbers differ: a proxy fed by a control plane (ingress-nginx's Lua balancer,
 * Envoy's xDS, kube-proxy's rule sync: a few seconds each way) and a load balancer outside the cluster that
 * keeps sending new requests to a deregistered target (an ALB, a NEG: a minute or two for a removal). What
 * else sets them apart — which endpoints are published while a pod terminates, and what a refused connection
 * gets — is decided by the local cluster and by the backend.
 */
export class DelayedRouter implements EndpointRouter {
  private readonly endpoints: DelayedEndpoints;
  private ports: ReadonlyMap<string, number> = new Map();
  private applied = '';
  private readonly appliedByRoute = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private applying: Promise<void> | undefined;
  /** A change arrived while the backend was applying the previous one. */
  private again = false;
  /** Why the backend could not apply a state: no later change is applied, and `synced()` throws it. */
  private failure: unknown;
  private stopped = false;

  constructor(
    private readonly backend: RouterBackend,
    delays: EndpointDelays,
    private readonly events: EventLog,
    /** Called after every change the backend applied (waiters re-check `synced()`). */
    private readonly onApply: () => void = () => {},
  ) {
    this.endpoints = new DelayedEndpoints(delays);
  }

  async start(routes: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const now = Date.now();
    for (const route of routes) this.endpoints.publish(route, [], now);
    this.ports = await this.backend.start(routes);
    const state = this.endpoints.visible(Date.now());
    await this.backend.apply(state);
    this.applied = serialize(state);
    for (const route of routes) this.appliedByRoute.set(route, 'none');
    return this.ports;
  }

  port(route: string): number | undefined {
    return this.ports.get(route);
  }

  set(route: string, endpoints: readonly RouterEndpoint[]): void {
    if (this.stopped) return;
    this.endpoints.publish(route, endpoints, Date.now());
    this.update();
  }

  /** No periodic reloads to align: each change keeps its own delay. */
  alignReloads(_phase: number): void {}

  synced(): boolean {
    if (this.failure !== undefined) throw this.failure;
    const now = Date.now();
    return (
      this.applying === undefined &&
      this.endpoints.nextArrival(now) === undefined &&
      serialize(this.endpoints.visible(now)) === this.applied
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.applying?.catch(() => {});
    await this.backend.stop();
  }

  /** Applies what has arrived by now, then waits for the next arrival. */
  private update(): void {
    if (this.stopped || this.failure !== undefined) return;
    if (this.applying) {
      this.again = true;
      return;
    }
    const now = Date.now();
    const state = this.endpoints.visible(now);
    const text = serialize(state);
    if (text !== this.applied) {
      this.applying = this.apply(state, text)
        .catch((error: unknown) => {
          this.failure = error;
          this.onApply();
        })
        .finally(() => {
          this.applying = undefined;
          if (this.again) {
            this.again = false;
            this.update();
          }
        });
    }
    this.arm(now);
  }

  private arm(now: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.endpoints.nextArrival(now);
    if (next === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.update();
      },
      Math.max(0, next - Date.now()),
    );
  }

  private async apply(state: RouterState, text: string): Promise<void> {
    await this.backend.apply(state);
    this.applied = text;
    for (const [route, endpoints] of state) {
      const ids = endpoints.map((endpoint) => endpoint.id).join(', ') || 'none';
      // The event the timeline reads as "the router's endpoints changed", whatever the discipline.
      if (this.appliedByRoute.get(route) !== ids)
        this.events.record('router-reloaded', route, { detail: `endpoints: ${ids}` });
      this.appliedByRoute.set(route, ids);
    }
    this.onApply();
  }
}

/** What the backend routes to; addresses included, so that a pod restarted on a fresh port counts as a change. */
function serialize(state: RouterState): string {
  return [...state]
    .map(([route, endpoints]) => `${route}=${endpoints.map((e) => `${e.id}@${e.host}:${e.port}`).join(',')};`)
    .join('');
}
