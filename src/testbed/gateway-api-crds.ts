import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/resources.js';

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
  const dir = gatewayApiDir(binDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(dir, name));
}

/** The module version the CRDs came from (build.sh writes it), if known. */
export function gatewayApiVersion(binDir: string): string | undefined {
  const file = join(gatewayApiDir(binDir), 'VERSION');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * Every CustomResourceDefinition in the files. Other documents the folder may hold (an admission policy
 * that guards upgrades, for one) are left out: the test bed needs only the kinds.
 */
export function readGatewayApiCrds(files: readonly string[]): KubeObject[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((document) => document.toJS() as unknown)
      .filter(
        (object): object is KubeObject =>
          typeof object === 'object' && object !== null && (object as KubeObject).kind === 'CustomResourceDefinition',
      ),
  );
}

/** The CRD of one kind, by its plural (`httproutes`), from `readGatewayApiCrds`. */
export function gatewayApiCrd(crds: readonly KubeObject[], plural: string): KubeObject | undefined {
  return crds.find((crd) => (crd.spec as { names?: { plural?: string } } | undefined)?.names?.plural === plural);
}
