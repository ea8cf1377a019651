/**
 * Every command the cluster target runs, built as data (pure), so that the
 * run and `--dry-run` print the same commands.
 */
import type { ClusterCommand } from './kubectl.js';

/** The label on every object zdd applies (the manifests carry it already). */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The label that names the run that applied an object, for `--cleanup` and by hand. */
export const RUN_ID_LABEL = 'zdd/run-id';
/** The pod template annotation that redeploys a workload without `oc` (a ConfigChange trigger fires). */
export const RESTARTED_AT_ANNOTATION = 'zdd/restarted-at';

/** An object kind zdd applies, with the resource name kubectl takes for it. */
export interface KindInfo {
  readonly kind: string;
  readonly resource: string;
}

/** The kinds zdd's manifests hold, as kubectl names their resources (group-qualified, never ambiguous). */
export const RESOURCES: Readonly<Record<string, string>> = {
  DeploymentConfig: 'deploymentconfigs.apps.openshift.io',
  Deployment: 'deployments.apps',
  Service: 'services',
  Route: 'routes.route.openshift.io',
  Ingress: 'ingresses.networking.k8s.io',
  PodDisruptionBudget: 'poddisruptionbudgets.policy',
  // Not in the manifests: a DeploymentConfig's revisions, read to follow its rollouts.
  ReplicationController: 'replicationcontrollers',
};

export function resourceOf(kind: string): string {
  return RESOURCES[kind] ?? kind.toLowerCase();
}

export const commands = {
  currentContext: (): ClusterCommand => ({ args: ['config', 'current-context'] }),
  contextNamespace: (): ClusterCommand => ({
    args: ['config', 'view', '--minify', '--output', 'jsonpath={..namespace}'],
  }),
  canI: (verb: string, resource: string): ClusterCommand => ({ args: ['auth', 'can-i', verb, resource] }),
  get: (kind: string, name: string): ClusterCommand => ({
    args: ['get', `${resourceOf(kind)}/${name}`, '--ignore-not-found', '--output', 'json'],
  }),
  apply: (objects: readonly string[], yaml: string): ClusterCommand => ({
    args: ['apply', '--filename', '-'],
    stdin: yaml,
    stdinDescription: `the manifests of both variants (${objects.join(', ')}), labelled ${RUN_ID_LABEL}`,
  }),
  /** `oc rollout latest`: a new DeploymentConfig version through the instantiate subresource. */
  rolloutLatest: (name: string): ClusterCommand => ({ args: ['rollout', 'latest', `dc/${name}`] }),
  /** Without oc: a change of the pod template, which the ConfigChange trigger turns into a new version. */
  touchTemplate: (kind: string, name: string, at: string): ClusterCommand => ({
    args: [
      'patch',
      `${resourceOf(kind)}/${name}`,
      '--type',
      'merge',
      '--patch',
      JSON.stringify({ spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at } } } } }),
    ],
  }),
  rolloutRestart: (name: string): ClusterCommand => ({ args: ['rollout', 'restart', `deployment/${name}`] }),
  pods: (selector: string): ClusterCommand => ({ args: ['get', 'pods', '--selector', selector, '--output', 'json'] }),
  logs: (pod: string): ClusterCommand => ({ args: ['logs', pod, '--tail', '10', '--all-containers'] }),
  watch: (resource: string, selector: string): ClusterCommand => ({
    args: ['get', resource, '--selector', selector, '--watch', '--output-watch-events', '--output', 'json'],
  }),
  deleteRun: (resources: readonly string[], runId: string): ClusterCommand => ({
    args: [
      'delete',
      resources.join(','),
      '--selector',
      `${RUN_ID_LABEL}=${runId}`,
      '--ignore-not-found',
      '--wait=true',
      '--timeout',
      '120s',
    ],
  }),
};

/** `app.kubernetes.io/name in (a,b)`: the pods of the variants (their templates carry the name). */
export function podSelector(workloads: readonly string[]): string {
  return `app.kubernetes.io/name in (${workloads.join(',')})`;
}

/** The EndpointSlices of the variants' Services. */
export function endpointSliceSelector(services: readonly string[]): string {
  return `kubernetes.io/service-name in (${services.join(',')})`;
}

/** A run id: UTC time and a random suffix, valid as a label value. */
export function newRunId(now = new Date(), random = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'z')
    .toLowerCase();
  return `${stamp}-${Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}
