import type { ManifestObject } from '../kubernetes/object.js';
import type { Fields } from './fields.js';

/** A Route or Ingress: the Services a router sends its traffic to. */
export interface Exposure {
  readonly object: ManifestObject;
  readonly serviceNames: readonly string[];
}

/** A Route's `spec.to` and `spec.alternateBackends` (those of kind Service, the default). */
export function readRoute(fields: Fields): Exposure {
  const spec = fields.at(['spec']);
  const backends = [
    spec.at(['to']),
    ...spec.list(['alternateBackends']).map((_, index) => spec.at(['alternateBackends', index])),
  ];
  const serviceNames = backends
    .filter((backend) => (backend.string(['kind']) ?? 'Service') === 'Service')
    .map((backend) => backend.string(['name']))
    .filter((name) => name !== undefined);
  return { object: fields.object, serviceNames };
}

/**
 * An Ingress's default backend and every rule's paths: `service.name` in
 * networking.k8s.io/v1, `serviceName` in the v1beta1 versions.
 */
export function readIngress(fields: Fields): Exposure {
  const spec = fields.at(['spec']);
  const backends = [spec.at(['defaultBackend']), spec.at(['backend'])];
  for (const [ruleIndex] of spec.list(['rules']).entries()) {
    const paths = spec.at(['rules', ruleIndex, 'http']);
    for (const [pathIndex] of paths.list(['paths']).entries()) backends.push(paths.at(['paths', pathIndex, 'backend']));
  }
  const serviceNames = new Set<string>();
  for (const backend of backends) {
    const name = backend.has(['service']) ? backend.string(['service', 'name']) : backend.string(['serviceName']);
    if (name !== undefined) serviceNames.add(name);
  }
  return { object: fields.object, serviceNames: [...serviceNames] };
}
