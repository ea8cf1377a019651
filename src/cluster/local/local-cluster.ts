import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openshiftRouter } from '../../platforms/openshift-router.js';
import type { PlatformProfile } from '../../platforms/profile.js';
import { Changes } from '../../runtime/changes.js';
import { cutText, SetupError, UsageError } from '../../runtime/errors.js';
import { EventLog } from '../../runtime/events.js';
import { ProcessSupervisor } from '../../runtime/processes.js';
import { makeTempDir } from '../../runtime/temp-dir.js';
import { Timing } from '../../runtime/timing.js';
import type { RolloutResult } from '../rollout-result.js';
import { BuiltinRouter } from '../router/builtin-router.js';
import { DelayedRouter } from '../router/delayed-router.js';
import { type ReloadDiscipline, ReloadingRouter } from '../router/reloading-router.js';
import {
  type EndpointRouter,
  OPENSHIFT_ROUTER_TIMINGS,
  type RouterBackend,
  type RouterEndpoint,
  type RouterTimings,
} from '../router/router.js';
import { builtinImageMappings, findImageMapping, type ImageMapping } from './images.js';
import type { ClusterObjects, ServiceObject } from './objects.js';
import type { Pod } from './pod.js';
import { type EndpointCandidate, routedEndpoints } from './routed-endpoints.js';
import { LOCAL_CLUSTER_DEFAULTS, MAX_LOCAL_REPLICAS, type RouterKind } from './settings.js';
import { WorkloadController } from './workload-controller.js';

export type { RouterKind } from './settings.js';

export interface LocalClusterOptions {
  /**
   * Stretches every duration (manifest timings, the router's intervals, the
   * sample app's boot) by this factor; 0.1 is the fast profile.
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * The router: the built-in one, the real HAProxy (Debian package `haproxy`) or nginx (Debian package `nginx`).
   * @default 'builtin'
   */
  readonly router?: RouterKind;
  /**
   * The router's reload interval in seconds (before scaling), OpenShift's `RELOAD_INTERVAL`.
   * @default 5
   */
  readonly reloadIntervalSeconds?: number;
  /**
   * `periodic`: the router reloads every interval, as on a shared cluster, so a
   * change waits up to one interval; `coalesced`: a quiet router that applies a
   * change at once when it has not reloaded within the interval.
   * @default 'periodic'
   */
  readonly reloads?: ReloadDiscipline;
  /**
   * Images → local commands, tried before the built-in ones (the sample app's).
   * @default []
   */
  readonly imageMappings?: readonly ImageMapping[];
  /**
   * The platform in front of the pods, as the cluster emulates it: when endpoint changes reach the router
   * (its `emulation`), which endpoints a terminating pod keeps, what a refused connection gets, and a sidecar.
   * The OpenShift router's reload interval is `reloadIntervalSeconds`, whatever this profile says.
   * @default - the OpenShift router
   */
  readonly platform?: PlatformProfile;
}

/** Throws when a workload asks for more pods than the local cluster runs (each is a process on this machine). */
export function checkLocalCapacity(objects: ClusterObjects): void {
  for (const workload of objects.workloads) {
    if (workload.spec.replicas > MAX_LOCAL_REPLICAS) {
      throw new UsageError(
        `${workload.kind}/${workload.metadata.name}: replicas ${workload.spec.replicas} is more than the local cluster runs (at most ${MAX_LOCAL_REPLICAS} per workload: each pod is a process on this machine); lower --replicas`,
      );
    }
  }
}

/** A pod whose container exited this often without ever being ready is crash-looping (the kubelet backs off). */
export const CRASH_LOOP_RESTARTS = 3;

/** A route of the local cluster and where to send requests to it. */
export interface LocalRoute {
  readonly name: string;
  readonly service: string;
  readonly url: string;
}

/**
 * The embedded target: runs the manifests `zdd synth` writes with real
 * processes on 127.0.0.1 — workload controllers, pods, Services, and a router
 * with OpenShift's HAProxy semantics — and logs every event with its time.
 */
