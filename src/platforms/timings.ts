import type { PlatformProfile } from './profile.js';

/**
 * Seconds the app gets to finish its requests after SIGTERM, on top of the preStop hook: the longest a
 * routed request may run on OpenShift's router (HAProxy `timeout server` 30 s). zdd's default; `--grace-period`
 * overrides the sum.
 */
export const APP_SHUTDOWN_BUDGET_SECONDS = 30;

/** The zero-downtime timings a platform calls for. */
export interface PlatformTimings {
  /** The preStop sleep: the worst propagation plus the profile's margin, in whole seconds. */
  readonly preStopSeconds: number;
  /** The grace period: the preStop sleep plus the app's shutdown budget. */
  readonly terminationGracePeriodSeconds: number;
  /** The sidecar's drain, as long as the preStop sleep. @default - none: the profile has no sidecar */
  readonly sidecarDrainSeconds?: number;
}

/** The preStop sleep and grace period that cover the profile's worst propagation. */
export function platformTimings(
  profile: PlatformProfile,
  shutdownBudgetSeconds: number = APP_SHUTDOWN_BUDGET_SECONDS,
): PlatformTimings {
  const preStopSeconds = Math.ceil(profile.propagation.seconds.worst + profile.marginSeconds);
  return {
    preStopSeconds,
    terminationGracePeriodSeconds: preStopSeconds + shutdownBudgetSeconds,
    ...(profile.sidecar ? { sidecarDrainSeconds: preStopSeconds } : {}),
  };
}

/** The shortest preStop sleep `zdd check` accepts on this platform: the worst propagation, no margin. */
export function minimumPreStopSeconds(profile: PlatformProfile): number {
  return profile.propagation.seconds.worst;
}
