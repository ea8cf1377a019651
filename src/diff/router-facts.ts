import { ROUTER_UPDATE_SECONDS } from '../platforms/openshift-router.js';
import type { PlatformProfile } from '../platforms/profile.js';
import { APP_SHUTDOWN_BUDGET_SECONDS, minimumPreStopSeconds } from '../platforms/timings.js';

/**
 * What sends the requests, as the explanations reason with it: the platform profile's numbers, in the words a
 * sentence needs (Kubernetes' own defaults are in src/kubernetes/defaults.ts).
 */
export interface RouterFacts {
  readonly platform: string;
  /**
   * What keeps sending requests, as a sentence's subject with its number: `the router, reloading every 5 s,`,
   * `aws-alb-ip, dropping a pod within 70 s at worst,`.
   */
  readonly sender: string;
  /** Seconds a removed pod may still get new requests: the worst propagation. */
  readonly worstSeconds: number;
  /** `the router's 7 s worst propagation (its 5 s reload interval + 2 s)`. */
  readonly worst: string;
  /** Seconds a request in flight may run: what the grace period should leave after the preStop sleep. */
  readonly inFlightSeconds: number;
  /** `the router's 30 s server timeout`. */
  readonly inFlight: string;
}

/** The facts of a platform profile. */
export function routerFacts(profile: PlatformProfile): RouterFacts {
  const worstSeconds = minimumPreStopSeconds(profile);
  const inFlightSeconds = APP_SHUTDOWN_BUDGET_SECONDS;
  if (profile.emulation.kind === 'reload-interval') {
    // OpenShift's router: its worst is the reload interval plus zdd's allowance for the update and the reload.
    const interval = worstSeconds - ROUTER_UPDATE_SECONDS;
    return {
      platform: profile.name,
      sender: `the router, reloading every ${interval} s,`,
      worstSeconds,
      worst: `the router's ${worstSeconds} s worst propagation (its ${interval} s reload interval + ${ROUTER_UPDATE_SECONDS} s)`,
      inFlightSeconds,
      // HAProxy's `timeout server` on OpenShift's router: the longest a request may wait for its response.
      inFlight: `the router's ${inFlightSeconds} s server timeout`,
    };
  }
  const { typical } = profile.propagation.seconds;
  return {
    platform: profile.name,
    sender: `${profile.name}, dropping a pod within ${worstSeconds} s at worst,`,
    worstSeconds,
    worst: `${profile.name}'s ${worstSeconds} s worst propagation (typical ${typical} s)`,
    inFlightSeconds,
    inFlight: `zdd's ${inFlightSeconds} s budget for requests in flight`,
  };
}