export class LocalCluster {
  readonly events = new EventLog();
  readonly timing: Timing;
  private readonly supervisor = new ProcessSupervisor();
  private readonly workDir = makeTempDir('local');
  private readonly workloads = new Map<string, WorkloadController>();
  private readonly services: ServiceObject[] = [];
  private readonly routes: Array<{ name: string; service: string }> = [];
  private readonly endpoints = new Map<string, string>();
  private readonly changes = new Changes();
  private readonly mappings: ImageMapping[];
  private router: EndpointRouter;
  private readonly reloads: ReloadDiscipline;
  private readonly platform: PlatformProfile;
  private stopped = false;

  /** Creates a local cluster with nothing running yet; `apply` starts the manifests. */
  static async create(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const timing = new Timing(options.timeScale ?? LOCAL_CLUSTER_DEFAULTS.timeScale);
    const timings: RouterTimings = {
      reloadIntervalMs: timing.seconds(options.reloadIntervalSeconds ?? LOCAL_CLUSTER_DEFAULTS.reloadIntervalSeconds),
      checkIntervalMs: timing.ms(OPENSHIFT_ROUTER_TIMINGS.checkIntervalMs),
      connectTimeoutMs: timing.timeoutMs(OPENSHIFT_ROUTER_TIMINGS.connectTimeoutMs),
      serverTimeoutMs: timing.timeoutMs(OPENSHIFT_ROUTER_TIMINGS.serverTimeoutMs),
      retryDelayMs: timing.ms(OPENSHIFT_ROUTER_TIMINGS.retryDelayMs),
    };
    const cluster = new LocalCluster(options, timing, timings);
    const refusedConnection = cluster.platform.emulation.refusedConnection;
    if (options.router === 'haproxy') {
      // Loaded on demand: only this router needs the haproxy binary.
      const { HaproxyRouter } = await import('../router/haproxy-router.js');
      if (!(await HaproxyRouter.available())) {
        await cluster.stop();
        throw new UsageError(
          '--router haproxy: haproxy is not installed (apt-get install haproxy), or use --router builtin',
        );
      }
      cluster.useBackend(
        new HaproxyRouter({
          supervisor: cluster.supervisor,
          timings,
          workDir: join(cluster.workDir.path, 'haproxy'),
          refusedConnection,
          // A platform without reloads gets its changes without them: no old worker keeps the state before.
          applyBy: cluster.platform.emulation.kind === 'reload-interval' ? 'reload' : 'runtime',
        }),
      );
    }
    if (options.router === 'nginx') {
      // Loaded on demand: only this router needs the nginx binary.
      const { NginxRouter } = await import('../router/nginx-router.js');
      if (!(await NginxRouter.available())) {
        await cluster.stop();
        throw new UsageError('--router nginx: nginx is not installed (apt-get install nginx), or use --router builtin');
      }
      // Beside the pods' folders: its error log (`router-nginx/log`) lands in a run's logs/ as theirs do.
      cluster.useBackend(
        new NginxRouter({
          supervisor: cluster.supervisor,
          timings,
          workDir: join(cluster.workDir.path, 'router-nginx'),
          refusedConnection,
        }),
      );
    }
    return cluster;
  }

  private constructor(
    options: LocalClusterOptions,
    timing: Timing,
    private readonly routerTimings: RouterTimings,
  ) {
    this.timing = timing;
    this.mappings = [...(options.imageMappings ?? []), ...builtinImageMappings(this.timing)];
    this.reloads = options.reloads ?? LOCAL_CLUSTER_DEFAULTS.reloads;
    this.platform = options.platform ?? openshiftRouter(options.reloadIntervalSeconds);
    this.router = this.disciplined(
      new BuiltinRouter({
        timings: routerTimings,
        events: this.events,
        refusedConnection: this.platform.emulation.refusedConnection,
      }),
    );
  }

  private useBackend(backend: RouterBackend): void {
    this.router = this.disciplined(backend);
  }

  /** The platform's discipline (when changes are applied) around a backend (how they are applied). */
  private disciplined(backend: RouterBackend): EndpointRouter {
    const notify = () => this.changes.notify();
    const { emulation } = this.platform;
    if (emulation.kind === 'reload-interval') {
      return new ReloadingRouter(backend, this.routerTimings, this.events, this.reloads, notify);
    }
    const delays = {
      removeMs: this.timing.seconds(emulation.removeSeconds),
      addMs: this.timing.seconds(emulation.addSeconds),
    };
    return new DelayedRouter(backend, delays, this.events, notify);
  }

