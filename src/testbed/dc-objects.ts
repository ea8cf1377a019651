/**
 * What OpenShift's DeploymentConfig machinery writes, as pure functions: the
 * ReplicationController of each version, the ConfigChange trigger's test, and
 * the DeploymentConfig's status. Names and wording follow
 * openshift/library-go `pkg/apps/appsutil` and openshift-controller-manager's
 * DeploymentConfig controller.
 */
import { isDeepStrictEqual } from 'node:util';
import { resolveRolling } from '../kubernetes/count-or-percent.js';
import {
  DEPLOYMENT_CONFIG_RECREATE_TIMEOUT_DEFAULT,
  defaultReplicas,
  withRolloutDefaults,
} from '../kubernetes/defaults.js';
import type { ApiDeploymentConfig, ApiReplicationController, Condition, RollingParams } from './api-objects.js';

/** On RCs (label and annotation) and pod templates: the DeploymentConfig's name. */
export const DEPLOYMENT_CONFIG_ANNOTATION = 'openshift.io/deployment-config.name';
/** The RC's version. */
export const LATEST_VERSION_ANNOTATION = 'openshift.io/deployment-config.latest-version';
/** New → Running → Complete or Failed (zdd's cluster target waits for Complete). */
export const PHASE_ANNOTATION = 'openshift.io/deployment.phase';
export const STATUS_REASON_ANNOTATION = 'openshift.io/deployment.status-reason';
export const CANCELLED_ANNOTATION = 'openshift.io/deployment.cancelled';
/** The replicas the version is rolled out to. */
export const REPLICAS_ANNOTATION = 'openshift.io/deployment.replicas';
/** The DeploymentConfig as it was when the version was made; the ConfigChange trigger compares templates with it. */
export const ENCODED_CONFIG_ANNOTATION = 'openshift.io/encoded-deployment-config';
/** On pod templates: the RC's name. */
export const DEPLOYMENT_NAME_ANNOTATION = 'openshift.io/deployment.name';
/** Pod template and selector labels. */
export const DEPLOYMENT_CONFIG_LABEL = 'deploymentconfig';
export const DEPLOYMENT_LABEL = 'deployment';

export type DeploymentPhase = 'New' | 'Pending' | 'Running' | 'Complete' | 'Failed';

/** A Recreate strategy's timeout when left out (from the model's defaults table). */
export const RECREATE_TIMEOUT_SECONDS = DEPLOYMENT_CONFIG_RECREATE_TIMEOUT_DEFAULT;
export const REVISION_HISTORY_LIMIT = 10;

export function replicationControllerName(config: string, version: number): string {
  return `${config}-${version}`;
}

