import { resolveCount } from '../cluster/local/strategies.js';
import { formatValue } from '../errors.js';
import {
  DEPLOYMENT_CONFIG_ROLLING_DEFAULTS,
  DEPLOYMENT_ROLLING_DEFAULTS,
  EXTENSIONS_V1BETA1_ROLLING_DEFAULTS,
  STATEFUL_SET_MAX_UNAVAILABLE_DEFAULT,
} from '../kubernetes/defaults.js';
import type { FieldPath } from '../kubernetes/object.js';
import type { Fields } from './fields.js';

/** A count or a percentage of the replicas, as written (`1`, `"25%"`). */
export type IntOrPercent = number | string;

/** How a workload replaces its pods, with the API's defaults filled in. */
export type RolloutStrategy =
  | {
      /** Deployment RollingUpdate or DeploymentConfig Rolling: surge first, then take old pods away. */
      readonly type: 'rolling';
      readonly maxSurge: IntOrPercent;
      readonly maxUnavailable: IntOrPercent;
      /** How each value came to be: "written", or the default it took. */
      readonly origin: { readonly maxSurge: string; readonly maxUnavailable: string };
      readonly path: FieldPath;
    }
  /** Every old pod goes before any new one starts. */
  | { readonly type: 'recreate'; readonly path: FieldPath }
  /** A StatefulSet deletes a pod, then creates its replacement, ordinal by ordinal from the highest. */
  | {
      readonly type: 'stateful-rolling';
      readonly partition: number;
      readonly maxUnavailable: IntOrPercent;
      readonly path: FieldPath;
    }
  /** Nothing is replaced until someone deletes pods (StatefulSet OnDelete), or a strategy zdd cannot judge (Custom). */
  | { readonly type: 'manual'; readonly name: string; readonly path: FieldPath };

/** A DeploymentConfig's `spec.strategy`. */
export function readDeploymentConfigStrategy(spec: Fields): RolloutStrategy {
  const path = spec.path(['strategy']);
  const type = spec.string(['strategy', 'type']) || 'Rolling';
  if (type === 'Recreate') return { type: 'recreate', path };
  if (type !== 'Rolling') return { type: 'manual', name: type, path };
  const params = spec.at(['strategy', 'rollingParams']);
  const surge = params.intOrString(['maxSurge']);
  const unavailable = params.intOrString(['maxUnavailable']);
  const zero = (value: IntOrPercent | undefined) => value === 0 || value === '0%';
  const d = DEPLOYMENT_CONFIG_ROLLING_DEFAULTS;
  // SetDefaults_RollingDeploymentStrategyParams: both left out → 25 %/25 %; one left out → 25 % if the other is 0, else 0.
  const [maxSurge, surgeOrigin] =
    surge !== undefined
      ? [surge, 'written']
      : unavailable === undefined || zero(unavailable)
        ? [d.maxSurge, `the DeploymentConfig default, ${d.maxSurge}`]
        : [0, 'left out while maxUnavailable is not 0, so 0'];
  const [maxUnavailable, unavailableOrigin] =
    unavailable !== undefined
      ? [unavailable, 'written']
      : surge === undefined || zero(surge)
        ? [d.maxUnavailable, `the DeploymentConfig default, ${d.maxUnavailable}`]
        : [0, 'left out while maxSurge is not 0, so 0'];
  return {
    type: 'rolling',
    maxSurge,
    maxUnavailable,
    origin: { maxSurge: surgeOrigin, maxUnavailable: unavailableOrigin },
    path,
  };
}

