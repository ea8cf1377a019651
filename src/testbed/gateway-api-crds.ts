import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../kube/resources.js';
import { yamlFilesIn } from './crd-files.js';

/**
 * The Gateway API's standard-channel CRDs, as testbed/build.sh copies them from the Go module
 * sigs.k8s.io/gateway-api (config/crd/standard/, unchanged) into `<binDir>/gateway-api/`.
 */
export const GATEWAY_API_FOLDER = 'gateway-api';

/** The folder the CRDs are in, beside the control plane's binaries. */
export function gatewayApiDir(binDir: string): string {
  return join(binDir, GATEWAY_API_FOLDER);
}

/** The YAML files of the CRDs, sorted; none when the folder is missing (a build from before they were copied). */
export function gatewayApiCrdFiles(binDir: string): string[] {
  return yamlFilesIn(gatewayApiDir(binDir));
}

/** The module version the CRDs came from (build.sh writes it), if known. */
export function gatewayApiVersion(binDir: string): string | undefined {
  const file = join(gatewayApiDir(binDir), 'VERSION');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The CRD of one kind, by its plural (`httproutes`), from `readCrdFiles`. */
export function gatewayApiCrd(crds: readonly KubeObject[], plural: string): KubeObject | undefined {
  return crds.find((crd) => (crd.spec as { names?: { plural?: string } } | undefined)?.names?.plural === plural);
}
