/**
 * What the test bed's router serves of Gateway API HTTPRoutes, and what it
 * reports in their `status.parents`. Pure: the router (testbed-router.ts)
 * watches the objects and applies the result. The router stands for every
 * Gateway: an HTTPRoute attaches when a parentRef names a Gateway, whatever
 * its name (the test bed runs no Gateway controller and needs no Gateway
 * object). Field meanings and defaults: sigs.k8s.io/gateway-api apis/v1
 * (httproute_types.go, shared_types.go).
 */
import type { ApiHttpRoute, ApiService, Condition, IntOrString, ParentReference } from './api-objects.js';
import { key, liveOldestFirst, type RouterTarget } from './route-table.js';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The router's name as a Gateway controller (`status.parents[].controllerName`: a domain, a slash, a path). */
export const GATEWAY_CONTROLLER_NAME = 'testbed.zdd/router';

/** What the router makes of one HTTPRoute. */
export interface HttpRouteAdmission {
  readonly route: ApiHttpRoute;
  /** The parentRefs that name a Gateway: the router reports to each. */
  readonly parents: readonly ParentReference[];
  /** Served: its hosts, its Service and the EndpointSlice port. */
  readonly target?: { readonly hosts: readonly string[]; readonly service: string; readonly port?: IntOrString };
  readonly accepted: Verdict;
  readonly resolvedRefs: Verdict;
}

