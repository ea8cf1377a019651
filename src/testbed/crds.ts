import { parse } from 'yaml';
import type { KubeObject } from '../kube/resources.js';

/**
 * The defaults the API server needs for list-map keys that the codegen-only
 * DeploymentConfig CRD (schemas/openshift/) leaves optional: a CRD is refused
 * unless every `x-kubernetes-list-map-keys` entry is required or has a
 * default. The values are the ones Kubernetes' own types default them to
 * (a container port's protocol is TCP; a LocalObjectReference's name is "").
 * Keyed by `LIST[].KEY`, LIST being the list's property name.
 */
export const LIST_MAP_KEY_DEFAULTS: Readonly<Record<string, string>> = {
  'ports[].protocol': 'TCP',
  'imagePullSecrets[].name': '',
};

const DEPLOYMENT_CONFIG_CRD = 'deploymentconfigs.apps.openshift.io';

/** A CRD read from YAML text; `file` names it in errors. */
export function parseCrd(text: string, file: string): KubeObject {
  // The DeploymentConfig CRD shares schemas through hundreds of YAML aliases: allow them all.
  const crd: unknown = parse(text, { maxAliasCount: -1 });
  if (typeof crd !== 'object' || crd === null || (crd as KubeObject).kind !== 'CustomResourceDefinition') {
    throw new Error(`${file}: expected a CustomResourceDefinition`);
  }
  return crd as KubeObject;
}

/**
 * The DeploymentConfig CRD of schemas/openshift/, made acceptable to a real
 * API server: each list-map key without a default gets the one in
 * `LIST_MAP_KEY_DEFAULTS` (in containers, initContainers and
 * ephemeralContainers `ports[].protocol` → TCP, `imagePullSecrets[].name` →
 * ""). Nothing else changes. A list-map key that needs a default this table
 * lacks is an error, so a newer schema cannot slip through half-fixed.
 */
export function applicableDeploymentConfigCrd(text: string, file = DEPLOYMENT_CONFIG_CRD): KubeObject {
  const crd = parseCrd(text, file);
  if (crd.metadata?.name !== DEPLOYMENT_CONFIG_CRD) {
    throw new Error(`${file}: expected the CRD ${DEPLOYMENT_CONFIG_CRD}, got ${JSON.stringify(crd.metadata?.name)}`);
  }
  for (const key of listMapKeysWithoutDefault(crd)) {
    const value = LIST_MAP_KEY_DEFAULTS[key.name];
    if (value === undefined) {
      throw new Error(`${file}: ${key.path}: list-map key "${key.name}" has no default and none is known for it`);
    }
    key.schema.default = value;
  }
  return crd;
}

/** A list-map key that is neither required nor defaulted, which a real API server refuses. */
export interface ListMapKeyWithoutDefault {
  /** `LIST[].KEY`, e.g. `ports[].protocol`. */
  readonly name: string;
  /** Where the key's schema is, e.g. `spec.versions[0]….containers.items.properties.ports.items.properties.protocol`. */
  readonly path: string;
  /** The key's schema (the object to add a `default` to). */
  readonly schema: Record<string, unknown>;
}

/** Every list-map key in `crd`'s schemas that is neither required nor defaulted. */
export function listMapKeysWithoutDefault(crd: KubeObject): ListMapKeyWithoutDefault[] {
  const found = new Map<Record<string, unknown>, ListMapKeyWithoutDefault>();
  const visit = (node: unknown, path: string, property: string): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, `${path}[${index}]`, property);
      return;
    }
    if (!isRecord(node)) return;
    const keys = node['x-kubernetes-list-map-keys'];
    const items = node.items;
    if (node['x-kubernetes-list-type'] === 'map' && Array.isArray(keys) && isRecord(items)) {
      const required = Array.isArray(items.required) ? items.required : [];
      const properties = isRecord(items.properties) ? items.properties : {};
      for (const key of keys) {
        const schema = properties[key];
        if (typeof key !== 'string' || required.includes(key) || !isRecord(schema) || 'default' in schema) continue;
        // Aliased schemas are one object reached by several paths: report it once.
        if (!found.has(schema)) {
          found.set(schema, { name: `${property}[].${key}`, path: `${path}.items.properties.${key}`, schema });
        }
      }
    }
    for (const [name, child] of Object.entries(node)) visit(child, path === '' ? name : `${path}.${name}`, name);
  };
  visit(crd, '', '');
  return [...found.values()];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
