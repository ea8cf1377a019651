import { type ImageMapping, parseImageMapping } from '../../cluster/local/images.js';
import { LocalCluster } from '../../cluster/local/local-cluster.js';
import { describeEmulation } from '../../cluster/local/local-target.js';
import { readManifests } from '../../cluster/local/read-manifests.js';
import { LOCAL_CLUSTER_DEFAULTS, type LocalClusterSettings } from '../../cluster/local/settings.js';
import { platformProfile } from '../../platforms/index.js';
import { formatEvent } from '../../runtime/events.js';
import { untilAborted } from '../../runtime/timing.js';
import { serveControl } from './control.js';

export interface LocalUpOptions extends Partial<LocalClusterSettings> {
  /** Manifest files or folders. @default ['dist'] */
  readonly manifests?: readonly string[];
  /** Port of the control API on 127.0.0.1. */
  readonly controlPort: number;
  /** Print every event as it happens. @default false */
  readonly verbose?: boolean;
  /** The cluster stops when this aborts (Ctrl-C, SIGTERM). @default - runs until the process ends */
  readonly signal?: AbortSignal;
  /** How long to wait for the workloads to become ready, ms. @default 600 s at the time scale */
  readonly readyTimeoutMs?: number;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/**
 * `zdd local up`: runs the manifests in the foreground on 127.0.0.1, prints
 * each route's URL, serves the control API, and stops everything on Ctrl-C.
 */
export async function localUp(options: LocalUpOptions): Promise<void> {
  const log = options.log ?? console.log;
  const imageMappings: ImageMapping[] = (options.imageCommands ?? LOCAL_CLUSTER_DEFAULTS.imageCommands).map(
    parseImageMapping,
  );
  const objects = await readManifests(options.manifests ?? ['dist']);
  const { signal } = options;
  const reloadIntervalSeconds = options.reloadIntervalSeconds ?? LOCAL_CLUSTER_DEFAULTS.reloadIntervalSeconds;
  const platform = platformProfile(options.platform ?? LOCAL_CLUSTER_DEFAULTS.platform, { reloadIntervalSeconds });
  const cluster = await LocalCluster.create({
    timeScale: options.timeScale,
    router: options.router,
    reloadIntervalSeconds,
    reloads: options.reloads,
    imageMappings,
    platform,
  });
  try {
    const origin = Date.now();
    if (options.verbose) cluster.events.follow((event) => log(formatEvent(event, origin)));
    // Restarts are what a user must see at once: a crash-looping image otherwise looks like a slow one.
    cluster.events.follow((event) => {
      if (event.type === 'container-restarted' && !options.verbose) log(formatEvent(event));
    });
    const control = await serveControl(cluster, options.controlPort);
    try {
      await cluster.apply(objects);
      await cluster.waitUntilReady(options.readyTimeoutMs ?? cluster.timing.seconds(600), { signal });
      if (!signal?.aborted) {
        for (const route of cluster.listRoutes()) log(`route ${route.name.padEnd(24)} ${route.url}`);
        log(`control  http://127.0.0.1:${options.controlPort}/  (zdd local rollout <workload>, zdd local events)`);
        // Another platform than the default is worth a line: its delays explain what the events show.
        if (platform.name !== LOCAL_CLUSTER_DEFAULTS.platform) {
          const router = options.router ?? LOCAL_CLUSTER_DEFAULTS.router;
          log(`platform ${describeEmulation({ router, reloadIntervalSeconds, platform })}`);
        }
        log(`workloads: ${cluster.listWorkloads().join(', ')}; press Ctrl-C to stop`);
        await untilAborted(signal);
      }
      log('stopping the local cluster');
    } finally {
      await new Promise((resolve) => control.close(resolve));
      control.closeAllConnections();
    }
  } finally {
    await cluster.stop();
  }
}
