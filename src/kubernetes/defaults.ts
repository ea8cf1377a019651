import type { IntOrPercent } from './count-or-percent.js';

/**
 * The values the API server fills in when a manifest leaves a field out.
 * zdd judges a manifest as the cluster will run it, so it applies these
 * before any rule looks at a value. Each constant names where it comes from.
 */

/**
 * A probe's defaults: `SetDefaults_Probe` in kubernetes/kubernetes
 * pkg/apis/core/v1/defaults.go, documented on `Probe` in k8s.io/api core/v1
 * ("Default to 10 seconds", "Defaults to 1 second", "Defaults to 1", "Defaults to 3").
 * initialDelaySeconds has no default: 0.
 */
export const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

/** `SetDefaults_HTTPGetAction` (same file): path "/" and scheme HTTP. */
export const HTTP_GET_DEFAULTS = { path: '/', scheme: 'HTTP' } as const;

/** `DefaultTerminationGracePeriodSeconds` in pkg/apis/core/types.go, set by `SetDefaults_PodSpec`. */
export const TERMINATION_GRACE_PERIOD_DEFAULT = 30;

/**
 * A Deployment's rolling update: 25 % / 25 % for apps/v1, apps/v1beta2 and
 * apps/v1beta1 (`SetDefaults_Deployment` in pkg/apis/apps/<version>/defaults.go),
 * but 1 / 1 for the old extensions/v1beta1 (pkg/apis/extensions/v1beta1/defaults.go).
 * Replicas default to 1.
 */
export const DEPLOYMENT_ROLLING_DEFAULTS = { maxSurge: '25%', maxUnavailable: '25%' } as const;
export const EXTENSIONS_V1BETA1_ROLLING_DEFAULTS = { maxSurge: 1, maxUnavailable: 1 } as const;
export const DEPLOYMENT_REPLICAS_DEFAULT = 1;
/** `progressDeadlineSeconds`: 600 from apps/v1beta1 on (`SetDefaults_Deployment`); extensions/v1beta1 has none. */
export const DEPLOYMENT_PROGRESS_DEADLINE_DEFAULT = 600;

/**
 * A DeploymentConfig's Rolling strategy: `SetDefaults_DeploymentStrategy` and
 * `SetDefaults_RollingDeploymentStrategyParams` in openshift/origin
 * pkg/apps/apis/apps/v1/defaults.go (now openshift-apiserver): type Rolling;
 * intervalSeconds 1, updatePeriodSeconds 1, timeoutSeconds 600; maxSurge and
 * maxUnavailable 25 % each when both are left out, the missing one 25 % when the
 * other is written as 0, and otherwise the missing one counts as 0 (see `rollingDefaults`).
 * `spec.replicas` is a plain int32 in openshift/api apps/v1 types.go
 * (`Replicas int32 \`json:"replicas"\``, no pointer, no defaulting function sets
 * it): left out, it is 0.
 */
export const DEPLOYMENT_CONFIG_ROLLING_DEFAULTS = {
  maxSurge: '25%',
  maxUnavailable: '25%',
  intervalSeconds: 1,
  updatePeriodSeconds: 1,
  timeoutSeconds: 600,
} as const;
export const DEPLOYMENT_CONFIG_REPLICAS_DEFAULT = 0;
/** A Recreate DeploymentConfig's `recreateParams.timeoutSeconds` (`DefaultRecreateTimeoutSeconds`). */
export const DEPLOYMENT_CONFIG_RECREATE_TIMEOUT_DEFAULT = 600;

/**
 * A StatefulSet updates with RollingUpdate, partition 0, one pod at a time
 * (apps/v1 and apps/v1beta2), but with OnDelete in apps/v1beta1
 * (pkg/apis/apps/<version>/defaults.go). Replicas default to 1.
 * `rollingUpdate.maxUnavailable` (1 by default, at least 1 after rounding down)
 * is honoured only behind the MaxUnavailableStatefulSet feature gate.
 */
export const STATEFUL_SET_REPLICAS_DEFAULT = 1;
export const STATEFUL_SET_MAX_UNAVAILABLE_DEFAULT = 1;

/** A DeploymentConfig's rolling timings in seconds (`DefaultRolling*Seconds` in openshift-apiserver pkg/apps/apis/apps). */
export const DEPLOYMENT_CONFIG_ROLLING_TIMINGS = {
  intervalSeconds: DEPLOYMENT_CONFIG_ROLLING_DEFAULTS.intervalSeconds,
  updatePeriodSeconds: DEPLOYMENT_CONFIG_ROLLING_DEFAULTS.updatePeriodSeconds,
  timeoutSeconds: DEPLOYMENT_CONFIG_ROLLING_DEFAULTS.timeoutSeconds,
} as const;

/** `spec.replicas` when left out, by kind (see the constants above for the sources). */
export function defaultReplicas(kind: string): number {
  if (kind === 'DeploymentConfig') return DEPLOYMENT_CONFIG_REPLICAS_DEFAULT;
  if (kind === 'StatefulSet') return STATEFUL_SET_REPLICAS_DEFAULT;
  return DEPLOYMENT_REPLICAS_DEFAULT;
}

/** The strategy type when left out: `Rolling` for a DeploymentConfig, `RollingUpdate` otherwise (OnDelete for apps/v1beta1 StatefulSets). */
export function defaultStrategyType(kind: string, apiVersion: string): string {
  if (kind === 'DeploymentConfig') return 'Rolling';
  if (kind === 'StatefulSet' && apiVersion === 'apps/v1beta1') return 'OnDelete';
  return 'RollingUpdate';
}

