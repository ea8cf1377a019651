/**
 * Every command the cluster target runs, built as data (pure), so that the
 * run and `--dry-run` print the same commands.
 */

/** The CLI that runs the commands. */
export type CliName = 'oc' | 'kubectl';

/** One command: its arguments after the CLI's name. Nothing goes to stdin, so that each can be typed again. */
export interface ClusterCommand {
  readonly args: readonly string[];
}

/**
 * The label that names the run that created an object: the only proof of ownership zdd accepts (synth's
 * `app.kubernetes.io/managed-by=zdd` is on anything applied from dist/ by hand), for `--cleanup` and by hand.
 */
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
  HTTPRoute: 'httproutes.gateway.networking.k8s.io',
  PodDisruptionBudget: 'poddisruptionbudgets.policy',
  // Not in the manifests: a DeploymentConfig's revisions, read to follow its rollouts.
  ReplicationController: 'replicationcontrollers',
};

/** The kinds that give a variant its host, where the load is sent. */
export const ROUTE_KINDS: readonly string[] = ['Route', 'Ingress', 'HTTPRoute'];

export function resourceOf(kind: string): string {
  return RESOURCES[kind] ?? kind.toLowerCase();
}

/** How long the first call to the API server may take before zdd says the server does not answer. */
export const REACH_TIMEOUT = '10s';

export const commands = {
  /** The kubeconfig's context as kubectl resolves it (read locally; its credentials are never printed). */
  contextInfo: (): ClusterCommand => ({ args: ['config', 'view', '--minify', '--output', 'json'] }),
  /**
   * The first call to the API server: one GET without discovery (`--raw`, which kubectl would otherwise retry
   * for half a minute), bounded, so that an unreachable server, a name that does not resolve, refused
   * credentials and a missing namespace each fail at once.
   */
  namespace: (namespace: string): ClusterCommand => ({
    args: ['get', '--raw', `/api/v1/namespaces/${namespace}`, '--request-timeout', REACH_TIMEOUT],
  }),
  createNamespace: (cli: CliName, namespace: string): ClusterCommand => ({
    args: cli === 'oc' ? ['new-project', namespace] : ['create', 'namespace', namespace],
  }),
  canI: ({ verb, resource, subresource }: Permission): ClusterCommand => ({
    args: ['auth', 'can-i', verb, resource, ...(subresource ? ['--subresource', subresource] : [])],
  }),
  get: (kind: string, name: string): ClusterCommand => ({
    args: ['get', `${resourceOf(kind)}/${name}`, '--ignore-not-found', '--output', 'json'],
  }),
  /**
   * A new run creates its objects (`create` fails on any that appeared since zdd checked the names, where
   * `apply` would take it over); `--save-config` lets a later run with the same `--run-id` apply over them.
   */
  create: (file: string): ClusterCommand => ({ args: ['create', '--save-config', '--filename', file] }),
  /** A run with `--run-id` of a run whose objects exist: apply over them. */
  apply: (file: string): ClusterCommand => ({ args: ['apply', '--filename', file] }),
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

/** One `kubectl auth can-i` question. */
export interface Permission {
  readonly verb: string;
  readonly resource: string;
  readonly subresource?: string;
}

/** What the run needs beyond its kinds, and only what it uses. */
export interface PermissionPlan {
  /** The kinds of the manifests. */
  readonly kinds: readonly string[];
  /** `oc rollout latest` needs the `instantiate` subresource; kubectl patches the pod template instead. */
  readonly cli: CliName;
  /** `--cleanup` deletes by label: list and delete. */
  readonly cleanup: boolean;
}

/** Every permission a run needs, in the order they are asked; the run and `--dry-run` ask the same. Pure. */
export function permissionsNeeded({ kinds, cli, cleanup }: PermissionPlan): Permission[] {
  const needed: Permission[] = [];
  const ask = (resource: string, verbs: readonly string[], subresource?: string) => {
    for (const verb of verbs) needed.push({ verb, resource, ...(subresource && { subresource }) });
  };
  for (const kind of kinds) ask(resourceOf(kind), ['get', 'create', 'patch', ...(cleanup ? ['list', 'delete'] : [])]);
  if (kinds.includes('DeploymentConfig')) {
    if (cli === 'oc') ask(resourceOf('DeploymentConfig'), ['create'], 'instantiate');
    // Each version's ReplicationController: read to follow the rollout, watched for events.json.
    ask('replicationcontrollers', ['get', 'list', 'watch']);
  }
  if (kinds.includes('Deployment')) ask('replicasets.apps', ['list', 'watch']);
  ask('pods', ['list', 'watch']);
  if (kinds.includes('Service')) ask('endpointslices.discovery.k8s.io', ['list', 'watch']);
  return needed;
}

/** How a permission reads in a message: `create deploymentconfigs.apps.openshift.io/instantiate`. */
export function describePermission({ verb, resource, subresource }: Permission): string {
  return `${verb} ${resource}${subresource ? `/${subresource}` : ''}`;
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

/** A label value (what `--run-id` must be): at most 63 characters, alphanumerics, `-`, `_`, `.` inside. */
export function isRunId(value: string): boolean {
  return value.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value);
}
