import {
  DEPLOYMENT_CONFIG_RECREATE_TIMEOUT_DEFAULT,
  DEPLOYMENT_CONFIG_ROLLING_DEFAULTS,
  DEPLOYMENT_PROGRESS_DEADLINE_DEFAULT,
  defaultReplicas,
  TERMINATION_GRACE_PERIOD_DEFAULT,
} from '../kubernetes/defaults.js';
import type { FieldPath, ManifestObject } from '../kubernetes/object.js';
import { type Container, readContainers } from './container.js';
import type { Fields } from './fields.js';
import type { WorkloadKind } from './kinds.js';
import type { Labels } from './label-selector.js';
import {
  type RolloutStrategy,
  readDeploymentConfigStrategy,
  readDeploymentStrategy,
  readStatefulSetStrategy,
} from './strategy.js';

/** A DeploymentConfig, Deployment or StatefulSet as the cluster will run it: every default applied. */
export interface Workload {
  readonly object: ManifestObject;
  readonly kind: WorkloadKind;
  readonly replicas: number;
  /** Whether `spec.replicas` is written (a DeploymentConfig without it has 0). */
  readonly replicasWritten: boolean;
  readonly minReadySeconds: number;
  readonly strategy: RolloutStrategy;
  readonly podLabels: Labels;
  readonly containers: readonly Container[];
  readonly terminationGracePeriodSeconds: number;
  /** Where the grace period is written, or the pod spec when it is not. */
  readonly gracePath: FieldPath;
  readonly podSpecPath: FieldPath;
  /**
   * How long the controller waits for a rollout before it gives up: a
   * DeploymentConfig's strategy timeoutSeconds (it then rolls back), a
   * Deployment's progressDeadlineSeconds (it then reports the rollout failed).
   */
  readonly rolloutDeadline: { readonly seconds: number; readonly field: string } | undefined;
}

export function readWorkload(fields: Fields, kind: WorkloadKind): Workload {
  const { object } = fields;
  const spec = fields.at(['spec']);
  const template = spec.at(['template']);
  const podSpec = template.at(['spec']);
  const strategy =
    kind === 'DeploymentConfig'
      ? readDeploymentConfigStrategy(spec)
      : kind === 'Deployment'
        ? readDeploymentStrategy(spec, object.apiVersion)
        : readStatefulSetStrategy(spec, object.apiVersion);
  if (strategy.type === 'manual') {
    const what =
      strategy.name === 'OnDelete'
        ? 'OnDelete replaces pods only when someone deletes them'
        : `zdd does not know what the ${JSON.stringify(strategy.name)} strategy does`;
    fields.note(strategy.path, `${what}; the rollout rules were not applied`);
  }
  return {
    object,
    kind,
    replicas: spec.integer(['replicas'], defaultReplicas(kind)),
    replicasWritten: spec.has(['replicas']),
    minReadySeconds: spec.integer(['minReadySeconds'], 0),
    strategy,
    podLabels: template.stringMap(['metadata', 'labels']) ?? {},
    containers: readContainers(podSpec),
    terminationGracePeriodSeconds: podSpec.integer(['terminationGracePeriodSeconds'], TERMINATION_GRACE_PERIOD_DEFAULT),
    gracePath: podSpec.has(['terminationGracePeriodSeconds'])
      ? podSpec.path(['terminationGracePeriodSeconds'])
      : podSpec.path(),
    podSpecPath: podSpec.path(),
    rolloutDeadline: readRolloutDeadline(spec, kind, strategy),
  };
}

function readRolloutDeadline(spec: Fields, kind: WorkloadKind, strategy: RolloutStrategy): Workload['rolloutDeadline'] {
  if (kind === 'DeploymentConfig') {
    const params = strategy.type === 'recreate' ? 'recreateParams' : 'rollingParams';
    const fallback =
      strategy.type === 'recreate'
        ? DEPLOYMENT_CONFIG_RECREATE_TIMEOUT_DEFAULT
        : DEPLOYMENT_CONFIG_ROLLING_DEFAULTS.timeoutSeconds;
    return { seconds: spec.integer(['strategy', params, 'timeoutSeconds'], fallback, 1), field: 'timeoutSeconds' };
  }
  if (kind === 'Deployment') {
    const seconds = spec.optionalInteger(['progressDeadlineSeconds'], 1);
    if (seconds !== undefined) return { seconds, field: 'progressDeadlineSeconds' };
    return spec.object.apiVersion === 'extensions/v1beta1'
      ? undefined
      : { seconds: DEPLOYMENT_PROGRESS_DEADLINE_DEFAULT, field: 'progressDeadlineSeconds' };
  }
  return undefined;
}
