import { DEFAULT_PLATFORM, type PlatformName, platformProfile } from '../platforms/index.js';
import type { PlatformProfile } from '../platforms/profile.js';
import { ROUTER_RELOAD_INTERVAL } from '../spec/router-reload-interval.js';

/** What `zdd check` judges against: the flags that describe the platform and the app. */
export interface CheckSettings {
  /** What sends the pods requests (`--platform`): its worst propagation is the shortest preStop sleep accepted. */
  readonly platform: PlatformName;
  /**
   * The OpenShift router's reload interval: it applies endpoint changes at most this
   * often (`--reload-interval`; tunes the openshift-router platform).
   */
  readonly routerReloadIntervalSeconds: number;
  /** How long the app takes to finish its requests after SIGTERM (`--shutdown-seconds`). */
  readonly shutdownSeconds: number;
}

/**
 * The platform and the router's reload interval as every command takes them (`DEFAULT_PLATFORM`,
 * `ROUTER_RELOAD_INTERVAL`). 10 s: zdd's allowance for an app to drain after SIGTERM (a guess to override, not a
 * platform number).
 */
export const CHECK_DEFAULTS: CheckSettings = {
  platform: DEFAULT_PLATFORM,
  routerReloadIntervalSeconds: ROUTER_RELOAD_INTERVAL.defaultSeconds,
  shutdownSeconds: 10,
};

/** The profile of the platform the settings name, tuned by the reload interval. */
export function checkedPlatform(settings: CheckSettings): PlatformProfile {
  return platformProfile(settings.platform, { reloadIntervalSeconds: settings.routerReloadIntervalSeconds });
}
