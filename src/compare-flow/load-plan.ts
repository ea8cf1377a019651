/**
 * What the load of a compare run is, whichever generator sends it: its targets (one per route and connection
 * pattern), rate, bound and thresholds. The run and `--dry-run` build it here alike. Pure.
 */
import type { TargetRoute } from '../cluster/target.js';
import type { ConnectionPattern } from '../load/connections.js';
import type { K6ScriptOptions } from '../load/k6/args.js';
import type { LoadTarget } from '../load/open-model.js';
import type { Timing } from '../runtime/timing.js';
import type { AppSpec } from '../spec/app-spec.js';
import { type ComparePlan, sentRate } from './options.js';
import { loadBoundMs } from './preflight.js';

/** The load's per-request timeout (k6's and the built-in generator's), nominal ms. */
export const REQUEST_TIMEOUT_MS = 10_000;

export type LoadPlan = Required<Omit<K6ScriptOptions, 'targets'>> & { readonly targets: readonly LoadTarget[] };

/** The same open-model load on every route, once per connection pattern. */
export function loadPlan(
  spec: AppSpec,
  plan: ComparePlan,
  connections: readonly ConnectionPattern[],
  routes: readonly TargetRoute[],
  timing: Timing,
): LoadPlan {
  // The k6-operator's runners send from inside the cluster: to the router as they reach it, when given.
  const sentTo = plan.k6Operator ? runnerRoutes(routes, plan.k6Operator.routerAddress) : routes;
  return {
    targets: sentTo.flatMap((route) =>
      connections.map((connection) => ({
        name: route.variant,
        url: route.url,
        connection,
        ...(route.host && { host: route.host }),
      })),
    ),
    allowRemote: plan.target === 'cluster',
    // k6 takes at most 3 decimals.
    rate: Math.round((sentRate(plan) / connections.length) * 1000) / 1000,
    maxDurationMs: loadBoundMs(plan),
    timeoutMs: timing.timeoutMs(REQUEST_TIMEOUT_MS),
    gated: [spec.names.zeroDowntime],
    maxErrorRate: plan.maxErrorRate,
  };
}

/**
 * Where the k6-operator's runners send each variant's load: to `routerAddress` (the router as pods reach it) with
 * the route's host in the Host header, else to the route's host itself, as the cluster's DNS resolves it; a
 * `--route-url` given for a variant is kept.
 */
export function runnerRoutes(routes: readonly TargetRoute[], routerAddress: string | undefined): TargetRoute[] {
  return routes.map((route) => {
    const host = route.host ?? new URL(route.url).host;
    if (routerAddress !== undefined) return { variant: route.variant, url: `http://${routerAddress}/`, host };
    return route.host === undefined ? route : { variant: route.variant, url: `http://${route.host}/` };
  });
}