/** One condition's status, reason and message (Gateway API's reasons). */
export interface Verdict {
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

const ACCEPTED: Verdict = { status: 'True', reason: 'Accepted', message: "served by the test bed's router" };
const RESOLVED: Verdict = { status: 'True', reason: 'ResolvedRefs', message: 'every backendRef resolves to a Service' };

/** Whether a parentRef names a Gateway (`group` and `kind` default to the Gateway's). */
function namesGateway(parent: ParentReference): boolean {
  return (parent.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (parent.kind ?? 'Gateway') === 'Gateway';
}

/** The HTTPRoutes to report on, each with what the router makes of it; those naming no Gateway are left out. */
export function admitHttpRoutes(
  routes: readonly ApiHttpRoute[],
  services: readonly ApiService[],
): HttpRouteAdmission[] {
  return liveOldestFirst(routes).flatMap((route) => {
    const parents = (route.spec?.parentRefs ?? []).filter(namesGateway);
    return parents.length === 0 ? [] : [admit(route, parents, services)];
  });
}

function admit(
  route: ApiHttpRoute,
  parents: readonly ParentReference[],
  services: readonly ApiService[],
): HttpRouteAdmission {
  const namespace = route.metadata.namespace ?? 'default';
  const refuse = (accepted: Verdict, resolvedRefs = RESOLVED) => ({ route, parents, accepted, resolvedRefs });
  const hosts = (route.spec?.hostnames ?? []).map((host) => host.toLowerCase());
  if (hosts.length === 0 || hosts.some((host) => host.startsWith('*'))) {
    return refuse(unsupported('the test bed router picks a route by its exact Host: give spec.hostnames, no wildcard'));
  }
  const refs = (route.spec?.rules ?? []).flatMap((rule) => rule.backendRefs ?? []).filter((ref) => ref.weight !== 0);
  const foreign = refs.find((ref) => (ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service');
  if (foreign) {
    return refuse(ACCEPTED, {
      status: 'False',
      reason: 'InvalidKind',
      message: `backendRef ${foreign.name ?? ''}: only Services are served`,
    });
  }
  const elsewhere = refs.find((ref) => ref.namespace !== undefined && ref.namespace !== namespace);
  if (elsewhere) {
    return refuse(ACCEPTED, {
      status: 'False',
      reason: 'RefNotPermitted',
      message: `backendRef ${elsewhere.name ?? ''} in namespace ${elsewhere.namespace ?? ''}: the test bed grants no cross-namespace reference`,
    });
  }
  const names = [...new Set(refs.map((ref) => ref.name ?? ''))];
  if (names.length !== 1) {
    return refuse(
      unsupported(
        names.length === 0
          ? 'no backendRef with a weight above 0'
          : `the test bed router sends a route to one Service; this one splits its requests between ${names.join(', ')}`,
      ),
    );
  }
  const name = names[0] as string;
  const ports = [...new Set(refs.map((ref) => ref.port))];
  const service = services.find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
  // A backendRef to a Service names the Service port by number; its EndpointSlice ports carry the port's name.
  const servicePort = service?.spec?.ports?.find((port) => port.port === ports[0]);
  if (ports.length !== 1 || servicePort === undefined) {
    const message =
      service === undefined
        ? `Service ${name} does not exist`
        : `Service ${name} has no port ${ports.map(String).join(', ')}`;
    return refuse(ACCEPTED, { status: 'False', reason: 'BackendNotFound', message });
  }
  return { ...refuse(ACCEPTED), target: { hosts, service: name, port: servicePort.name ?? servicePort.port } };
}

function unsupported(message: string): Verdict {
  return { status: 'False', reason: 'UnsupportedValue', message };
}

/** The router's targets of the served HTTPRoutes, one per host no Route or Ingress has taken (`taken`). */
export function httpRouteTargets(
  admissions: readonly HttpRouteAdmission[],
  taken: ReadonlySet<string>,
): RouterTarget[] {
  const hosts = new Set(taken);
  const targets: RouterTarget[] = [];
  for (const { route, target } of admissions) {
    if (target === undefined) continue;
    for (const host of target.hosts) {
      if (hosts.has(host)) continue;
      hosts.add(host);
      targets.push({
        key: `httproute:${key(route)}`,
        namespace: route.metadata.namespace ?? 'default',
        host,
        service: target.service,
        ...(target.port !== undefined && { port: target.port }),
      });
    }
  }
  return targets;
}

/** The route's `status.parents` as the router reports them: one entry per Gateway it names. */
export function httpRouteParentStatus(
  admission: HttpRouteAdmission,
  now: string,
): NonNullable<ApiHttpRoute['status']>['parents'] {
  const generation = admission.route.metadata.generation;
  const before = admission.route.status?.parents ?? [];
  return admission.parents.map((parentRef) => {
    const earlier = before.find(
      (entry) => entry.controllerName === GATEWAY_CONTROLLER_NAME && sameParent(entry.parentRef, parentRef),
    )?.conditions;
    const condition = (type: string, verdict: Verdict): Condition & { observedGeneration?: number } => {
      const previous = earlier?.find((c) => c.type === type);
      return {
        type,
        ...verdict,
        lastTransitionTime: previous?.status === verdict.status ? (previous.lastTransitionTime ?? now) : now,
        ...(generation !== undefined && { observedGeneration: generation }),
      };
    };
    return {
      parentRef,
      controllerName: GATEWAY_CONTROLLER_NAME,
      conditions: [condition('Accepted', admission.accepted), condition('ResolvedRefs', admission.resolvedRefs)],
    };
  });
}

/** Whether the route's status already says what the router decided (so that nothing is written twice). */
export function httpRouteReported(admission: HttpRouteAdmission): boolean {
  const generation = admission.route.metadata.generation;
  const parents = admission.route.status?.parents ?? [];
  return admission.parents.every((parentRef) => {
    const entry = parents.find(
      (candidate) => candidate.controllerName === GATEWAY_CONTROLLER_NAME && sameParent(candidate.parentRef, parentRef),
    );
    return (
      entry !== undefined &&
      [
        ['Accepted', admission.accepted],
        ['ResolvedRefs', admission.resolvedRefs],
      ].every(([type, verdict]) => {
        const { status, reason, message } = verdict as Verdict;
        const condition = entry.conditions?.find((c) => c.type === type);
        return (
          condition?.status === status &&
          condition.reason === reason &&
          condition.message === message &&
          (generation === undefined || condition.observedGeneration === generation)
        );
      })
    );
  });
}

/** The same parent: the API server defaults `group`, `kind` and fills nothing else. */
function sameParent(a: ParentReference, b: ParentReference): boolean {
  return (
    (a.group ?? GATEWAY_GROUP) === (b.group ?? GATEWAY_GROUP) &&
    (a.kind ?? 'Gateway') === (b.kind ?? 'Gateway') &&
    a.name === b.name &&
    (a.namespace ?? '') === (b.namespace ?? '') &&
    (a.sectionName ?? '') === (b.sectionName ?? '') &&
    (a.port ?? 0) === (b.port ?? 0)
  );
}
