/**
 * `zdd compare --target cluster`: the variants on a real OpenShift or
 * Kubernetes cluster, driven with `oc` or `kubectl` (one command a person could
 * type per action) and watched with `kubectl get --watch`.
 */
import type { ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { z } from 'zod';
import { defaultReplicas } from '../../kubernetes/defaults.js';
import type { RenderedVariant } from '../../manifests/variants.js';
import { SetupError, ToolError } from '../../runtime/errors.js';
import { EventLog } from '../../runtime/events.js';
import { ProcessSupervisor } from '../../runtime/processes.js';
import { delay, Timing } from '../../runtime/timing.js';
import type { RolloutResult } from '../rollout-result.js';
import type { CompareTarget, TargetRoute } from '../target.js';
import {
  commands,
  describePermission,
  endpointSliceSelector,
  permissionsNeeded,
  podSelector,
  RESOURCES,
  ROUTE_KINDS,
  RUN_ID_LABEL,
  resourceOf,
} from './commands.js';
import { JsonStreamSplitter } from './json-stream.js';
import {
  accessArgs,
  askOrMove,
  type ClusterAccess,
  type ClusterCli,
  ClusterRefusal,
  canI,
  describe,
  namespaceGiven,
  run,
} from './kubectl.js';
import {
  deploymentConfigProgress,
  deploymentProgress,
  type KubeObject,
  type RolloutProgress,
  replicationControllerName,
  STUCK_REASONS,
} from './rollout-state.js';
import { labelledManifests, writeManifestsFile, writeRunRecord } from './run-files.js';
import { type WatchEvent, WatchEventMapper } from './watch-events.js';

export interface ClusterTargetOptions {
  readonly cli: ClusterCli;
  /**
   * Labels every object the run creates (`zdd/run-id`); `--cleanup` deletes by it. Objects with the variants'
   * names may exist only when they carry this id (`--run-id` of an earlier run): the run then applies over them.
   */
  readonly runId: string;
  /**
   * Where the manifests file and `cluster-run.json` go before anything is created: the results' `.partial`
   * folder, so that they stay with the results.
   */
  readonly recordDir: string;
  /** The flags the user gave (`--route-url`, `--router-address`, `--name-default`, …): hints name only others. @default - none */
  readonly givenFlags?: ReadonlySet<string>;
  /** `--route-url NAME=URL`: where to send a variant's load instead of its route's host. */
  readonly routeUrls: ReadonlyMap<string, string>;
  /** `--router-address HOST:PORT`: send to one router with each route's host in the Host header. */
  readonly routerAddress?: string;
  /** `--cleanup`: delete what this run applied when it ends, also after Ctrl-C. */
  readonly cleanup: boolean;
  /**
   * Resources the run creates besides the variants, labelled with its id (the k6-operator load's ConfigMap and
   * TestRun): `--cleanup`, the printed delete command and cluster-run.json take them too. @default []
   */
  readonly alsoCreated?: readonly string[];
  /** Progress lines for the user. */
  readonly log: (line: string) => void;
  /** How often to poll the API while waiting. @default 1000 */
  readonly pollMs?: number;
  /** How long a route may take to answer before the load starts, ms. @default 120000 */
  readonly answerTimeoutMs?: number;
}

/** What zdd creates and checks of one object of the manifests (read by the model's reader), replicas defaulted. */
interface RunObject {
  readonly kind: string;
  readonly name: string;
  readonly replicas: number;
}

/** The annotation the Deployment controller numbers revisions with. */
const DEPLOYMENT_REVISION = 'deployment.kubernetes.io/revision';

/** A container that restarted this often without the pod ever becoming ready is crash-looping. */
const CRASH_LOOP_RESTARTS = 3;

/** The cluster target; `open` checks access and permissions before anything is applied. */
export class ClusterTarget implements CompareTarget {
  readonly timing = new Timing(1);
  readonly events = new EventLog();
  readonly description: string;
  private readonly supervisor = new ProcessSupervisor();
  private readonly watches: ChildProcess[] = [];
  private readonly mapper = new WatchEventMapper();
  private objects: RunObject[] = [];
  private checked = false;
  /** Objects of this run id exist already (`--run-id`): apply over them rather than create. */
  private resuming = false;
  private applied = false;
  private stopped = false;

  constructor(private readonly options: ClusterTargetOptions) {
    const { access } = options.cli;
    this.description = `${access.context ? `context ${access.context}` : 'the current context'}, namespace ${access.namespace} (${options.cli.name})`;
  }

  private get cli(): ClusterCli {
    return this.options.cli;
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 1000;
  }

  /**
   * Everything that can be checked before the cluster is changed, in order: the API server answers and the
   * namespace exists (one bounded call), every permission the run needs, and that no object with one of the
   * variants' names belongs to anyone but this run.
   */
  async check(variants: readonly RenderedVariant[]): Promise<void> {
    const { documents } = labelledManifests(variants, this.options.runId);
    this.objects = documents.map((doc) => ({
      kind: doc.kind,
      name: doc.metadata.name,
      replicas: typeof doc.spec?.replicas === 'number' ? doc.spec.replicas : defaultReplicas(doc.kind),
    }));
    await this.checkReach();
    await this.checkPermissions();
    await this.checkOwnership();
    this.checked = true;
  }

  async deploy(variants: readonly RenderedVariant[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (!this.checked) await this.check(variants);
    const { runId, recordDir } = this.options;
    const { yaml } = labelledManifests(variants, runId);
    const file = await writeManifestsFile(recordDir, yaml);
    const cleanup = describe(this.cli, commands.deleteRun(this.resources(), runId));
    const { access } = this.cli;
    const record = await writeRunRecord(recordDir, {
      runId,
      cli: this.cli.name,
      ...(access.kubeconfig !== undefined && { kubeconfig: access.kubeconfig }),
      ...((access.context ?? access.contextName) !== undefined && { context: access.context ?? access.contextName }),
      namespace: access.namespace,
      objects: this.objectNames(),
      manifests: basename(file),
      cleanup,
    });
    // Before the first change: whatever happens to zdd from here on, the user knows how to remove what it made.
    this.options.log(
      `run id ${runId}: every object it creates is labelled ${RUN_ID_LABEL}=${runId}; if zdd is stopped before it removes them (kill -9), remove them with: ${cleanup}   (also in ${record})`,
    );
    this.options.log(
      this.resuming
        ? `applying ${this.objects.length} objects over run ${runId}'s in namespace ${access.namespace}`
        : `creating ${this.objects.length} objects in namespace ${access.namespace}`,
    );
    this.applied = true;
    await run(this.cli, this.resuming ? commands.apply(file) : commands.create(file));
    this.startWatches();
    const deadline = Date.now() + timeoutMs;
    for (const workload of this.workloads()) {
      await this.waitFor(workload, deadline, timeoutMs, signal, async () => {
        const object = await this.getObject(workload.kind, workload.name);
        if (!object) return { state: 'waiting', detail: 'not found' };
        if (workload.kind === 'DeploymentConfig') {
          const version = Math.max(1, number(object.status?.latestVersion));
          const rc = await this.getObject('ReplicationController', replicationControllerName(workload.name, version));
          return deploymentConfigProgress(object, rc, version);
        }
        return deploymentProgress(object);
      });
    }
  }

  async routes(variants: readonly string[], signal?: AbortSignal): Promise<TargetRoute[]> {
    const routes: TargetRoute[] = [];
    for (const variant of variants) {
      const given = this.options.routeUrls.get(variant);
      if (given !== undefined) {
        routes.push({ variant, url: given });
        continue;
      }
      const route = this.objects.find((o) => ROUTE_KINDS.includes(o.kind) && o.name === variant);
      if (!route) {
        throw new SetupError(
          `${variant} has no Route, Ingress or HTTPRoute to send load to; use --expose route, ingress or gateway, or --route-url ${variant}=URL`,
        );
      }
      const host = await this.routeHost(route);
      routes.push(
        this.options.routerAddress
          ? { variant, url: `http://${this.options.routerAddress}/`, host }
          : { variant, url: `http://${host}/` },
      );
    }
    for (const route of routes) await this.untilAnswers(route, signal);
    return routes;
  }

  async rollout(workload: string, timeoutMs: number): Promise<RolloutResult> {
    const object = this.objects.find((o) => o.name === workload && isWorkload(o.kind));
    if (!object) throw new SetupError(`no workload named ${workload} among the manifests`);
    const startedAt = Date.now();
    const deadline = startedAt + timeoutMs;
    let revision = workload;
    let progress: () => Promise<RolloutProgress>;
    if (object.kind === 'DeploymentConfig') {
      const before = number((await this.getObject(object.kind, workload))?.status?.latestVersion);
      const version = before + 1;
      revision = replicationControllerName(workload, version);
      this.events.record('rollout-started', revision, { workload, detail: 'DeploymentConfig' });
      await run(
        this.cli,
        this.cli.name === 'oc'
          ? commands.rolloutLatest(workload)
          : commands.touchTemplate(object.kind, workload, new Date(startedAt).toISOString()),
      );
      progress = async () => {
        const config = await this.getObject(object.kind, workload);
        if (!config) return { state: 'failed', reason: 'the DeploymentConfig is gone' };
        return deploymentConfigProgress(config, await this.getObject('ReplicationController', revision), version);
      };
    } else {
      this.events.record('rollout-started', workload, { workload, detail: 'Deployment' });
      await run(this.cli, commands.rolloutRestart(workload));
      progress = async () => {
        const deployment = await this.getObject(object.kind, workload);
        return deployment ? deploymentProgress(deployment) : { state: 'failed', reason: 'the Deployment is gone' };
      };
    }
    const outcome = await this.poll(progress, deadline);
    const endedAt = Date.now();
    if (object.kind === 'Deployment') {
      // The revision the Deployment controller numbered the new ReplicaSet with.
      const number = (await this.getObject(object.kind, workload))?.metadata?.annotations?.[DEPLOYMENT_REVISION];
      if (number) revision = `${workload} revision ${number}`;
    }
    if (outcome.state === 'done') {
      this.events.record('rollout-completed', revision, { workload, detail: `${endedAt - startedAt} ms` });
      return { workload, revision, outcome: 'completed', startedAt, endedAt };
    }
    const reason =
      outcome.state === 'failed'
        ? outcome.reason
        : `not complete within --timeout (${Math.round(timeoutMs / 1000)} s): ${outcome.detail}`;
    this.events.record('rollout-failed', revision, { workload, detail: reason });
    return { workload, revision, outcome: 'failed', startedAt, endedAt, reason };
  }

  async settle(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const workloads = this.workloads();
    const outcome = await this.poll(
      async () => {
        const pods = (await this.getList(commands.pods(podSelector(workloads.map((w) => w.name))))).items;
        for (const workload of workloads) {
          const own = pods.filter((pod) => pod.metadata?.labels?.['app.kubernetes.io/name'] === workload.name);
          const leaving = own.filter((pod) => pod.metadata && 'deletionTimestamp' in pod.metadata).length;
          if (leaving > 0 || own.length > workload.replicas) {
            return { state: 'waiting', detail: `${workload.name}: ${leaving} old pod(s) still terminating` };
          }
        }
        return { state: 'done' };
      },
      deadline,
      signal,
    );
    if (outcome.state !== 'done' && !signal?.aborted) {
      throw new SetupError(
        `old pods did not go within ${Math.round(timeoutMs / 1000)} s: ${'detail' in outcome ? outcome.detail : ''}`,
      );
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const watch of this.watches) watch.kill('SIGTERM');
    this.supervisor.close();
    if (this.options.cleanup && this.applied) {
      this.options.log(`removing what this run created (${RUN_ID_LABEL}=${this.options.runId})`);
      await run(this.cli, commands.deleteRun(this.resources(), this.options.runId), 180_000).catch((error: unknown) =>
        this.options.log(`could not remove everything: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  readonly closingNote = (): string | undefined => {
    if (this.options.cleanup || !this.applied) return undefined;
    return `the variants stay in namespace ${this.cli.access.namespace}; remove them with: ${describe(this.cli, commands.deleteRun(this.resources(), this.options.runId))}`;
  };

  /**
   * The first call to the API server: an unreachable server, a name that does not resolve, refused credentials
   * and a missing namespace each end the run here, with their own message. A user who may not read the
   * namespace object learns of a missing namespace from the first command that needs it.
   */
  private async checkReach(): Promise<void> {
    await run(this.cli, commands.namespace(this.cli.access.namespace)).catch((error: unknown) => {
      if (error instanceof ClusterRefusal && error.reason === 'forbidden') return;
      throw error;
    });
  }

  /** Every `can-i` the run needs, before anything is created: a refusal names the verb and the resource. */
  private async checkPermissions(): Promise<void> {
    const needed = permissionsNeeded({
      kinds: [...new Set(this.objects.map((o) => o.kind))],
      cli: this.cli.name,
      cleanup: this.options.cleanup,
    });
    for (const permission of needed) {
      const command = commands.canI(permission);
      if (!(await canI(this.cli, command))) {
        throw new SetupError(
          `the cluster forbids this user to ${describePermission(permission)} in namespace ${this.cli.access.namespace} (\`${describe(this.cli, command)}\` says no); ${askOrMove(this.cli.access)}`,
        );
      }
    }
  }

  /**
   * Never change or delete what this run did not create: an object with one of the variants' names must carry
   * this run's id. synth's `app.kubernetes.io/managed-by=zdd` label is no proof: `kubectl apply -f dist/` by
   * hand carries it too.
   */
  private async checkOwnership(): Promise<void> {
    let ours = 0;
    for (const object of this.objects) {
      const existing = await this.getObject(object.kind, object.name);
      if (!existing) continue;
      const owner = existing.metadata?.labels?.[RUN_ID_LABEL];
      if (owner === this.options.runId) {
        ours++;
        continue;
      }
      const { namespace } = this.cli.access;
      const start = `${object.kind}/${object.name} already exists in namespace ${namespace} and this run did not create it`;
      if (owner === undefined) {
        const names = this.untold(['--name-default', '--name-zero-downtime']);
        throw new SetupError(
          `${start} (no ${RUN_ID_LABEL} label: applied by hand or by another tool): zdd never changes or deletes someone else's objects; use another namespace${this.ownFlag('--namespace') ? '' : ' (--namespace)'} or other names for the variants${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
        );
      }
      const cleanup = describe(this.cli, commands.deleteRun(this.resources(), owner));
      throw new SetupError(
        `${start} (it carries ${RUN_ID_LABEL}=${owner}: another zdd run's): zdd never changes or deletes another run's objects; remove them with: ${cleanup}${this.untold(['--run-id']).length > 0 ? `, or run over them with --run-id ${owner}` : ''}`,
      );
    }
    this.resuming = ours > 0;
  }

  /** True when the user gave `flag` (for `--namespace`: rather than taking the context's). */
  private ownFlag(flag: string): boolean {
    if (flag === '--namespace') return namespaceGiven(this.cli.access);
    return this.options.givenFlags?.has(flag) ?? false;
  }

  /** The flags among `flags` the user has not given: hints name only those. */
  private untold(flags: readonly string[]): string[] {
    return flags.filter((flag) => !this.ownFlag(flag));
  }

  private async routeHost(route: RunObject): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const object = (await this.getObject(route.kind, route.name)) as RouteObject | undefined;
      const host =
        route.kind === 'Route'
          ? (object?.status?.ingress?.find((i) =>
              i.conditions?.some((c) => c.type === 'Admitted' && c.status === 'True'),
            )?.host ?? object?.spec?.host)
          : route.kind === 'HTTPRoute'
            ? object?.spec?.hostnames?.[0]
            : object?.spec?.rules?.[0]?.host;
      if (host) return host;
      if (Date.now() > deadline) {
        throw new SetupError(
          `${route.kind}/${route.name} has no host after 60 s: no router admitted it; pass --route-url ${route.name}=URL`,
        );
      }
      await delay(this.pollMs);
    }
  }

  /**
   * A route must answer (any status below 500) before the load starts: the router may need a reload first, so
   * 5xx and timeouts are tried again until the deadline. A host that does not resolve, a refused connection and
   * an unreachable network will not mend by themselves: they end the run at once.
   */
  private async untilAnswers(route: TargetRoute, signal?: AbortSignal): Promise<void> {
    const limitMs = this.options.answerTimeoutMs ?? 120_000;
    const deadline = Date.now() + limitMs;
    const at = `${route.url}${route.host ? ` (Host: ${route.host})` : ''}`;
    let last = '';
    while (!signal?.aborted) {
      try {
        const response = await fetchThrough(route, 5000);
        if (response < 500) return;
        last = `HTTP ${response}`;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const lasting = code === undefined ? undefined : LASTING_FAILURES[code];
        if (lasting) {
          const host = new URL(route.url).hostname;
          throw new SetupError(`${route.variant}: ${lasting(host, route.url)}; ${this.routeHint(route.variant)}`);
        }
        last = error instanceof Error ? (describeCause(error) ?? error.message) : String(error);
      }
      if (Date.now() > deadline) {
        throw new SetupError(
          `${route.variant} never answered at ${at} within ${Math.round(limitMs / 1000)} s: ${last}; ${this.routeHint(route.variant)}`,
        );
      }
      await delay(this.pollMs, signal);
    }
  }

  /** What to check or pass when a variant's URL fails, naming only flags the user has not given. */
  private routeHint(variant: string): string {
    if (this.options.routeUrls.has(variant)) return `check the URL given for ${variant}`;
    const routeUrl = `--route-url ${variant}=URL`;
    if (this.options.routerAddress !== undefined) return `check the router address given, or pass ${routeUrl}`;
    return `pass --router-address HOST:PORT (the router's address; the route's host goes in the Host header) or ${routeUrl}`;
  }

  /** Polls a workload until done; fails early with the cause when its pods cannot start. */
  private async waitFor(
    workload: RunObject,
    deadline: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    progress: () => Promise<RolloutProgress>,
  ): Promise<void> {
    const outcome = await this.poll(
      async () => {
        await this.checkPodsCanStart(workload);
        return progress();
      },
      deadline,
      signal,
    );
    if (signal?.aborted) return;
    if (outcome.state === 'failed') throw new SetupError(`${workload.kind}/${workload.name}: ${outcome.reason}`);
    if (outcome.state === 'waiting') {
      throw new SetupError(
        `${workload.kind}/${workload.name} did not become available within --timeout (${Math.round(timeoutMs / 1000)} s): ${outcome.detail}`,
      );
    }
  }

  private async checkPodsCanStart(workload: RunObject): Promise<void> {
    const pods = (await this.getList(commands.pods(podSelector([workload.name])))).items as PodObject[];
    for (const pod of pods) {
      const status = pod.status?.containerStatuses?.[0];
      const waiting = status?.state?.waiting;
      const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (waiting?.reason && STUCK_REASONS.has(waiting.reason)) {
        throw new SetupError(
          `pod ${pod.metadata?.name} of ${workload.name} cannot start: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`,
        );
      }
      if ((status?.restartCount ?? 0) >= CRASH_LOOP_RESTARTS && !ready) {
        const logs = await run(this.cli, commands.logs(pod.metadata?.name ?? '')).catch(() => undefined);
        throw new SetupError(
          `pod ${pod.metadata?.name} of ${workload.name} is crash-looping (${status?.restartCount} restarts)${logs ? `; the last lines of its log:\n${logs.stdout.trimEnd()}` : ''}`,
        );
      }
    }
  }

  private async poll(
    progress: () => Promise<RolloutProgress>,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<RolloutProgress> {
    let last: RolloutProgress = { state: 'waiting', detail: 'not checked yet' };
    while (!signal?.aborted) {
      last = await progress();
      if (last.state !== 'waiting' || Date.now() > deadline) return last;
      await delay(Math.min(this.pollMs, Math.max(0, deadline - Date.now())), signal);
    }
    return last;
  }

  private async getObject(kind: string, name: string): Promise<KubeObject | undefined> {
    const result = await run(this.cli, commands.get(kind, name));
    return result.stdout.trim() === '' ? undefined : (JSON.parse(result.stdout) as KubeObject);
  }

  private async getList(command: { readonly args: readonly string[] }): Promise<{ items: KubeObject[] }> {
    const result = await run(this.cli, command);
    return JSON.parse(result.stdout) as { items: KubeObject[] };
  }

  /** `kubectl get --watch` on the variants' pods, EndpointSlices and revisions, into the event log. */
  private startWatches(): void {
    const workloads = this.workloads().map((w) => w.name);
    const services = this.objects.filter((o) => o.kind === 'Service').map((o) => o.name);
    const revisionKind = this.objects.some((o) => o.kind === 'DeploymentConfig')
      ? 'replicationcontrollers'
      : 'replicasets.apps';
    this.watch(commands.watch('pods', podSelector(workloads)));
    if (services.length > 0)
      this.watch(commands.watch('endpointslices.discovery.k8s.io', endpointSliceSelector(services)));
    this.watch(commands.watch(revisionKind, podSelector(workloads)));
  }

  private watch(command: { readonly args: readonly string[] }): void {
    if (this.stopped) return;
    const child = this.supervisor.spawn(this.cli.path, [...accessArgs(this.cli.access), ...command.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.watches.push(child);
    const splitter = new JsonStreamSplitter();
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      for (const value of splitter.push(chunk)) {
        for (const event of this.mapper.map(value as WatchEvent)) {
          this.events.record(event.type, event.object, {
            ...(event.workload && { workload: event.workload }),
            ...(event.detail && { detail: event.detail }),
          });
        }
      }
    });
    // The API server ends a watch after a while: open it again (a new list replays as ADDED, which the mapper ignores).
    child.once('exit', () => {
      if (!this.stopped) setTimeout(() => this.watch(command), this.pollMs).unref();
    });
  }

  private workloads(): RunObject[] {
    return this.objects.filter((o) => isWorkload(o.kind));
  }

  private objectNames(): string[] {
    return this.objects.map((o) => `${o.kind}/${o.name}`);
  }

  private resources(): string[] {
    return [
      ...new Set([
        ...this.objects.map((o) => RESOURCES[o.kind] ?? resourceOf(o.kind)),
        ...(this.options.alsoCreated ?? []),
      ]),
    ];
  }
}

interface RouteObject extends KubeObject {
  readonly spec?: {
    readonly host?: string;
    readonly rules?: ReadonlyArray<{ readonly host?: string }>;
    /** An HTTPRoute's. */
    readonly hostnames?: readonly string[];
  };
  readonly status?: {
    readonly ingress?: ReadonlyArray<{
      readonly host?: string;
      readonly conditions?: ReadonlyArray<{ readonly type?: string; readonly status?: string }>;
    }>;
  };
}

interface PodObject extends KubeObject {
  readonly status?: {
    readonly conditions?: ReadonlyArray<{ readonly type?: string; readonly status?: string }>;
    readonly containerStatuses?: ReadonlyArray<{
      readonly restartCount?: number;
      readonly state?: { readonly waiting?: { readonly reason?: string; readonly message?: string } };
    }>;
  };
}

function isWorkload(kind: string): boolean {
  return kind === 'DeploymentConfig' || kind === 'Deployment';
}

function number(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Connection failures that will not mend by waiting, in words. */
const LASTING_FAILURES: Readonly<Record<string, (host: string, url: string) => string>> = {
  ENOTFOUND: (host) => `the host ${host} does not resolve from this machine (DNS)`,
  ECONNREFUSED: (_, url) => `nothing listens at ${url} (connection refused)`,
  EHOSTUNREACH: (host) => `${host} is unreachable from this machine (no route to host)`,
  ENETUNREACH: (host) => `${host} is unreachable from this machine (network unreachable)`,
};

function describeCause(error: Error): string | undefined {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message;
}

/** One GET through the route (with the Host header when sending to a router's address); resolves with the status. */
async function fetchThrough(route: TargetRoute, timeoutMs: number): Promise<number> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
      route.url,
      { method: 'GET', agent: false, timeout: timeoutMs, ...(route.host && { headers: { host: route.host } }) },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** What `kubectl config view --minify --output json` says of the context in use. */
const MinifiedKubeconfig = z.object({
  'current-context': z.string().optional(),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ namespace: z.string().optional() }) })).optional(),
  clusters: z.array(z.object({ cluster: z.object({ server: z.string().optional() }) })).optional(),
});

/**
 * How to reach the cluster, from the flags and the kubeconfig (read locally, the cluster is not contacted):
 * the namespace (`--namespace`, else the context's, else `default`), the context's name and its API server.
 * Without `--namespace` a kubeconfig kubectl cannot read is an error; with it, the facts are only unknown.
 */
export async function resolveAccess(
  found: Pick<ClusterCli, 'name' | 'path'>,
  given: Omit<ClusterAccess, 'namespace'> & { readonly namespace?: string },
): Promise<ClusterAccess> {
  const probe: ClusterCli = { ...found, access: { ...given, namespace: given.namespace ?? 'default' } };
  const view = await run(probe, commands.contextInfo()).then(
    (result) => result.stdout,
    (error: unknown) => {
      if (given.namespace === undefined) throw error;
      return undefined;
    },
  );
  let config: z.infer<typeof MinifiedKubeconfig> = {};
  if (view !== undefined) {
    try {
      config = MinifiedKubeconfig.parse(JSON.parse(view));
    } catch {
      throw new ToolError(found.name, `\`${describe(probe, commands.contextInfo())}\` printed no kubeconfig`, view);
    }
  }
  const context = config.contexts?.[0];
  const server = config.clusters?.[0]?.cluster.server;
  const contextNamespace = context?.context.namespace || undefined;
  const contextName = context?.name ?? config['current-context'];
  return {
    ...given,
    namespace: given.namespace ?? contextNamespace ?? 'default',
    namespaceFrom: given.namespace !== undefined ? 'flag' : contextNamespace !== undefined ? 'context' : 'default',
    ...(contextName && { contextName }),
    ...(server && { server }),
  };
}
