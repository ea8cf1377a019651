import { BuiltinRouter } from '../cluster/router/builtin-router.js';
import { reloadPhase } from '../cluster/router/reload-phase.js';
import { type ReloadDiscipline, ReloadingRouter } from '../cluster/router/reloading-router.js';
import { OPENSHIFT_ROUTER_TIMINGS, type RouterTimings } from '../cluster/router/router.js';
import type { KubeClient } from '../kube/api-client.js';
import { isKubeApiError } from '../kube/errors.js';
import { Informer } from '../kube/informer.js';
import { EventLog } from '../runtime/events.js';
import {
  type ApiEndpointSlice,
  type ApiHttpRoute,
  type ApiIngress,
  type ApiRevision,
  type ApiRoute,
  type ApiService,
  type Condition,
  inNamespace,
  RESOURCES,
} from './api-objects.js';
import { LATEST_VERSION_ANNOTATION } from './dc-objects.js';
import {
  admitHttpRoutes,
  type HttpRouteAdmission,
  httpRouteParentStatus,
  httpRouteReported,
  httpRouteTargets,
} from './http-route-table.js';
import { KeyedQueue } from './keyed-queue.js';
import type { PodAddressResolver } from './pod-ips.js';
import { apiTime } from './pod-status.js';
import {
  type Admission,
  admitRoutes,
  ROUTER_DOMAIN,
  ROUTER_NAME,
  type RouterTarget,
  routerTargets,
  targetEndpoints,
} from './route-table.js';

export interface TestbedRouterOptions {
  readonly api: KubeClient;
  /** Pod address → loopback port (the node agent's). */
  readonly addresses: PodAddressResolver;
  /** Serve only this namespace's Routes, Ingresses and HTTPRoutes. @default every namespace */
  readonly namespace?: string;
  /** Serve HTTPRoutes too: the Gateway API CRDs are installed. @default false */
  readonly httpRoutes?: boolean;
  /** @default 'apps.testbed.zdd' */
  readonly domain?: string;
  /** OpenShift's RELOAD_INTERVAL. @default 5 */
  readonly reloadIntervalSeconds?: number;
  /** @default 'periodic' (see reloading-router.ts) */
  readonly reloads?: ReloadDiscipline;
  /** Reloads and health checks go here. @default a new log */
  readonly events?: EventLog;
  /** Told about API calls that failed; the router goes on. @default ignore */
  readonly onError?: (error: unknown) => void;
  /**
   * Puts the periodic reloads at `reloadPhase(seed, n - 1)` of their interval
   * when a workload's revision n ≥ 2 appears (a ReplicaSet or
   * ReplicationController): the phase `zdd compare --seed` gives the local
   * router at round n - 1, so that the two can be compared round by round.
   * @default - no alignment: the reload timer keeps the phase of the router's start
   */
  readonly seed?: number;
}

/**
 * zdd's stand-in for OpenShift's router on the test bed: admits Routes (gives
 * each a host and the Admitted condition, so that clients find it), serves
 * Routes, Ingresses and HTTPRoutes (as every Gateway they name: see
 * http-route-table.ts) from their Services' EndpointSlices with the local
 * cluster's router (HAProxy's semantics, the same reload interval), on one
 * listener on 127.0.0.1 that picks the route by Host header; 503 ("Application
 * is not available") for a host no route has.
 */
export class TestbedRouter {
  readonly events: EventLog;
  private hostRoutes = new Map<string, string>();
  private admissions: Admission[] = [];
  private httpAdmissions: HttpRouteAdmission[] = [];
  private readonly written = new Map<string, string>();
  private readonly statusQueue: KeyedQueue;
  private readonly backend: BuiltinRouter;
  private readonly router: ReloadingRouter;
  private readonly routes: Informer<ApiRoute>;
  private readonly ingresses: Informer<ApiIngress>;
  /** Only when the Gateway API CRDs are installed: a watch of a resource the API lacks fails forever. */
  private readonly httpRoutes?: Informer<ApiHttpRoute>;
  private readonly services: Informer<ApiService>;
  private readonly slices: Informer<ApiEndpointSlice>;
  /** ReplicaSets and ReplicationControllers, watched only with a `seed`: a new revision is a rollout. */
  private readonly revisions: Informer<ApiRevision>[] = [];
  private alignedRound = 0;
  private listenPort = 0;
  private refreshPending = false;
  private stopped = false;
  private unsubscribe: () => void = () => {};

  /** Starts the listener, then the watches. */
  static async start(options: TestbedRouterOptions): Promise<TestbedRouter> {
    const router = new TestbedRouter(options);
    try {
      await router.listen();
    } catch (error) {
      await router.stop();
      throw error;
    }
    router.watch();
    return router;
  }

