import { DEFAULT_PLATFORM, type PlatformName } from '../../platforms/names.js';
import { ROUTER_RELOAD_INTERVAL_SECONDS } from '../../platforms/openshift-router-defaults.js';
import type { ReloadDiscipline } from '../router/reloading-router.js';

export type RouterKind = 'builtin' | 'haproxy' | 'nginx';
export const ROUTER_KINDS: readonly RouterKind[] = ['builtin', 'haproxy', 'nginx'];

/** How the local cluster runs; `zdd compare` and `zdd local up` take the same flags for them. */
export interface LocalClusterSettings {
  /** Stretches every duration (0.1 = ten times faster). */
  readonly timeScale: number;
  /** The router in front of the Services. */
  readonly router: RouterKind;
  /** The router's reload interval, nominal seconds (OpenShift's RELOAD_INTERVAL). */
  readonly reloadIntervalSeconds: number;
  readonly reloads: ReloadDiscipline;
  /** `IMAGE=COMMAND` mappings for images the local cluster does not know. */
  readonly imageCommands: readonly string[];
  /** The platform in front of the pods, whose propagation the cluster emulates (`--platform`). */
  readonly platform: PlatformName;
}

/** Every default of the local cluster's settings, declared once. */
export const LOCAL_CLUSTER_DEFAULTS: LocalClusterSettings = {
  timeScale: 1,
  router: 'builtin',
  reloadIntervalSeconds: ROUTER_RELOAD_INTERVAL_SECONDS,
  reloads: 'periodic',
  imageCommands: [],
  platform: DEFAULT_PLATFORM,
};

/** The most replicas a workload may ask of the local cluster: each pod is a process on this machine. */
export const MAX_LOCAL_REPLICAS = 10;
