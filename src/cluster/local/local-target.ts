import type { RenderedVariant } from '../../manifests/variants.js';
import type { PlatformProfile } from '../../platforms/profile.js';
import { SetupError } from '../../runtime/errors.js';
import type { CompareTarget, TargetRoute } from '../target.js';
import type { ImageMapping } from './images.js';
import { LocalCluster } from './local-cluster.js';
import { parseManifests } from './objects.js';
import type { LocalClusterSettings } from './settings.js';

/** `zdd compare --target local`: the variants run as processes on 127.0.0.1 (see `LocalCluster`). */
export async function localTarget(
  settings: Omit<LocalClusterSettings, 'imageCommands' | 'platform'> & {
    readonly imageMappings: readonly ImageMapping[];
    /** @default - the OpenShift router */
    readonly platform?: PlatformProfile;
  },
): Promise<CompareTarget> {
  const cluster = await LocalCluster.create({
    timeScale: settings.timeScale,
    router: settings.router,
    reloadIntervalSeconds: settings.reloadIntervalSeconds,
    reloads: settings.reloads,
    imageMappings: settings.imageMappings,
    ...(settings.platform && { platform: settings.platform }),
  });
  return {
    description: `the local cluster${settings.timeScale === 1 ? '' : ` (time scale ${settings.timeScale})`}, ${describeEmulation(settings)}`,
    timing: cluster.timing,
    events: cluster.events,
    podLogsDir: cluster.podLogsDir,
    async deploy(variants: readonly RenderedVariant[], timeoutMs: number, signal?: AbortSignal) {
      await cluster.apply(
        parseManifests(variants.map((variant) => ({ source: variant.fileName, yaml: variant.yaml }))),
      );
      await cluster.waitUntilReady(timeoutMs, { signal });
    },
    async routes(variants: readonly string[]): Promise<TargetRoute[]> {
      const routes = cluster.listRoutes();
      return variants.map((variant) => {
        const route = routes.find((r) => r.service === variant || r.name === variant);
        if (!route) {
          throw new SetupError(
            `${variant} has no Route, Ingress or HTTPRoute to send load to; use --expose route, ingress or gateway`,
          );
        }
        return { variant, url: route.url };
      });
    },
    alignRouterReloads: (phase) => cluster.alignRouterReloads(phase),
    // Bounded by --timeout as on a real cluster (timeoutMs is real ms: the nominal seconds go into the reason).
    rollout: (workload, timeoutMs) =>
      cluster.rollout(workload, {
        ms: timeoutMs,
        reason: `not complete within --timeout (${Math.round(timeoutMs / cluster.timing.seconds(1))} s)`,
      }),
    settle: (timeoutMs, signal) => cluster.waitUntilReady(timeoutMs, { router: false, signal }),
    stop: () => cluster.stop(),
  };
}

/** What sits in front of the local cluster's pods, in a few words. */
export function describeEmulation(settings: {
  readonly router: string;
  readonly reloadIntervalSeconds: number;
  readonly platform?: PlatformProfile;
}): string {
  const { platform } = settings;
  if (platform === undefined || platform.emulation.kind === 'reload-interval') {
    return `router ${settings.router} (reload every ${settings.reloadIntervalSeconds} s)`;
  }
  const { removeSeconds, addSeconds } = platform.emulation;
  return `${platform.name} emulated on router ${settings.router} (endpoints leave ${removeSeconds} s and join ${addSeconds} s after they change${platform.sidecar ? ', with a sidecar' : ''})`;
}
