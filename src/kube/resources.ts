/** The shapes every Kubernetes object shares, and where a kind of object lives in the REST API. */

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** Any object the API serves; callers narrow it with their own interfaces (`get<Pod>(…)`). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

/**
 * A kind of object in the REST API: `apiVersion` as in a manifest (`v1` for
 * the core group, `GROUP/VERSION` otherwise) and the plural resource name.
 * `namespace` is the namespace to act in; leave it out for cluster-scoped
 * kinds (nodes, namespaces, CRDs) and to list or watch across all namespaces.
 *
 * @example { apiVersion: 'v1', plural: 'pods', namespace: 'default' }
 * @example { apiVersion: 'apps.openshift.io/v1', plural: 'deploymentconfigs', namespace: 'demo' }
 */
export interface Resource {
  readonly apiVersion: string;
  readonly plural: string;
  readonly namespace?: string;
}

/**
 * The REST path of a resource, one object of it (`name`) or a subresource of
 * that object (`status`, `binding`, `scale`, …):
 * `/api/v1/namespaces/default/pods/web/status`, `/apis/apps/v1/deployments`.
 */
export function resourcePath(resource: Resource, name?: string, subresource?: string): string {
  const { apiVersion, plural, namespace } = resource;
  const parts = apiVersion.split('/');
  if (parts.some((part) => part === '') || parts.length > 2 || (parts.length === 1 && apiVersion !== 'v1')) {
    throw new Error(`apiVersion: expected "v1" or "GROUP/VERSION", got ${JSON.stringify(apiVersion)}`);
  }
  if (plural === '' || plural.includes('/'))
    throw new Error(`plural: expected a resource name, got ${JSON.stringify(plural)}`);
  if (subresource !== undefined && name === undefined)
    throw new Error(`subresource "${subresource}" needs an object name`);
  let path = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
  if (namespace !== undefined) path += `/namespaces/${segment('namespace', namespace)}`;
  path += `/${plural}`;
  if (name !== undefined) path += `/${segment('name', name)}`;
  if (subresource !== undefined) path += `/${segment('subresource', subresource)}`;
  return path;
}

/** `namespace/name` (just `name` for cluster-scoped objects): an object's identity in a watch. */
export function objectKey(object: KubeObject): string {
  const namespace = object.metadata?.namespace;
  const name = object.metadata?.name ?? '';
  return namespace ? `${namespace}/${name}` : name;
}

function segment(what: string, value: string): string {
  if (value === '' || value === '.' || value === '..')
    throw new Error(`${what}: expected a name, got ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}