  private constructor(private readonly options: TestbedRouterOptions) {
    this.events = options.events ?? new EventLog();
    const timings: RouterTimings = {
      ...OPENSHIFT_ROUTER_TIMINGS,
      reloadIntervalMs: (options.reloadIntervalSeconds ?? 5) * 1000,
    };
    this.backend = new BuiltinRouter({ timings, events: this.events });
    this.router = new ReloadingRouter(this.backend, timings, this.events, options.reloads ?? 'periodic');
    const { api, namespace } = options;
    const onError = (error: unknown) => this.error(error);
    this.routes = new Informer(api, inNamespace(RESOURCES.routes, namespace), { onError });
    this.ingresses = new Informer(api, inNamespace(RESOURCES.ingresses, namespace), { onError });
    if (options.httpRoutes)
      this.httpRoutes = new Informer(api, inNamespace(RESOURCES.httpRoutes, namespace), { onError });
    this.services = new Informer(api, inNamespace(RESOURCES.services, namespace), { onError });
    this.slices = new Informer(api, inNamespace(RESOURCES.endpointSlices, namespace), { onError });
    if (options.seed !== undefined) {
      for (const resource of [RESOURCES.replicaSets, RESOURCES.replicationControllers]) {
        this.revisions.push(new Informer(api, inNamespace(resource, namespace), { onError }));
      }
    }
    this.statusQueue = new KeyedQueue(
      (uid) => this.admit(uid),
      (error) => this.error(error),
    );
  }

  /** The listener's port on 127.0.0.1. */
  get port(): number {
    return this.listenPort;
  }

  /** `127.0.0.1:PORT`, for `zdd compare --router-address`. */
  get address(): string {
    return `127.0.0.1:${this.listenPort}`;
  }

  /** Each host the router serves → what is behind it (`route:NS/NAME`, `ingress:NS/NAME/RULE`, `httproute:NS/NAME`). */
  get hosts(): ReadonlyMap<string, string> {
    return this.hostRoutes;
  }

  /** True when the last reload applied the current endpoints. */
  synced(): boolean {
    return !this.refreshPending && this.router.synced();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    this.statusQueue.stop();
    await Promise.all(
      [this.routes, this.ingresses, this.services, this.slices, ...this.optional(), ...this.revisions].map((informer) =>
        informer.stop(),
      ),
    );
    await this.router.stop();
  }

  private async listen(): Promise<void> {
    await this.router.start([]);
    this.listenPort = await this.backend.listenByHost((host) => this.hostRoutes.get(host));
  }

  private watch(): void {
    const refresh = () => this.refreshSoon();
    this.unsubscribe = this.options.addresses.onChange(refresh);
    this.routes.onEvent(refresh);
    this.ingresses.onEvent(refresh);
    this.services.onEvent(refresh);
    this.slices.onEvent(refresh);
    this.httpRoutes?.onEvent(refresh);
    for (const informer of [this.routes, this.ingresses, this.services, this.slices, ...this.optional()]) {
      informer.start();
    }
    for (const informer of this.revisions) {
      informer.onEvent((event) => {
        if (event.type === 'ADDED') this.alignForRevision(revisionNumber(event.object));
      });
      informer.start();
    }
  }

  /** The informers only some test beds have. */
  private optional(): Informer<ApiHttpRoute>[] {
    return this.httpRoutes === undefined ? [] : [this.httpRoutes];
  }

  /** Revision n ≥ 2 of a workload is round n - 1 of a compare: align the reloads once per round. */
  private alignForRevision(revision: number | undefined): void {
    const seed = this.options.seed;
    if (seed === undefined || revision === undefined || revision < 2 || revision - 1 <= this.alignedRound) return;
    this.alignedRound = revision - 1;
    this.router.alignReloads(reloadPhase(seed, this.alignedRound));
  }

  /** Many watch events come at once (a list): refresh once for all of them. */
  private refreshSoon(): void {
    if (this.refreshPending || this.stopped) return;
    this.refreshPending = true;
    setImmediate(() => {
      this.refreshPending = false;
      if (!this.stopped) this.refresh();
    });
  }

  private refresh(): void {
    const domain = this.options.domain ?? ROUTER_DOMAIN;
    this.admissions = admitRoutes(this.routes.values(), domain);
    const services = this.services.values();
    const routed = routerTargets(this.admissions, this.ingresses.values(), services);
    this.httpAdmissions = admitHttpRoutes(this.httpRoutes?.values() ?? [], services);
    const targets = [...routed, ...httpRouteTargets(this.httpAdmissions, new Set(routed.map((t) => t.host)))];
    const slices = this.slices.values();
    const resolve = (ip: string, port: number) => this.options.addresses.resolve(ip, port);
    const served = new Set<string>();
    for (const target of targets) {
      served.add(target.key);
      this.router.set(target.key, targetEndpoints(target, slices, resolve));
    }
    for (const key of this.hostRoutes.values()) if (!served.has(key)) this.router.remove(key);
    this.hostRoutes = new Map(targets.map((target: RouterTarget) => [target.host, target.key]));
    const routes = new Set<string>();
    for (const admission of this.admissions) {
      const uid = admission.route.metadata.uid ?? '';
      routes.add(uid);
      // What was written shows in the watch a moment later; until then `written` keeps it from being sent twice.
      if (reported(admission)) this.written.delete(uid);
      else if (this.written.get(uid) !== signature(admission)) this.statusQueue.add(uid);
    }
    for (const admission of this.httpAdmissions) {
      const uid = admission.route.metadata.uid ?? '';
      routes.add(uid);
      if (httpRouteReported(admission)) this.written.delete(uid);
      else if (this.written.get(uid) !== httpSignature(admission)) this.statusQueue.add(uid);
    }
    for (const uid of this.written.keys()) if (!routes.has(uid)) this.written.delete(uid);
  }

