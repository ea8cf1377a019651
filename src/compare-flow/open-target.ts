import type { ImageMapping } from '../cluster/local/images.js';
import { localTarget } from '../cluster/local/local-target.js';
import { ClusterTarget, resolveAccess } from '../cluster/remote/cluster-target.js';
import { findClusterCli } from '../cluster/remote/kubectl.js';
import type { CompareTarget } from '../cluster/target.js';
import { platformProfile } from '../platforms/index.js';
import type { ComparePlan } from './options.js';

/** The target `--target` names, opened (the cluster target's access is resolved, nothing is applied yet). */
export async function openTarget(
  plan: ComparePlan,
  context: {
    readonly imageMappings: readonly ImageMapping[];
    readonly log: (line: string) => void;
    /** Where the cluster target writes its manifests file and `cluster-run.json` before it creates anything. */
    readonly recordDir: string;
    /** Flags the user gave that hints would otherwise name. */
    readonly givenFlags?: ReadonlySet<string>;
  },
): Promise<CompareTarget> {
  if (plan.target === 'local') {
    return localTarget({
      timeScale: plan.timeScale,
      router: plan.router,
      reloadIntervalSeconds: plan.reloadIntervalSeconds,
      reloads: plan.reloads,
      imageMappings: context.imageMappings,
      platform: platformProfile(plan.platform, { reloadIntervalSeconds: plan.reloadIntervalSeconds }),
    });
  }
  const { cluster } = plan;
  const found = findClusterCli({ ...cluster.access, namespace: cluster.access.namespace ?? 'default' });
  return new ClusterTarget({
    cli: { ...found, access: await resolveAccess(found, cluster.access) },
    runId: cluster.runId,
    recordDir: context.recordDir,
    ...(context.givenFlags && { givenFlags: context.givenFlags }),
    routeUrls: cluster.routeUrls,
    ...(cluster.routerAddress !== undefined && { routerAddress: cluster.routerAddress }),
    cleanup: cluster.cleanup,
    answerTimeoutMs: Math.min(120_000, plan.timeoutSeconds * 1000),
    log: context.log,
  });
}