  /** Creates the objects: the router's listeners first, then the workloads' first revisions. */
  async apply(objects: ClusterObjects): Promise<void> {
    if (this.workloads.size > 0) throw new UsageError('the local cluster already runs a set of manifests');
    checkLocalCapacity(objects);
    for (const workload of objects.workloads) {
      const image = workload.spec.template.spec.containers[0]?.image ?? '';
      const mapping = findImageMapping(this.mappings, image);
      if (!mapping) {
        throw new UsageError(
          `${workload.kind}/${workload.metadata.name}: image ${JSON.stringify(image)} has no local command; map it with --image-command "${image}=COMMAND" (the command gets its port in $PORT)`,
        );
      }
      this.workloads.set(
        workload.metadata.name,
        new WorkloadController({
          object: workload,
          mapping,
          supervisor: this.supervisor,
          events: this.events,
          timing: this.timing,
          workDir: this.workDir.path,
          onPodChange: () => this.reconcile(),
          ...(this.platform.sidecar && { sidecar: this.platform.sidecar }),
        }),
      );
    }
    this.services.push(...objects.services);
    for (const route of objects.routes) {
      if (!objects.services.some((service) => service.metadata.name === route.serviceName)) {
        throw new UsageError(
          `${route.kind}/${route.name}: sends traffic to Service ${route.serviceName}, which is not among the manifests`,
        );
      }
      this.routes.push({ name: route.name, service: route.serviceName });
    }
    await this.router.start(this.routes.map((route) => route.name));
    for (const workload of this.workloads.values()) workload.deploy();
    this.events.record('applied', 'manifests', {
      detail: `${objects.workloads.length} workload(s), ${objects.services.length} service(s), ${objects.routes.length} route(s)${objects.ignored.length ? `; not run here: ${objects.ignored.join(', ')}` : ''}`,
    });
  }

  /** Routes with their URLs on 127.0.0.1. */
  listRoutes(): LocalRoute[] {
    return this.routes.map(({ name, service }) => ({
      name,
      service,
      url: `http://127.0.0.1:${this.router.port(name)}/`,
    }));
  }

  /** Workload names, in the order of the manifests. */
  listWorkloads(): string[] {
    return [...this.workloads.keys()];
  }

  /** Pods that have not exited, per workload. */
  pods(workload: string): Pod[] {
    return this.workload(workload).pods;
  }

