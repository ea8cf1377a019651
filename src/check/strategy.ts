import type { IntOrPercent } from '../kubernetes/count-or-percent.js';
import { defaultStrategyType, rollingDefaults, STATEFUL_SET_MAX_UNAVAILABLE_DEFAULT } from '../kubernetes/defaults.js';
import type { FieldPath } from '../kubernetes/object.js';
import { formatValue } from '../runtime/errors.js';
import type { Fields } from './fields.js';

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
  const type = spec.string(['strategy', 'type']) || defaultStrategyType('DeploymentConfig', '');
  if (type === 'Recreate') return { type: 'recreate', path };
  if (type !== 'Rolling') return { type: 'manual', name: type, path };
  const params = spec.at(['strategy', 'rollingParams']);
  return rollingStrategy(
    'DeploymentConfig',
    '',
    params.intOrString(['maxSurge']),
    params.intOrString(['maxUnavailable']),
    path,
  );
}

/** A Deployment's `spec.strategy`; `apiVersion` decides the defaults. */
export function readDeploymentStrategy(spec: Fields, apiVersion: string): RolloutStrategy {
  const path = spec.path(['strategy']);
  const type = spec.string(['strategy', 'type']) || defaultStrategyType('Deployment', apiVersion);
  if (type === 'Recreate') return { type: 'recreate', path };
  if (type !== 'RollingUpdate') return { type: 'manual', name: type, path };
  const surge = spec.intOrString(['strategy', 'rollingUpdate', 'maxSurge']);
  const unavailable = spec.intOrString(['strategy', 'rollingUpdate', 'maxUnavailable']);
  return rollingStrategy('Deployment', apiVersion, surge, unavailable, path);
}

/** A rolling strategy with the API's defaults (applied by `rollingDefaults`, the one table). */
function rollingStrategy(
  kind: string,
  apiVersion: string,
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  path: FieldPath,
): RolloutStrategy {
  const defaulted = rollingDefaults(kind, apiVersion, { maxSurge, maxUnavailable });
  return {
    type: 'rolling',
    maxSurge: defaulted.maxSurge.value,
    maxUnavailable: defaulted.maxUnavailable.value,
    origin: { maxSurge: defaulted.maxSurge.origin, maxUnavailable: defaulted.maxUnavailable.origin },
    path,
  };
}

/** A StatefulSet's `spec.updateStrategy`; apps/v1beta1 defaults to OnDelete. */
export function readStatefulSetStrategy(spec: Fields, apiVersion: string): RolloutStrategy {
  const path = spec.path(['updateStrategy']);
  const type = spec.string(['updateStrategy', 'type']) || defaultStrategyType('StatefulSet', apiVersion);
  if (type !== 'RollingUpdate') return { type: 'manual', name: type, path };
  const rolling = spec.at(['updateStrategy', 'rollingUpdate']);
  return {
    type: 'stateful-rolling',
    partition: rolling.integer(['partition'], 0),
    maxUnavailable: rolling.intOrString(['maxUnavailable']) ?? STATEFUL_SET_MAX_UNAVAILABLE_DEFAULT,
    path,
  };
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
