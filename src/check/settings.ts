import { ROUTER_RELOAD_INTERVAL } from '../spec/router-reload-interval.js';

/** What `zdd check` judges against: the flags that describe the platform and the app. */
export interface CheckSettings {
  /**
   * The router's reload interval: it applies endpoint changes at most this
   * often (`--reload-interval`).
   */
  readonly routerReloadIntervalSeconds: number;
  /** How long the app takes to finish its requests after SIGTERM (`--shutdown-seconds`). */
  readonly shutdownSeconds: number;
}

/**
 * The router's reload interval as every command takes it (`ROUTER_RELOAD_INTERVAL`). 10 s: zdd's
 * allowance for an app to drain after SIGTERM (a guess to override, not a platform number).
 */
export const CHECK_DEFAULTS: CheckSettings = {
  routerReloadIntervalSeconds: ROUTER_RELOAD_INTERVAL.defaultSeconds,
  shutdownSeconds: 10,
};
