/**
 * `zdd compare --target cluster --dry-run`: every command a run would execute,
 * in order, built by the same functions the run uses. Pure: nothing runs.
 */

import { renderedObjects } from '../../kubernetes/read-manifests.js';
import type { RenderedVariant } from '../../manifests/variants.js';
import type { ClusterCommand } from './commands.js';
import {
  commands,
  endpointSliceSelector,
  permissionsNeeded,
  podSelector,
  RESOURCES,
  ROUTE_KINDS,
  RUN_ID_LABEL,
  resourceOf,
} from './commands.js';
import { type ClusterCli, describe } from './kubectl.js';
import { replicationControllerName } from './rollout-state.js';

export interface DryRunPlan {
  readonly cli: Pick<ClusterCli, 'name' | 'access'>;
  readonly runId: string;
  /** The manifests file the create command reads (written by the caller). */
  readonly manifestsFile: string;
  readonly rounds: number;
  readonly cleanup: boolean;
  readonly routeUrls: ReadonlyMap<string, string>;
  readonly routerAddress?: string;
  /** How the load is generated, e.g. `k6 v1.8.1, 50 req/s per variant, …`. */
  readonly load: string;
  /**
   * The lines of a load that runs in the cluster (`--load k6-operator`): its checks before anything is created,
   * how it starts (with the objects it creates) and how it stops. @default - a load from this machine
   */
  readonly inCluster?: {
    readonly checks: readonly string[];
    readonly start: readonly string[];
    readonly stop: readonly string[];
    /** Resources it creates, labelled with the run id: the cleanup command takes them too. */
    readonly resources: readonly string[];
  };
}

/** An object as the dry run names it. */
interface Named {
  readonly kind: string;
  readonly metadata: { readonly name: string };
}

/** A command as the user would type it. */
type Show = (command: ClusterCommand) => string;

/** The lines to print: `# what` comments and the commands. */
export function dryRunLines(variants: readonly RenderedVariant[], plan: DryRunPlan): string[] {
  const objects: Named[] = variants.flatMap((variant) =>
    renderedObjects(variant).map((o) => ({ kind: o.kind, metadata: { name: o.name } })),
  );
  const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
  const kinds = [...new Set(objects.map((o) => o.kind))];
  const workloads = objects.filter((o) => o.kind === 'DeploymentConfig' || o.kind === 'Deployment');
  const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);
  const routes = objects.filter((o) => ROUTE_KINDS.includes(o.kind));
  const show: Show = (command) => describe(plan.cli, command);
  const lines: string[] = [];
  const step = (title: string, ...commandLines: string[]) => lines.push(`# ${title}`, ...commandLines);

  const cleanup = show(
    commands.deleteRun([...new Set([...resources(objects), ...(plan.inCluster?.resources ?? [])])], plan.runId),
  );
  step(
    'the API server answers and the namespace exists (a user who may not read the namespace goes on)',
    show(commands.namespace(plan.cli.access.namespace)),
  );
  step(
    'who may do what: every permission the run needs, before anything is created',
    ...permissionsNeeded({ kinds, cli: plan.cli.name, cleanup: plan.cleanup }).map((permission) =>
      show(commands.canI(permission)),
    ),
  );
  if (plan.inCluster) {
    step('the load can run in the cluster: its API exists and the user may do what it needs', ...plan.inCluster.checks);
  }
  step(
    `refuse to go on if an object with one of these names exists without the label ${RUN_ID_LABEL}=${plan.runId}`,
    ...objects.map((o) => show(commands.get(o.kind, o.metadata.name))),
  );
  step(
    `print the run id and this cleanup command, and write them to cluster-run.json in the results folder: ${cleanup}`,
  );
  step(
    `create both variants (${names.join(', ')}), each labelled ${RUN_ID_LABEL}=${plan.runId} in the file; over objects of this run id (--run-id), apply instead: ${show(commands.apply(plan.manifestsFile))}`,
    show(commands.create(plan.manifestsFile)),
  );
  step(
    'watch pods, EndpointSlices and revisions for events.json (in the background, until the run ends)',
    ...watchCommands(workloads, services, show),
  );
  step(
    'wait until each workload is available (every second, at most --timeout), and that its pods can start',
    ...workloads.flatMap((w) => availabilityCommands(w, show)),
  );
  step('find where to send the load, then wait until each answers', ...routes.map((r) => routeLine(r, plan, show)));
  step(`start the load: ${plan.load}`, ...(plan.inCluster?.start ?? []));
  const workloadNames = workloads.map((w) => w.metadata.name);
  for (let round = 1; round <= plan.rounds; round++) {
    step(
      `round ${round}: roll out both at the same moment, then wait for each (every second, at most --timeout) and for the old pods to go`,
      ...workloads.map((w) => rolloutCommand(w, plan, show)),
      ...workloads.map((w) => show(commands.get(w.kind, w.metadata.name))),
      show(commands.pods(podSelector(workloadNames))),
    );
  }
  step('cool down, stop the load, write the results', ...(plan.inCluster?.stop ?? []));
  if (plan.cleanup) step('remove what this run created (also after Ctrl-C)', cleanup);
  else step('(without --cleanup the variants stay; this removes them)', cleanup);
  return lines;
}

/** The watches behind events.json: the workloads' pods, the services' EndpointSlices, the workloads' revisions. */
function watchCommands(workloads: readonly Named[], services: readonly string[], show: Show): string[] {
  const revisionKind = workloads.some((w) => w.kind === 'DeploymentConfig')
    ? 'replicationcontrollers'
    : 'replicasets.apps';
  const workloadNames = workloads.map((w) => w.metadata.name);
  return [
    show(commands.watch('pods', podSelector(workloadNames))),
    ...(services.length > 0
      ? [show(commands.watch('endpointslices.discovery.k8s.io', endpointSliceSelector(services)))]
      : []),
    show(commands.watch(revisionKind, podSelector(workloadNames))),
  ];
}

/** What is read to tell that a workload is available: its pods, itself, and a DeploymentConfig's first revision. */
function availabilityCommands(workload: Named, show: Show): string[] {
  const name = workload.metadata.name;
  return [
    show(commands.pods(podSelector([name]))),
    show(commands.get(workload.kind, name)),
    ...(workload.kind === 'DeploymentConfig'
      ? [show(commands.get('ReplicationController', replicationControllerName(name, 1)))]
      : []),
  ];
}

/** Where a route's load goes: the `--route-url` given for it, or the command that reads its host. */
function routeLine(route: Named, plan: DryRunPlan, show: Show): string {
  const name = route.metadata.name;
  return plan.routeUrls.has(name)
    ? `# ${name}: --route-url ${plan.routeUrls.get(name)}`
    : `${show(commands.get(route.kind, name))}   # its host${plan.routerAddress ? `, sent to ${plan.routerAddress} with that Host header` : ''}`;
}

/** The command that rolls a workload out: `oc rollout latest` for a DeploymentConfig (kubectl touches its template). */
function rolloutCommand(workload: Named, plan: DryRunPlan, show: Show): string {
  const name = workload.metadata.name;
  if (workload.kind !== 'DeploymentConfig') return show(commands.rolloutRestart(name));
  return plan.cli.name === 'oc'
    ? show(commands.rolloutLatest(name))
    : show(commands.touchTemplate(workload.kind, name, '<now>'));
}

/** The resources of the objects' kinds, as the delete command names them. */
function resources(objects: ReadonlyArray<{ kind: string }>): string[] {
  return [...new Set(objects.map((o) => RESOURCES[o.kind] ?? resourceOf(o.kind)))];
}
