import type { ManifestObject } from '../kubernetes/object.js';
import type { Fields } from './fields.js';

/** A Route, Ingress or HTTPRoute: the Services a router (or a Gateway) sends its traffic to. */
export interface Exposure {
  readonly object: ManifestObject;
  readonly serviceNames: readonly string[];
  /**
   * Services named in another namespace than the exposure's own (an HTTPRoute's `backendRefs[].namespace`),
   * by name: a Service of that name relates only in that namespace.
   * @default - none: every Service is looked for in the exposure's namespace
   */
  readonly serviceNamespaces?: ReadonlyMap<string, string>;
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

/**
 * An HTTPRoute's `backendRefs` in every rule (sigs.k8s.io/gateway-api apis/v1: `group` "" and `kind`
 * Service by default, `namespace` the route's own, `weight` 1). A backendRef of weight 0 gets no requests,
 * so it exposes nothing; one of another kind (a ServiceImport, say) is not followed.
 */
export function readHttpRoute(fields: Fields): Exposure {
  const spec = fields.at(['spec']);
  const serviceNames = new Set<string>();
  const serviceNamespaces = new Map<string, string>();
  for (const [ruleIndex] of spec.list(['rules']).entries()) {
    const rule = spec.at(['rules', ruleIndex]);
    for (const [refIndex] of rule.list(['backendRefs']).entries()) {
      const ref = rule.at(['backendRefs', refIndex]);
      const isService = (ref.string(['group']) ?? '') === '' && (ref.string(['kind']) ?? 'Service') === 'Service';
      const name = ref.string(['name']);
      if (!isService || name === undefined || ref.integer(['weight'], 1) === 0) continue;
      serviceNames.add(name);
      const namespace = ref.string(['namespace']);
      if (namespace !== undefined && namespace !== fields.object.namespace) serviceNamespaces.set(name, namespace);
    }
  }
  return {
    object: fields.object,
    serviceNames: [...serviceNames],
    ...(serviceNamespaces.size > 0 && { serviceNamespaces }),
  };
}
