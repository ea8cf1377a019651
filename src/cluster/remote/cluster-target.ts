/**
 * `zdd compare --target cluster`: the variants on a real OpenShift or
 * Kubernetes cluster, driven with `oc` or `kubectl` (one command a person could
 * type per action) and watched with `kubectl get --watch`.
 */
import type { ChildProcess } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { SetupError } from '../../errors.js';
import type { RenderedVariant } from '../../manifests/variants.js';
import { EventLog } from '../../runtime/events.js';
import { ProcessSupervisor } from '../../runtime/processes.js';
import { delay, Timing } from '../../runtime/timing.js';
import type { RolloutResult } from '../local/workload-controller.js';
import type { CompareTarget, TargetRoute } from '../target.js';
import {
  commands,
  endpointSliceSelector,
  MANAGED_BY,
  podSelector,
  RESOURCES,
  RUN_ID_LABEL,
  resourceOf,
} from './commands.js';
import { JsonStreamSplitter } from './json-stream.js';
import { accessArgs, type ClusterAccess, type ClusterCli, clusterError, describe, run } from './kubectl.js';
import {
  deploymentConfigProgress,
  deploymentProgress,
  type KubeObject,
  type RolloutProgress,
  replicationControllerName,
} from './rollout-state.js';
import { type WatchEvent, WatchEventMapper } from './watch-events.js';

export interface ClusterTargetOptions {
  readonly cli: ClusterCli;
  /** Labels every applied object (`zdd/run-id`); `--cleanup` deletes by it. */
  readonly runId: string;
  /** `--route-url NAME=URL`: where to send a variant's load instead of its route's host. */
  readonly routeUrls: ReadonlyMap<string, string>;
  /** `--router-address HOST:PORT`: send to one router with each route's host in the Host header. */
  readonly routerAddress?: string;
  /** `--cleanup`: delete what this run applied when it ends, also after Ctrl-C. */
  readonly cleanup: boolean;
  /** Progress lines for the user. */
  readonly log: (line: string) => void;
  /** How often to poll the API while waiting. @default 1000 */
  readonly pollMs?: number;
  /** How long a route may take to answer before the load starts, ms. @default 120000 */
  readonly answerTimeoutMs?: number;
}

/** One object of the manifests: what zdd applies and checks. */
interface ManifestObject {
  readonly kind: string;
  readonly name: string;
  readonly replicas?: number;
}

/** The annotation the Deployment controller numbers revisions with. */
const DEPLOYMENT_REVISION = 'deployment.kubernetes.io/revision';

