import { formatEvent } from '../../cluster/local/events.js';
import { type ImageMapping, parseImageMapping } from '../../cluster/local/images.js';
import { LocalCluster, type RouterKind } from '../../cluster/local/local-cluster.js';
import { readManifests } from '../../cluster/local/read-manifests.js';
import type { ReloadDiscipline } from '../../cluster/router/reloading-router.js';
import { serveControl } from './control.js';

export interface LocalUpOptions {
  /** Manifest files or folders. @default ['dist'] */
  readonly manifests?: readonly string[];
  /** @default 1 */
  readonly timeScale?: number;
  /** @default 'builtin' */
  readonly router?: RouterKind;
  /** Router reload interval, seconds. @default 5 */
  readonly reloadInterval?: number;
  /** @default 'periodic' */
  readonly reloads?: ReloadDiscipline;
  /** `IMAGE=COMMAND` mappings. @default [] */
  readonly imageCommands?: readonly string[];
  /** Port of the control API on 127.0.0.1. */
  readonly controlPort: number;
  /** Print every event as it happens. @default false */
  readonly verbose?: boolean;
  /** Resolves when the cluster should stop. @default Ctrl-C or SIGTERM */
  readonly until?: Promise<unknown>;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/**
 * `zdd local up`: runs the manifests in the foreground on 127.0.0.1, prints
 * each route's URL, serves the control API, and stops everything on Ctrl-C.
 */
export async function localUp(options: LocalUpOptions): Promise<void> {
  const log = options.log ?? console.log;
  const imageMappings: ImageMapping[] = (options.imageCommands ?? []).map(parseImageMapping);
  const objects = await readManifests(options.manifests ?? ['dist']);
  const cluster = await LocalCluster.create({
    timeScale: options.timeScale,
    router: options.router,
    reloadIntervalSeconds: options.reloadInterval,
    reloads: options.reloads,
    imageMappings,
  });
  const stop = waitForStop(options.until);
  try {
    const origin = Date.now();
    if (options.verbose) cluster.events.follow((event) => log(formatEvent(event, origin)));
    const control = await serveControl(cluster, options.controlPort);
    try {
      await cluster.apply(objects);
      await Promise.race([cluster.waitUntilReady(cluster.timing.seconds(600)), stop.promise]);
      for (const route of cluster.listRoutes()) log(`route ${route.name.padEnd(24)} ${route.url}`);
      log(`control  http://127.0.0.1:${options.controlPort}/  (zdd local rollout <workload>, zdd local events)`);
      log(`workloads: ${cluster.listWorkloads().join(', ')}; press Ctrl-C to stop`);
      await stop.promise;
      log('stopping the local cluster');
    } finally {
      await new Promise((resolve) => control.close(resolve));
      control.closeAllConnections();
    }
  } finally {
    stop.dispose();
    await cluster.stop();
  }
}

function waitForStop(until?: Promise<unknown>): { promise: Promise<void>; dispose: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  const onSignal = () => resolve();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  void until?.then(onSignal, onSignal);
  return {
    promise,
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}
