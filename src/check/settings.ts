/** What `zdd check` judges against: the flags that describe the platform and the app. */
export interface CheckSettings {
  /**
   * The router's reload interval: it applies endpoint changes at most this
   * often (`--router-reload-interval`).
   */
  readonly routerReloadIntervalSeconds: number;
  /** How long the app takes to finish its requests after SIGTERM (`--shutdown-seconds`). */
  readonly shutdownSeconds: number;
}

/**
 * 5 s: openshift/router's `RELOAD_INTERVAL` default, and OpenShift 4's
 * `IngressController.spec.tuningOptions.reloadInterval` default. 10 s: zdd's
 * allowance for an app to drain after SIGTERM (a guess to override, not a platform number).
 */
export const CHECK_DEFAULTS: CheckSettings = { routerReloadIntervalSeconds: 5, shutdownSeconds: 10 };