/** Pods waiting for these reasons will not start by themselves. */
const STUCK_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
]);
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
  private objects: ManifestObject[] = [];
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

  async deploy(variants: readonly RenderedVariant[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const documents = variants.flatMap((variant) =>
      parseAllDocuments(variant.yaml).map((doc) => doc.toJS() as KubeYaml),
    );
    this.objects = documents.map((doc) => ({
      kind: doc.kind,
      name: doc.metadata.name,
      ...(typeof doc.spec?.replicas === 'number' && { replicas: doc.spec.replicas }),
    }));
    await this.checkPermissions();
    await this.checkOwnership();
    const labelled = documents.map((doc) => ({
      ...doc,
      metadata: { ...doc.metadata, labels: { ...doc.metadata.labels, [RUN_ID_LABEL]: this.options.runId } },
    }));
    // One JSON List: kubectl reads a JSON stream whole, where YAML separators would not do.
    const yaml = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: labelled });
    this.options.log(`applying ${this.objects.length} objects to namespace ${this.cli.access.namespace}`);
    this.applied = true;
    await run(this.cli, commands.apply(this.objectNames(), yaml));
    this.startWatches();
    const deadline = Date.now() + timeoutMs;
    for (const workload of this.workloads()) {
      await this.waitFor(workload, deadline, signal, async () => {
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
      const route = this.objects.find((o) => (o.kind === 'Route' || o.kind === 'Ingress') && o.name === variant);
      if (!route) {
        throw new SetupError(
          `${variant} has no Route or Ingress to send load to; use --expose route or ingress, or --route-url ${variant}=URL`,
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
          if (leaving > 0 || own.length > (workload.replicas ?? 1)) {
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
      this.options.log(`removing what this run applied (${RUN_ID_LABEL}=${this.options.runId})`);
      await run(this.cli, commands.deleteRun(this.resources(), this.options.runId), 180_000).catch((error: unknown) =>
        this.options.log(`could not remove everything: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  readonly closingNote = (): string | undefined => {
    if (this.options.cleanup || !this.applied) return undefined;
    return `the variants stay in namespace ${this.cli.access.namespace}; remove them with: ${describe(this.cli, commands.deleteRun(this.resources(), this.options.runId))}`;
  };

  /** Every `can-i` the run needs, before anything is applied: a refusal names the verb and the resource. */
  private async checkPermissions(): Promise<void> {
    const needed: Array<[string, string]> = [];
    for (const kind of new Set(this.objects.map((o) => o.kind))) {
      for (const verb of ['get', 'create', 'patch']) needed.push([verb, resourceOf(kind)]);
      if (this.options.cleanup) needed.push(['delete', resourceOf(kind)]);
    }
    for (const resource of ['pods', 'endpointslices.discovery.k8s.io', 'replicasets.apps', 'replicationcontrollers']) {
      needed.push(['list', resource], ['watch', resource]);
    }
    for (const [verb, resource] of needed) {
      const command = commands.canI(verb, resource);
      const answer = await run(this.cli, command).catch((error: unknown) => error);
      if (answer instanceof Error && !/^no\b/m.test(errorOutput(answer))) throw answer;
      if (answer instanceof Error) {
        throw new SetupError(
          `the cluster forbids this user to ${verb} ${resource} in namespace ${this.cli.access.namespace} (\`${describe(this.cli, command)}\` says no); ask for that permission or use another --namespace`,
        );
      }
    }
  }

  /** Never overwrite an app zdd did not create: an object with one of the names must carry zdd's label. */
  private async checkOwnership(): Promise<void> {
    for (const object of this.objects) {
      const existing = await this.getObject(object.kind, object.name);
      if (existing && existing.metadata?.labels?.[MANAGED_BY] !== 'zdd') {
        throw new SetupError(
          `${object.kind}/${object.name} already exists in namespace ${this.cli.access.namespace} and zdd did not create it (no ${MANAGED_BY}=zdd label): zdd never overwrites someone else's app; pass another --namespace, or other names (--name-default, --name-zero-downtime)`,
        );
      }
    }
  }

  private async routeHost(route: ManifestObject): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const object = (await this.getObject(route.kind, route.name)) as RouteObject | undefined;
      const host =
        route.kind === 'Route'
          ? (object?.status?.ingress?.find((i) =>
              i.conditions?.some((c) => c.type === 'Admitted' && c.status === 'True'),
            )?.host ?? object?.spec?.host)
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

  /** A route must answer (any status below 500) before the load starts: the router may need a reload first. */
  private async untilAnswers(route: TargetRoute, signal?: AbortSignal): Promise<void> {
    const limitMs = this.options.answerTimeoutMs ?? 120_000;
    const deadline = Date.now() + limitMs;
    let last = '';
    while (!signal?.aborted) {
      try {
        const response = await fetchThrough(route, 5000);
        if (response < 500) return;
        last = `HTTP ${response}`;
      } catch (error) {
        last = error instanceof Error ? (describeCause(error) ?? error.message) : String(error);
      }
      if (Date.now() > deadline) {
        throw new SetupError(
          `${route.variant} never answered at ${route.url}${route.host ? ` (Host: ${route.host})` : ''} within ${Math.round(limitMs / 1000)} s: ${last}; check the route, or pass --route-url / --router-address`,
        );
      }
      await delay(this.pollMs, signal);
    }
  }

  /** Polls a workload until done; fails early with the cause when its pods cannot start. */
  private async waitFor(
    workload: ManifestObject,
    deadline: number,
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
      throw new SetupError(`${workload.kind}/${workload.name} did not become available in time: ${outcome.detail}`);
    }
  }

  private async checkPodsCanStart(workload: ManifestObject): Promise<void> {
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

  private workloads(): ManifestObject[] {
    return this.objects.filter((o) => isWorkload(o.kind));
  }

  private objectNames(): string[] {
    return this.objects.map((o) => `${o.kind}/${o.name}`);
  }

  private resources(): string[] {
    return [...new Set(this.objects.map((o) => RESOURCES[o.kind] ?? resourceOf(o.kind)))];
  }
}

interface KubeYaml {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec?: { readonly replicas?: number };
}

interface RouteObject extends KubeObject {
  readonly spec?: { readonly host?: string; readonly rules?: ReadonlyArray<{ readonly host?: string }> };
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

function errorOutput(error: Error): string {
  return 'outputTail' in error && typeof error.outputTail === 'string' ? error.outputTail : error.message;
}

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

/** Resolves the namespace: `--namespace`, else the context's, else `default`. */
export async function resolveNamespace(
  cli: Omit<ClusterCli, 'access'> & { access: Omit<ClusterAccess, 'namespace'> & { namespace?: string } },
): Promise<string> {
  if (cli.access.namespace) return cli.access.namespace;
  const probe: ClusterCli = { ...cli, access: { ...cli.access, namespace: 'default' } };
  const result = await run(probe, commands.contextNamespace()).catch((error: unknown) => {
    throw error instanceof Error ? error : clusterError(probe, commands.contextNamespace(), String(error));
  });
  return result.stdout.trim() || 'default';
}
