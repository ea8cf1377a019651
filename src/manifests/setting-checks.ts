import { INT32_MAX } from '../kubernetes/count-or-percent.js';
import { SettingError } from '../runtime/errors.js';
import { compareQuantities, isQuantity } from './quantity.js';

/**
 * The validation rules the constructs share. Each throws a `SettingError` that
 * names the field, the rule and the value, so that the CLI can print it as is.
 */

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const PERCENT = /^(\d+)%$/;

/** A Service, Route or DeploymentConfig name: a DNS-1035 label of at most 63 characters. */
export function checkName(field: string, value: string): void {
  if (value.length > 63 || !DNS_1035_LABEL.test(value)) {
    throw new SettingError(
      field,
      'must be a DNS-1035 label (at most 63 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit)',
      value,
    );
  }
}

/** A namespace's name: a DNS-1123 label of at most 63 characters (it may start with a digit). */
export function checkNamespace(field: string, value: string): void {
  if (value.length > 63 || !DNS_1123_LABEL.test(value)) {
    throw new SettingError(
      field,
      'must be a DNS-1123 label (at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit)',
      value,
    );
  }
}

/** A host name, as Routes and Ingresses take it; also any object name that is a DNS-1123 subdomain. */
export function checkHost(field: string, value: string): void {
  if (value.length > 253 || !DNS_1123_SUBDOMAIN.test(value)) {
    throw new SettingError(field, 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")', value);
  }
}

export function checkPort(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new SettingError(field, 'must be an integer port number from 1 to 65535', value);
  }
}

/** A named container port (IANA_SVC_NAME): at most 15 characters, at least one letter. */
export function checkPortName(field: string, value: string): void {
  if (value.length > 15 || !IANA_SVC_NAME.test(value) || value.includes('--')) {
    throw new SettingError(
      field,
      'must be a port number or a port name of at most 15 lowercase letters, digits or "-"',
      value,
    );
  }
}

/** The largest value of Kubernetes' int32 fields, from the model (the Helm values schema takes it from here). */
export { INT32_MAX };

/** An integer count or number of seconds, within what Kubernetes stores (int32). */
export function checkInteger(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > INT32_MAX) {
    throw new SettingError(field, `must be an integer from ${min} to ${INT32_MAX}`, value);
  }
}

/**
 * The two variants' names. Equal names would give both variants the same
 * objects (the second would replace the first) and the same pod selector.
 */
export function checkDistinctNames(names: { readonly default: string; readonly zeroDowntime: string }): void {
  if (names.default === names.zeroDowntime) {
    throw new SettingError(
      'names.zeroDowntime',
      'must differ from names.default: with one name both variants would write the same objects and select the same pods',
      names.zeroDowntime,
    );
  }
}

export function checkQuantity(field: string, value: string): void {
  if (value.startsWith('-') && isQuantity(value.slice(1))) {
    throw new SettingError(field, 'must not be negative (Kubernetes refuses a negative request or limit)', value);
  }
  if (!isQuantity(value)) {
    throw new SettingError(field, 'must be a Kubernetes quantity such as "250m", "0.5", "64Mi" or "1Gi"', value);
  }
}

/**
 * A request above its limit: the API server refuses the pod ("must be less than or equal to cpu limit").
 * Both must be quantities (`checkQuantity`).
 */
export function checkRequestWithinLimit(resource: string, request: string, limit: string): void {
  if (compareQuantities(request, limit) > 0) {
    throw new SettingError(
      `resources.requests.${resource}`,
      `must be at most resources.limits.${resource}, ${limit} (Kubernetes refuses a request above its limit)`,
      request,
    );
  }
}

export function checkEnvName(field: string, value: string): void {
  if (!ENV_NAME.test(value)) {
    throw new SettingError(
      field,
      'must be a variable name of letters, digits, "_", "-" or ".", not starting with a digit',
      value,
    );
  }
}

export function checkPath(field: string, value: string): void {
  if (!value.startsWith('/') || /\s/.test(value)) {
    throw new SettingError(field, 'must be an absolute URL path starting with "/" and without spaces', value);
  }
}

/**
 * Resolves a rolling-update count ("25%" or 1) against `replicas` the way
 * Kubernetes does: surge rounds up, unavailable rounds down.
 */
export function resolveIntOrPercent(
  field: string,
  value: number | string,
  replicas: number,
  round: 'up' | 'down',
): number {
  if (typeof value === 'number') {
    checkInteger(field, value, 0);
    return value;
  }
  const match = PERCENT.exec(value);
  if (!match || Number(match[1]) > INT32_MAX) {
    throw new SettingError(field, 'must be a non-negative integer or a percentage such as "25%"', value);
  }
  const exact = (Number(match[1]) * replicas) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}