/** The version an RC of a DeploymentConfig stands for; 0 when it is not one. */
export function versionOf(rc: ApiReplicationController): number {
  const value = Number(rc.metadata.annotations?.[LATEST_VERSION_ANNOTATION]);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function phaseOf(rc: ApiReplicationController): DeploymentPhase {
  const phase = rc.metadata.annotations?.[PHASE_ANNOTATION];
  return phase === 'Pending' || phase === 'Running' || phase === 'Complete' || phase === 'Failed' ? phase : 'New';
}

/** `spec.replicas`; left out, the API's default (0 for a DeploymentConfig: a plain int32 in openshift/api). */
export function replicasOf(config: ApiDeploymentConfig): number {
  return config.spec?.replicas ?? defaultReplicas('DeploymentConfig');
}

/** The rolling parameters with openshift-apiserver's defaulting applied (the model's `withRolloutDefaults`). */
export function rollingParams(config: ApiDeploymentConfig): Required<RollingParams> {
  const defaulted = withRolloutDefaults({
    kind: 'DeploymentConfig',
    spec: { strategy: { type: 'Rolling', rollingParams: config.spec?.strategy?.rollingParams ?? {} } },
  });
  return (defaulted.spec as { strategy: { rollingParams: Required<RollingParams> } }).strategy.rollingParams;
}

/** Triggers unset means `[ConfigChange]` (OpenShift's defaulting); an empty list means none. */
export function hasConfigChangeTrigger(config: ApiDeploymentConfig): boolean {
  const triggers = config.spec?.triggers;
  return triggers === undefined || triggers.some((trigger) => trigger.type === 'ConfigChange');
}

/**
 * The ConfigChange trigger's test (appsutil.HasLatestPodTemplate): the pod
 * template differs from the one encoded in the latest version's RC.
 */
export function templateChanged(config: ApiDeploymentConfig, latest: ApiReplicationController): boolean {
  const encoded = latest.metadata.annotations?.[ENCODED_CONFIG_ANNOTATION];
  if (encoded === undefined) return true;
  try {
    const decoded = JSON.parse(encoded) as ApiDeploymentConfig;
    return !isDeepStrictEqual(decoded.spec?.template ?? {}, config.spec?.template ?? {});
  } catch {
    return true;
  }
}

/**
 * The RC of `version` (appsutil.MakeDeployment): created at 0 replicas
 * (the rollout scales it), owned by the DeploymentConfig (deleting it deletes
 * its RCs and their pods), its selector and pod labels extended with
 * `deploymentconfig=NAME` and `deployment=NAME-N`.
 */
export function newReplicationController(config: ApiDeploymentConfig, version: number): ApiReplicationController {
  const name = config.metadata.name ?? '';
  const rcName = replicationControllerName(name, version);
  const template = structuredClone(config.spec?.template ?? {});
  const podMetadata = template.metadata ?? {};
  template.metadata = {
    ...podMetadata,
    labels: { ...podMetadata.labels, [DEPLOYMENT_CONFIG_LABEL]: name, [DEPLOYMENT_LABEL]: rcName },
    annotations: {
      ...podMetadata.annotations,
      [DEPLOYMENT_NAME_ANNOTATION]: rcName,
      [DEPLOYMENT_CONFIG_ANNOTATION]: name,
      [LATEST_VERSION_ANNOTATION]: String(version),
    },
  };
  const encoded = {
    apiVersion: 'apps.openshift.io/v1',
    kind: 'DeploymentConfig',
    metadata: { name, namespace: config.metadata.namespace, uid: config.metadata.uid },
    spec: config.spec,
    status: { latestVersion: version },
  };
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: {
      name: rcName,
      namespace: config.metadata.namespace,
      labels: { ...config.metadata.labels, [DEPLOYMENT_CONFIG_ANNOTATION]: name },
      annotations: {
        [DEPLOYMENT_CONFIG_ANNOTATION]: name,
        [LATEST_VERSION_ANNOTATION]: String(version),
        [PHASE_ANNOTATION]: 'New',
        [REPLICAS_ANNOTATION]: String(replicasOf(config)),
        [ENCODED_CONFIG_ANNOTATION]: JSON.stringify(encoded),
      },
      ownerReferences: [
        {
          apiVersion: 'apps.openshift.io/v1',
          kind: 'DeploymentConfig',
          name,
          uid: config.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: 0,
      minReadySeconds: config.spec?.minReadySeconds ?? 0,
      selector: { ...config.spec?.selector, [DEPLOYMENT_CONFIG_LABEL]: name, [DEPLOYMENT_LABEL]: rcName },
      template,
    },
  };
}

/**
 * The most unavailable pods the strategy allows: what the Available condition
 * is measured against (appsutil.MaxUnavailable in openshift/library-go, which
 * resolves the fenceposts: both 0 after rounding makes maxUnavailable 1).
 */
function maxUnavailable(config: ApiDeploymentConfig): number {
  if ((config.spec?.strategy?.type ?? 'Rolling') !== 'Rolling') return 0;
  const params = rollingParams(config);
  return resolveRolling(params.maxSurge, params.maxUnavailable, replicasOf(config)).unavailable;
}

/**
 * The DeploymentConfig's status from its RCs (the DC controller's
 * calculateStatus and updateConditions). `rcs` are the config's RCs; `failure`
 * is set when the latest RC could not be created.
 */
export function deploymentConfigStatus(
  config: ApiDeploymentConfig,
  rcs: readonly ApiReplicationController[],
  now: string,
  failure?: string,
): NonNullable<ApiDeploymentConfig['status']> {
  const previous = config.status ?? {};
  const latestVersion = previous.latestVersion ?? 0;
  const latest = rcs.find((rc) => versionOf(rc) === latestVersion);
  const sum = (pick: (rc: ApiReplicationController) => number | undefined) =>
    rcs.reduce((total, rc) => total + (pick(rc) ?? 0), 0);
  const replicas = sum((rc) => rc.status?.replicas);
  const available = sum((rc) => rc.status?.availableReplicas);
  const desired = replicasOf(config);
  const conditions: Condition[] = [];
  const keep = (condition: Condition) => {
    const before = previous.conditions?.find((c) => c.type === condition.type);
    if (
      before &&
      before.status === condition.status &&
      before.reason === condition.reason &&
      before.message === condition.message
    ) {
      conditions.push(before);
    } else {
      conditions.push({
        ...condition,
        lastUpdateTime: now,
        lastTransitionTime: before && before.status === condition.status ? (before.lastTransitionTime ?? now) : now,
      });
    }
  };
  keep(
    desired === 0 || available >= desired - maxUnavailable(config)
      ? { type: 'Available', status: 'True', message: 'Deployment config has minimum availability.' }
      : { type: 'Available', status: 'False', message: 'Deployment config does not have minimum availability.' },
  );
  const progressing = progressingCondition(latest, failure);
  if (progressing) keep(progressing);
  else {
    const before = previous.conditions?.find((c) => c.type === 'Progressing');
    if (before) conditions.push(before);
  }
  return {
    latestVersion,
    observedGeneration: config.metadata.generation ?? 0,
    replicas,
    updatedReplicas: latest?.status?.replicas ?? 0,
    availableReplicas: available,
    readyReplicas: sum((rc) => rc.status?.readyReplicas),
    unavailableReplicas: Math.max(0, sum((rc) => rc.spec?.replicas) - available),
    conditions,
    ...(previous.details && { details: previous.details }),
  };
}

function progressingCondition(latest: ApiReplicationController | undefined, failure?: string): Condition | undefined {
  if (failure !== undefined) {
    return { type: 'Progressing', status: 'False', reason: 'ReplicationControllerCreateError', message: failure };
  }
  if (!latest) return undefined;
  const name = latest.metadata.name ?? '';
  switch (phaseOf(latest)) {
    case 'New':
    case 'Pending':
      return {
        type: 'Progressing',
        status: 'Unknown',
        message: `replication controller "${name}" is waiting to be rolled out`,
      };
    case 'Running':
      return {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicationControllerUpdated',
        message: `replication controller "${name}" is progressing`,
      };
    case 'Complete':
      return {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicationControllerAvailable',
        message: `replication controller "${name}" successfully rolled out`,
      };
    case 'Failed':
      return latest.metadata.annotations?.[CANCELLED_ANNOTATION] === 'true'
        ? {
            type: 'Progressing',
            status: 'False',
            reason: 'RolloutCancelled',
            message: `rollout of replication controller "${name}" was cancelled`,
          }
        : {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `replication controller "${name}" has failed progressing`,
          };
  }
}

/** True when `status` says something `before` does not (times aside): worth a write. */
export function statusChanged(
  before: ApiDeploymentConfig['status'] | undefined,
  after: NonNullable<ApiDeploymentConfig['status']>,
): boolean {
  const strip = (status: ApiDeploymentConfig['status'] | undefined) => ({
    ...status,
    conditions: (status?.conditions ?? []).map(({ lastUpdateTime, lastTransitionTime, ...rest }) => rest),
  });
  return !isDeepStrictEqual(strip(before), strip(after));
}
