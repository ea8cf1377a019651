import { SettingError } from '../runtime/errors.js';

/** A Kubernetes minor version, as `kubernetesVersion` gives it. */
export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
}

/** The first version whose kubelet runs the native preStop sleep action by default (KEP-3960: beta, on, in 1.30). */
export const NATIVE_SLEEP_SINCE: KubernetesVersion = { major: 1, minor: 30 };

const VERSION = /^v?(\d+)\.(\d+)(\.\d+)?$/;

/** `1.30`, `v1.30` or `1.30.2`; anything else is refused naming the field. */
export function parseKubernetesVersion(field: string, text: string): KubernetesVersion {
  const match = VERSION.exec(text.trim());
  if (match === null) {
    throw new SettingError(
      field,
      'must be a Kubernetes version MAJOR.MINOR such as "1.30" (OpenShift 4.17 is 1.30)',
      text,
    );
  }
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** Whether `version` runs the native sleep action; an unknown version is taken not to. */
export function hasNativeSleep(version: KubernetesVersion | undefined): boolean {
  if (version === undefined) return false;
  return (
    version.major > NATIVE_SLEEP_SINCE.major ||
    (version.major === NATIVE_SLEEP_SINCE.major && version.minor >= NATIVE_SLEEP_SINCE.minor)
  );
}