  /**
   * Waits until every workload has all its pods available and no old pod is
   * left, and (unless `router: false`) the router serves them. Throws a
   * `SetupError` on timeout, and early when a pod is crash-looping (its
   * container exited `CRASH_LOOP_RESTARTS` times without ever being ready);
   * resolves at once when `signal` aborts.
   */
  async waitUntilReady(timeoutMs: number, options: { router?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const router = options.router ?? true;
    let crashing: Pod | undefined;
    const ok = await this.changes.until(
      () => {
        crashing = this.crashLooping();
        return (
          crashing !== undefined ||
          ([...this.workloads.values()].every((workload) => workload.settled()) && (!router || this.router.synced()))
        );
      },
      timeoutMs,
      options.signal,
    );
    if (options.signal?.aborted) return;
    if (crashing) {
      throw new SetupError(
        `pod ${crashing.name} is crash-looping: its container exited ${crashing.restarts} times without becoming ready; the last lines of its log:\n${this.logTail(crashing.name)}`,
      );
    }
    if (!ok) throw new SetupError(`the local cluster did not become ready within ${timeoutMs} ms (${this.status()})`);
  }

  /** One line per workload: ready pods, and each pod's state. */
  status(): string {
    return [...this.workloads.values()]
      .map((w) => {
        const pods = w.pods.map(
          (p) =>
            `${p.name} ${p.deletedAt === undefined ? (p.ready ? 'ready' : 'not ready') : 'terminating'}${p.restarts > 0 ? `, ${p.restarts} restart(s)` : ''}`,
        );
        return `${w.name}: ${w.pods.filter((p) => p.ready).length}/${w.replicas} ready [${pods.join(', ')}]`;
      })
      .join('; ');
  }

  /** The folder that holds one folder per pod, each with the container's `log`. */
  get podLogsDir(): string {
    return this.workDir.path;
  }

  /** The last lines a pod's container printed. */
  logTail(pod: string, lines = 10): string {
    try {
      const text = readFileSync(join(this.workDir.path, pod, 'log'), 'utf8').trimEnd();
      return text === '' ? '(empty)' : text.split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  private crashLooping(): Pod | undefined {
    for (const workload of this.workloads.values()) {
      const pod = workload.pods.find((p) => p.restarts >= CRASH_LOOP_RESTARTS && !p.ready && p.deletedAt === undefined);
      if (pod) return pod;
    }
    return undefined;
  }

  /** Puts the router's periodic reloads at `phase` (0..1) of their interval from now (see reload-phase.ts). */
  alignRouterReloads(phase: number): void {
    this.router.alignReloads(phase);
  }

  /** `oc rollout latest` / `oc rollout restart`: resolves when the rollout completed or failed. */
  rollout(workload: string, deadline?: { readonly ms: number; readonly reason: string }): Promise<RolloutResult> {
    return this.workload(workload).rollout(deadline);
  }

  /**
   * Rolls out `workloads` at the same moment, or none of them: every name is checked before any rollout
   * starts (an unknown workload, or one already rolling out, is refused). A name given twice is one rollout.
   */
  rolloutAll(workloads: readonly string[]): Promise<RolloutResult>[] {
    const names = [...new Set(workloads)];
    const unknown = names.filter((name) => !this.workloads.has(name));
    if (unknown.length > 0) throw this.unknownWorkloads(unknown);
    const busy = names.filter((name) => this.workloads.get(name)?.rollingOut);
    if (busy.length > 0) {
      throw new UsageError(
        `${busy.join(', ')}: a rollout is already in progress; wait for it to finish (nothing was rolled out)`,
      );
    }
    return names.map((name) => this.workload(name).rollout());
  }

  /** Stops everything: rollouts, pods (SIGKILL), the router. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const workload of this.workloads.values()) workload.stop();
    this.supervisor.close();
    await this.router.stop().catch(() => {});
    this.workDir.remove();
  }

  /** Every process group the cluster started and has not seen exit, and its watchdog. */
  get processIds(): { readonly groups: readonly number[]; readonly watchdog?: number } {
    return { groups: this.supervisor.pids, watchdog: this.supervisor.watchdogPid };
  }

  private workload(name: string): WorkloadController {
    const workload = this.workloads.get(name);
    if (!workload) throw this.unknownWorkloads([name]);
    return workload;
  }

  private unknownWorkloads(names: readonly string[]): UsageError {
    const quoted = names.map((name) => JSON.stringify(cutText(name, 80))).join(', ');
    return new UsageError(
      `no workload${names.length > 1 ? 's' : ''} named ${quoted}; the local cluster runs ${this.listWorkloads().join(', ') || 'none'}`,
    );
  }

  /** Endpoints follow pods; the router follows endpoints; controllers wake up. */
  private reconcile(): void {
    if (this.stopped) return;
    for (const service of this.services) {
      const endpoints = this.endpointsOf(service);
      const key = endpoints.map((endpoint) => endpoint.id).join(', ');
      if (this.endpoints.get(service.metadata.name) !== key) {
        this.endpoints.set(service.metadata.name, key);
        this.events.record('endpoints-changed', service.metadata.name, { detail: key || 'none' });
        for (const route of this.routes)
          if (route.service === service.metadata.name) this.router.set(route.name, endpoints);
      }
    }
    for (const workload of this.workloads.values()) workload.podChanged();
    this.changes.notify();
  }

  /** The endpoints the platform routes to (see `routedEndpoints`). */
  private endpointsOf(service: ServiceObject): RouterEndpoint[] {
    const selector = Object.entries(service.spec.selector);
    const targetPort = service.spec.ports[0]?.targetPort ?? service.spec.ports[0]?.port ?? 0;
    const candidates: EndpointCandidate[] = [];
    for (const workload of this.workloads.values()) {
      for (const pod of workload.pods) {
        if (!selector.every(([key, value]) => pod.labels[key] === value)) continue;
        const ready = pod.phase === 'Running' && pod.ready && pod.deletedAt === undefined;
        if (!ready && !pod.serving) continue;
        const port = pod.trafficPort(targetPort);
        if (port !== undefined)
          candidates.push({ endpoint: { id: pod.name, host: '127.0.0.1', port }, ready, serving: true });
      }
    }
    return routedEndpoints(candidates, this.platform.terminating.traffic);
  }
}