/** A defaulted value and how it came to be: "written", or the default it took. */
export interface Defaulted<T> {
  readonly value: T;
  readonly origin: string;
}

/**
 * maxSurge and maxUnavailable of a rolling update with the API's defaults
 * applied. Deployments: each one left out takes its version's default on its
 * own. DeploymentConfigs (`SetDefaults_RollingDeploymentStrategyParams` in
 * openshift-apiserver pkg/apps/apis/apps/v1/defaults.go, formerly
 * openshift/origin): both left out → 25 %/25 %; one left out → 25 % when the
 * other is 0 or "0%", else it stays nil, which the deployer reads as 0.
 */
export function rollingDefaults(
  kind: string,
  apiVersion: string,
  written: { readonly maxSurge: IntOrPercent | undefined; readonly maxUnavailable: IntOrPercent | undefined },
): { readonly maxSurge: Defaulted<IntOrPercent>; readonly maxUnavailable: Defaulted<IntOrPercent> } {
  const { maxSurge: surge, maxUnavailable: unavailable } = written;
  if (kind !== 'DeploymentConfig') {
    const defaults =
      apiVersion === 'extensions/v1beta1' ? EXTENSIONS_V1BETA1_ROLLING_DEFAULTS : DEPLOYMENT_ROLLING_DEFAULTS;
    const origin = `the ${apiVersion} Deployment default`;
    return {
      maxSurge:
        surge === undefined
          ? { value: defaults.maxSurge, origin: `${origin}, ${defaults.maxSurge}` }
          : writtenValue(surge),
      maxUnavailable:
        unavailable === undefined
          ? { value: defaults.maxUnavailable, origin: `${origin}, ${defaults.maxUnavailable}` }
          : writtenValue(unavailable),
    };
  }
  const zero = (value: IntOrPercent | undefined) => value === 0 || value === '0%';
  const d = DEPLOYMENT_CONFIG_ROLLING_DEFAULTS;
  return {
    maxSurge:
      surge !== undefined
        ? writtenValue(surge)
        : unavailable === undefined || zero(unavailable)
          ? { value: d.maxSurge, origin: `the DeploymentConfig default, ${d.maxSurge}` }
          : { value: 0, origin: 'left out while maxUnavailable is not 0, so 0' },
    maxUnavailable:
      unavailable !== undefined
        ? writtenValue(unavailable)
        : surge === undefined || zero(surge)
          ? { value: d.maxUnavailable, origin: `the DeploymentConfig default, ${d.maxUnavailable}` }
          : { value: 0, origin: 'left out while maxSurge is not 0, so 0' },
  };
}

function writtenValue<T>(value: T): Defaulted<T> {
  return { value, origin: 'written' };
}

type Value = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Value {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A workload object (Deployment, DeploymentConfig, StatefulSet) with the
 * rollout fields the API server would fill in: `spec.replicas`, the strategy
 * type, maxSurge/maxUnavailable (`rollingDefaults`), a DeploymentConfig's
 * rolling timings and a Deployment's progressDeadlineSeconds. A new object;
 * anything written, even of the wrong type, is kept for the reader's own
 * checks. The one place where these defaults are applied to whole objects
 * (check applies the same functions field by field, to say where each value came from).
 */
export function withRolloutDefaults(object: Value): Value {
  const kind = String(object.kind);
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  if (!['Deployment', 'DeploymentConfig', 'StatefulSet'].includes(kind) || !isRecord(object.spec)) return object;
  const spec: Record<string, unknown> = { ...object.spec };
  spec.replicas ??= defaultReplicas(kind);
  if (kind === 'Deployment' && apiVersion !== 'extensions/v1beta1') {
    spec.progressDeadlineSeconds ??= DEPLOYMENT_PROGRESS_DEADLINE_DEFAULT;
  }
  const strategyField = kind === 'StatefulSet' ? 'updateStrategy' : 'strategy';
  const strategy: Record<string, unknown> | undefined =
    spec[strategyField] === undefined ? {} : isRecord(spec[strategyField]) ? { ...spec[strategyField] } : undefined;
  if (strategy === undefined) return { ...object, spec };
  strategy.type ??= defaultStrategyType(kind, apiVersion);
  spec[strategyField] = strategy;
  const paramsField = kind === 'DeploymentConfig' ? 'rollingParams' : 'rollingUpdate';
  if (
    kind === 'StatefulSet' ||
    strategy.type !== defaultStrategyType(kind, '') ||
    !isWrittenObject(strategy[paramsField])
  ) {
    return { ...object, spec };
  }
  const params: Record<string, unknown> = { ...(strategy[paramsField] as Value | undefined) };
  const intOrPercent = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? value : undefined);
  const rolling = rollingDefaults(kind, apiVersion, {
    maxSurge: intOrPercent(params.maxSurge),
    maxUnavailable: intOrPercent(params.maxUnavailable),
  });
  params.maxSurge ??= rolling.maxSurge.value;
  params.maxUnavailable ??= rolling.maxUnavailable.value;
  if (kind === 'DeploymentConfig') {
    for (const [field, seconds] of Object.entries(DEPLOYMENT_CONFIG_ROLLING_TIMINGS)) params[field] ??= seconds;
  }
  strategy[paramsField] = params;
  return { ...object, spec };
}

/** Left out, or a mapping: what defaulting fills in (anything else is left for validation to refuse). */
function isWrittenObject(value: unknown): boolean {
  return value === undefined || isRecord(value);
}
