import type { TerminatingTraffic } from '../../platforms/profile.js';
import type { RouterEndpoint } from '../router/router.js';

/** A pod of a Service, as its EndpointSlice endpoint: where it listens and its conditions. */
export interface EndpointCandidate {
  readonly endpoint: RouterEndpoint;
  /** Ready and not terminating. */
  readonly ready: boolean;
  /** EndpointSlice `serving`: ready, or terminating and still passing its readiness probe. */
  readonly serving: boolean;
}

/**
 * The endpoints a platform routes new requests to, by id: the ready ones; with `when-no-ready` (KEP-1669,
 * Envoy's draining endpoints), the serving but terminating ones while none is ready. `until-deregistered` is
 * `never` here: the load balancer's late removal is the router discipline's delay. Pure.
 */
export function routedEndpoints(
  candidates: readonly EndpointCandidate[],
  traffic: TerminatingTraffic,
): RouterEndpoint[] {
  const ready = candidates.filter((candidate) => candidate.ready);
  const chosen =
    ready.length === 0 && traffic === 'when-no-ready' ? candidates.filter((candidate) => candidate.serving) : ready;
  return chosen.map((candidate) => candidate.endpoint).sort((a, b) => a.id.localeCompare(b.id));
}