  /** Writes a Route's or an HTTPRoute's status unless it says so already. */
  private async admit(uid: string): Promise<void> {
    const http = this.httpAdmissions.find((candidate) => candidate.route.metadata.uid === uid);
    if (http) return this.reportHttpRoute(uid, http);
    const admission = this.admissions.find((candidate) => candidate.route.metadata.uid === uid);
    if (!admission || reported(admission) || this.written.get(uid) === signature(admission)) return;
    const { route } = admission;
    const before = route.status?.ingress?.find((ingress) => ingress.routerName === ROUTER_NAME);
    const beforeAdmitted = before?.conditions?.find((condition) => condition.type === 'Admitted');
    const status = admission.admitted ? 'True' : 'False';
    const condition: Condition = {
      type: 'Admitted',
      status,
      lastTransitionTime:
        beforeAdmitted?.status === status
          ? (beforeAdmitted.lastTransitionTime ?? apiTime(Date.now()))
          : apiTime(Date.now()),
      ...(admission.reason !== undefined && { reason: admission.reason }),
      ...(admission.message !== undefined && { message: admission.message }),
    };
    try {
      await this.options.api.patch(
        inNamespace(RESOURCES.routes, route.metadata.namespace),
        route.metadata.name ?? '',
        {
          status: {
            ingress: [
              {
                host: admission.host,
                routerName: ROUTER_NAME,
                routerCanonicalHostname: `router-${ROUTER_NAME}.${this.options.domain ?? ROUTER_DOMAIN}`,
                wildcardPolicy: 'None',
                conditions: [condition],
              },
            ],
          },
        },
        { type: 'merge', subresource: 'status', fieldManager: 'zdd-testbed-router' },
      );
      this.written.set(uid, signature(admission));
    } catch (error) {
      if (!isKubeApiError(error, 404)) throw error;
    }
  }

  /** Writes an HTTPRoute's `status.parents` (Accepted, ResolvedRefs), as a Gateway controller does. */
  private async reportHttpRoute(uid: string, admission: HttpRouteAdmission): Promise<void> {
    if (httpRouteReported(admission) || this.written.get(uid) === httpSignature(admission)) return;
    const { route } = admission;
    try {
      await this.options.api.patch(
        inNamespace(RESOURCES.httpRoutes, route.metadata.namespace),
        route.metadata.name ?? '',
        { status: { parents: httpRouteParentStatus(admission, apiTime(Date.now())) } },
        { type: 'merge', subresource: 'status', fieldManager: 'zdd-testbed-router' },
      );
      this.written.set(uid, httpSignature(admission));
    } catch (error) {
      if (!isKubeApiError(error, 404)) throw error;
    }
  }

  private error(error: unknown): void {
    if (!this.stopped) this.options.onError?.(error);
  }
}

/** A ReplicaSet's or ReplicationController's revision, from the annotation its controller sets. */
function revisionNumber(object: ApiRevision): number | undefined {
  const annotations = object.metadata?.annotations ?? {};
  const text = annotations[REPLICA_SET_REVISION_ANNOTATION] ?? annotations[LATEST_VERSION_ANNOTATION];
  const value = Number(text);
  return text !== undefined && Number.isInteger(value) ? value : undefined;
}

/** The Deployment controller's revision annotation on each ReplicaSet (k8s.io/kubernetes deployment/util). */
const REPLICA_SET_REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

function signature(admission: Admission): string {
  return `${admission.host}|${admission.admitted}|${admission.reason ?? ''}`;
}

function httpSignature(admission: HttpRouteAdmission): string {
  const { accepted, resolvedRefs } = admission;
  return [
    admission.route.metadata.generation,
    accepted.reason,
    accepted.message,
    resolvedRefs.reason,
    resolvedRefs.message,
  ].join('|');
}

/** The Route's status already says what the router decided. */
function reported(admission: Admission): boolean {
  const ingress = admission.route.status?.ingress?.find((entry) => entry.routerName === ROUTER_NAME);
  const admitted = ingress?.conditions?.find((condition) => condition.type === 'Admitted');
  return (
    ingress?.host === admission.host &&
    admitted?.status === (admission.admitted ? 'True' : 'False') &&
    (admitted?.reason ?? '') === (admission.reason ?? '')
  );
}
