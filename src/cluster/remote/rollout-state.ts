/**
 * Whether a workload's rollout has completed, is still going, or failed, read
 * from the objects as the API returns them (`kubectl get -o json`). Pure: the
 * same rules as `kubectl rollout status` (Deployment) and `oc rollout status`
 * (DeploymentConfig: the phase annotation of its latest ReplicationController).
 */

export type RolloutProgress =
  | { readonly state: 'done' }
  | { readonly state: 'waiting'; readonly detail: string }
  | { readonly state: 'failed'; readonly reason: string };

/** A Kubernetes object as JSON, the fields read here. */
export interface KubeObject {
  readonly metadata?: {
    readonly name?: string;
    readonly generation?: number;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly status?: Readonly<Record<string, unknown>>;
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

/** The annotation OpenShift's deployer sets on a DeploymentConfig's ReplicationController. */
export const DEPLOYMENT_PHASE_ANNOTATION = 'openshift.io/deployment.phase';

/** `kubectl rollout status deployment/NAME`'s rules. */
export function deploymentProgress(deployment: KubeObject): RolloutProgress {
  const spec = deployment.spec ?? {};
  const status = deployment.status ?? {};
  const generation = deployment.metadata?.generation ?? 0;
  const observed = number(status.observedGeneration);
  if (observed < generation) return { state: 'waiting', detail: 'the controller has not seen the new template yet' };
  const deadline = conditions(status).find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (deadline) return { state: 'failed', reason: `progress deadline exceeded: ${deadline.message ?? ''}`.trim() };
  const desired = spec.replicas === undefined ? 1 : number(spec.replicas);
  const updated = number(status.updatedReplicas);
  const replicas = number(status.replicas);
  const available = number(status.availableReplicas);
  if (updated < desired) return { state: 'waiting', detail: `${updated} of ${desired} new replicas updated` };
  if (replicas > updated) return { state: 'waiting', detail: `${replicas - updated} old replicas pending termination` };
  if (available < updated) return { state: 'waiting', detail: `${available} of ${updated} updated replicas available` };
  return { state: 'done' };
}

/**
 * `oc rollout status dc/NAME`'s rules: the DeploymentConfig's latest version
 * must be `version` (or newer), and its ReplicationController (`NAME-N`)
 * `Complete`; `Failed` fails; no RC yet, or `New`/`Pending`/`Running`, waits.
 */
export function deploymentConfigProgress(
  config: KubeObject,
  latestRc: KubeObject | undefined,
  version: number,
): RolloutProgress {
  const latest = number(config.status?.latestVersion);
  if (latest < version) return { state: 'waiting', detail: `version ${version} not started yet (latest ${latest})` };
  if (!latestRc) return { state: 'waiting', detail: `no ReplicationController for version ${latest} yet` };
  const phase = latestRc.metadata?.annotations?.[DEPLOYMENT_PHASE_ANNOTATION];
  if (phase === 'Complete') return { state: 'done' };
  if (phase === 'Failed') {
    const cause =
      conditions(config.status ?? {}).find((c) => c.type === 'Progressing' && c.status === 'False')?.message ??
      latestRc.metadata?.annotations?.['openshift.io/deployment.status-reason'];
    return {
      state: 'failed',
      reason: `rollout of ${latestRc.metadata?.name ?? `version ${latest}`} failed${cause ? `: ${cause}` : ''}`,
    };
  }
  return {
    state: 'waiting',
    detail: `${latestRc.metadata?.name ?? 'the new ReplicationController'} is ${phase ?? 'New'}`,
  };
}

/** The name of a DeploymentConfig's ReplicationController for a version. */
export function replicationControllerName(config: string, version: number): string {
  return `${config}-${version}`;
}

function conditions(status: Readonly<Record<string, unknown>>): Condition[] {
  return Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
}

function number(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Pods waiting for these reasons will not start by themselves. */
export const STUCK_REASONS = new Set<string>([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
]);