/** A Deployment's `spec.strategy`; `apiVersion` decides the defaults. */
export function readDeploymentStrategy(spec: Fields, apiVersion: string): RolloutStrategy {
  const path = spec.path(['strategy']);
  const type = spec.string(['strategy', 'type']) || 'RollingUpdate';
  if (type === 'Recreate') return { type: 'recreate', path };
  if (type !== 'RollingUpdate') return { type: 'manual', name: type, path };
  const defaults =
    apiVersion === 'extensions/v1beta1' ? EXTENSIONS_V1BETA1_ROLLING_DEFAULTS : DEPLOYMENT_ROLLING_DEFAULTS;
  const origin = `the ${apiVersion} Deployment default`;
  const surge = spec.intOrString(['strategy', 'rollingUpdate', 'maxSurge']);
  const unavailable = spec.intOrString(['strategy', 'rollingUpdate', 'maxUnavailable']);
  return {
    type: 'rolling',
    maxSurge: surge ?? defaults.maxSurge,
    maxUnavailable: unavailable ?? defaults.maxUnavailable,
    origin: {
      maxSurge: surge === undefined ? `${origin}, ${defaults.maxSurge}` : 'written',
      maxUnavailable: unavailable === undefined ? `${origin}, ${defaults.maxUnavailable}` : 'written',
    },
    path,
  };
}

/** A StatefulSet's `spec.updateStrategy`; apps/v1beta1 defaults to OnDelete. */
export function readStatefulSetStrategy(spec: Fields, apiVersion: string): RolloutStrategy {
  const path = spec.path(['updateStrategy']);
  const fallback = apiVersion === 'apps/v1beta1' ? 'OnDelete' : 'RollingUpdate';
  const type = spec.string(['updateStrategy', 'type']) || fallback;
  if (type !== 'RollingUpdate') return { type: 'manual', name: type, path };
  const rolling = spec.at(['updateStrategy', 'rollingUpdate']);
  return {
    type: 'stateful-rolling',
    partition: rolling.integer(['partition'], 0),
    maxUnavailable: rolling.intOrString(['maxUnavailable']) ?? STATEFUL_SET_MAX_UNAVAILABLE_DEFAULT,
    path,
  };
}

/** A whole number ≥ 0 or a percentage like "25%", as IntOrString fields of counts take them. */
export function isCountOrPercent(value: IntOrPercent): boolean {
  return typeof value === 'number' ? Number.isInteger(value) && value >= 0 : /^\d+%$/.test(value);
}

/** Why a rolling value is refused by the API server, or undefined when it is fine. */
export function invalidRollingValue(value: IntOrPercent, field: 'maxSurge' | 'maxUnavailable'): string | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0
      ? undefined
      : `${field} ${formatValue(value)} is not a whole number ≥ 0`;
  }
  const match = /^(\d+)%$/.exec(value);
  if (!match) return `${field} ${formatValue(value)} is neither a number nor a percentage like "25%"`;
  if (field === 'maxUnavailable' && Number(match[1]) > 100) return `${field} ${value} is more than 100%`;
  return undefined;
}

/** The pods a rolling update may add and take away at once. */
export interface RollingCounts {
  readonly surge: number;
  readonly unavailable: number;
  /** Both resolved to 0, so maxUnavailable became 1 (`ResolveFenceposts`). */
  readonly fencepost: boolean;
}

/**
 * maxSurge rounds up and maxUnavailable down (`ResolveFenceposts` in
 * kubernetes/kubernetes pkg/controller/deployment/util, also used by the
 * DeploymentConfig deployer's rolling updater); when both come to 0 the
 * rollout could not progress, so maxUnavailable becomes 1. No more than the
 * replicas can be unavailable. Values must be valid (see `invalidRollingValue`).
 */
export function resolveRolling(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, replicas: number): RollingCounts {
  const surge = resolveCount(maxSurge, replicas, 'up');
  const unavailable = resolveCount(maxUnavailable, replicas, 'down');
  const fencepost = surge === 0 && unavailable === 0;
  return { surge, unavailable: Math.min(replicas, fencepost ? 1 : unavailable), fencepost };
}

/**
 * How many pods a StatefulSet's rolling update takes down at once: 1, or
 * `maxUnavailable` rounded down and at least 1 (`getStatefulSetMaxUnavailable`
 * in pkg/controller/statefulset), and never more than the pods it updates.
 */
export function statefulSetUnavailable(maxUnavailable: IntOrPercent, replicas: number, updated: number): number {
  const resolved = Math.max(1, resolveCount(maxUnavailable, replicas, 'down'));
  return Math.min(resolved, updated);
}
