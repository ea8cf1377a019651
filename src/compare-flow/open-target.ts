import type { ImageMapping } from '../cluster/local/images.js';
import { localTarget } from '../cluster/local/local-target.js';
import { ClusterTarget, resolveAccess } from '../cluster/remote/cluster-target.js';
import { type ClusterCli, findClusterCli } from '../cluster/remote/kubectl.js';
import type { CompareTarget } from '../cluster/target.js';
import { OPERATOR_RESOURCES } from '../load/k6-operator/commands.js';
import { platformProfile } from '../platforms/index.js';
import type { ComparePlan } from './options.js';

/**
 * The target `--target` names, opened (the cluster target's access is resolved, nothing is applied yet), and the
 * cluster's CLI for what else runs there (`--load k6-operator`).
 */
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
): Promise<{ readonly target: CompareTarget; readonly cli?: ClusterCli }> {
  if (plan.target === 'local') {
    const target = await localTarget({
      timeScale: plan.timeScale,
      router: plan.router,
      reloadIntervalSeconds: plan.reloadIntervalSeconds,
      reloads: plan.reloads,
      imageMappings: context.imageMappings,
      platform: platformProfile(plan.platform, { reloadIntervalSeconds: plan.reloadIntervalSeconds }),
    });
    return { target };
  }
  const { cluster } = plan;
  const found = findClusterCli({ ...cluster.access, namespace: cluster.access.namespace ?? 'default' });
  const cli: ClusterCli = { ...found, access: await resolveAccess(found, cluster.access) };
  const target = new ClusterTarget({
    cli,
    runId: cluster.runId,
    recordDir: context.recordDir,
    ...(context.givenFlags && { givenFlags: context.givenFlags }),
    routeUrls: cluster.routeUrls,
    ...(cluster.routerAddress !== undefined && { routerAddress: cluster.routerAddress }),
    cleanup: cluster.cleanup,
    ...(plan.load === 'k6-operator' && { alsoCreated: OPERATOR_RESOURCES }),
    answerTimeoutMs: Math.min(120_000, plan.timeoutSeconds * 1000),
    log: context.log,
  });
  return { target, cli };
}
