/**
 * What the test bed's router serves, from Routes, Ingresses, Services and
 * EndpointSlices as the API has them. Pure: the router (testbed-router.ts)
 * watches the objects and applies the result.
 */
import type { RouterEndpoint } from '../cluster/router/router.js';
import type { ApiEndpointSlice, ApiIngress, ApiRoute, ApiService, IntOrString } from './api-objects.js';

/** The domain of the hosts the router gives Routes without `spec.host` (OpenShift's `*.apps.<cluster domain>`). */
export const ROUTER_DOMAIN = 'apps.testbed.zdd';
/** OpenShift's default IngressController's router name, as Routes' `status.ingress[].routerName` shows it. */
export const ROUTER_NAME = 'default';

/** Something the router serves: a Route, or one rule of an Ingress. */
export interface RouterTarget {
  /** The router's name for it: `route:NAMESPACE/NAME` or `ingress:NAMESPACE/NAME/RULE`. */
  readonly key: string;
  readonly namespace: string;
  readonly host: string;
  readonly service: string;
  /**
   * Which EndpointSlice ports to use: a port name or number (a Route's
   * `spec.port.targetPort`, or the Service port an Ingress names); all of
   * them when unset.
   */
  readonly port?: IntOrString;
}

/** A Route's admission: the host it was given and, unless admitted, why not. */
export interface Admission {
  readonly route: ApiRoute;
  readonly host: string;
  readonly admitted: boolean;
  /** `HostAlreadyClaimed`, with the route that has the host. */
  readonly reason?: string;
  readonly message?: string;
}

/** `spec.host`, else `NAME-NAMESPACE.<domain>` (what OpenShift generates), in lower case. */
export function routeHost(route: ApiRoute, domain = ROUTER_DOMAIN): string {
  const host = route.spec?.host?.trim();
  if (host) return host.toLowerCase();
  return `${route.metadata.name ?? ''}-${route.metadata.namespace ?? 'default'}.${domain}`.toLowerCase();
}

/**
 * Which Routes the router admits: each host goes to the oldest Route that
 * asks for it (creation time, then namespace/name), as OpenShift's router
 * does; a younger Route asking for a claimed host is not admitted.
 */
export function admitRoutes(routes: readonly ApiRoute[], domain = ROUTER_DOMAIN): Admission[] {
  const claimed = new Map<string, ApiRoute>();
  return liveOldestFirst(routes).map((route) => {
    const host = routeHost(route, domain);
    const owner = claimed.get(host);
    if (owner) {
      return {
        route,
        host,
        admitted: false,
        reason: 'HostAlreadyClaimed',
        message: `route ${owner.metadata.name} already exposes ${host} and is older`,
      };
    }
    claimed.set(host, route);
    return { route, host, admitted: true };
  });
}

/**
 * Everything the router serves: admitted Routes first, then each Ingress rule
 * whose host no Route has (the first path with a Service backend; rules
 * without a host are not served).
 */
export function routerTargets(
  admissions: readonly Admission[],
  ingresses: readonly ApiIngress[],
  services: readonly ApiService[],
): RouterTarget[] {
  const targets: RouterTarget[] = [];
  const hosts = new Set<string>();
  for (const admission of admissions) {
    const { route } = admission;
    const service = route.spec?.to?.name;
    if (!admission.admitted || !service || (route.spec?.to?.kind ?? 'Service') !== 'Service') continue;
    hosts.add(admission.host);
    const port = route.spec?.port?.targetPort;
    targets.push({
      key: `route:${key(route)}`,
      namespace: route.metadata.namespace ?? 'default',
      host: admission.host,
      service,
      ...(port !== undefined && { port }),
    });
  }
  for (const ingress of ingresses) {
    if (ingress.metadata.deletionTimestamp !== undefined) continue;
    const namespace = ingress.metadata.namespace ?? 'default';
    for (const [index, rule] of (ingress.spec?.rules ?? []).entries()) {
      const host = rule.host?.toLowerCase();
      const backend = rule.http?.paths?.find((path) => path.backend?.service?.name)?.backend?.service;
      if (!host || !backend?.name || hosts.has(host)) continue;
      hosts.add(host);
      // An Ingress names the Service's port; its EndpointSlice ports carry the Service port's name.
      const servicePort = services
        .find((service) => service.metadata.namespace === namespace && service.metadata.name === backend.name)
        ?.spec?.ports?.find((port) =>
          backend.port?.name !== undefined ? port.name === backend.port.name : port.port === backend.port?.number,
        );
      if (!servicePort) continue;
      targets.push({
        key: `ingress:${key(ingress)}/${index}`,
        namespace,
        host,
        service: backend.name,
        port: servicePort.name ?? '',
      });
    }
  }
  return targets;
}

/**
 * The endpoints of a target, from its Service's EndpointSlices: only those
 * whose `conditions.ready` is not false, as openshift/router does —
 * pkg/router/controller/endpointsubset/converter.go (ConvertEndpointSlice)
 * puts an endpoint with `ready` false into NotReadyAddresses ("A nil Ready
 * condition indicates an unknown state and should be interpreted as
 * ready"), terminating endpoints included since the EndpointSlice
 * controller sets their `ready` false, and pkg/router/template/plugin.go
 * (createRouterEndpoints) builds the router's endpoints from `Addresses`
 * only. Each pod address becomes its loopback port through `resolve`; an
 * address it does not know is left out: the router never connects anywhere
 * but 127.0.0.1.
 */
export function targetEndpoints(
  target: RouterTarget,
  slices: readonly ApiEndpointSlice[],
  resolve: (ip: string, port: number) => number | undefined,
): RouterEndpoint[] {
  const byId = new Map<string, RouterEndpoint>();
  for (const slice of slices) {
    if (slice.metadata.namespace !== target.namespace) continue;
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== target.service) continue;
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    const ports = (slice.ports ?? []).filter((port) => port.port !== undefined && portMatches(port, target.port));
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const ip of endpoint.addresses) {
        for (const port of ports) {
          const local = resolve(ip, port.port as number);
          if (local === undefined) continue;
          const name = endpoint.targetRef?.name ?? ip;
          const id = ports.length > 1 ? `${name}:${port.port}` : name;
          byId.set(id, { id, host: '127.0.0.1', port: local });
        }
      }
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** openshift/router's endpointsForAlias: a port name, or a port number compared as text. */
function portMatches(port: { name?: string; port?: number }, wanted: IntOrString | undefined): boolean {
  if (wanted === undefined) return true;
  return (port.name ?? '') === String(wanted) || String(port.port) === String(wanted);
}

interface Named {
  readonly metadata: {
    readonly namespace?: string;
    readonly name?: string;
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
  };
}

/** `namespace/name`. */
export function key(object: Named): string {
  return `${object.metadata.namespace ?? 'default'}/${object.metadata.name ?? ''}`;
}

/**
 * The objects not being deleted, oldest first (creation time, then namespace/name): the order in which
 * OpenShift's router, and the test bed's for HTTPRoutes, hands out a contested host.
 */
export function liveOldestFirst<T extends Named>(objects: readonly T[]): T[] {
  return objects
    .filter((object) => object.metadata.deletionTimestamp === undefined)
    .sort(
      (a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        key(a).localeCompare(key(b)),
    );
}
