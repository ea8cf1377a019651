import { setMaxListeners } from 'node:events';
import { dcRolling, type RolloutContext, RolloutTimeout, recreate } from '../cluster/local/strategies.js';
import type { KubeClient } from '../kube/api-client.js';
import { isKubeApiError } from '../kube/errors.js';
import { Informer } from '../kube/informer.js';
import { objectKey } from '../kube/resources.js';
import { Changes } from '../runtime/changes.js';
import { EventLog } from '../runtime/events.js';
import {
  type ApiDeploymentConfig,
  type ApiPod,
  type ApiReplicationController,
  inNamespace,
  RESOURCES,
} from './api-objects.js';
import {
  CANCELLED_ANNOTATION,
  DEPLOYMENT_CONFIG_ANNOTATION,
  type DeploymentPhase,
  deploymentConfigStatus,
  hasConfigChangeTrigger,
  newReplicationController,
  PHASE_ANNOTATION,
  phaseOf,
  RECREATE_TIMEOUT_SECONDS,
  REVISION_HISTORY_LIMIT,
  replicasOf,
  replicationControllerName,
  rollingParams,
  STATUS_REASON_ANNOTATION,
  statusChanged,
  templateChanged,
  versionOf,
} from './dc-objects.js';
import { KeyedQueue } from './keyed-queue.js';
import { apiTime } from './pod-status.js';
import { ReplicationControllerRevision, ScaleQueue } from './rc-revision.js';

export interface DeploymentConfigControllerOptions {
  readonly api: KubeClient;
  /** Only this namespace's DeploymentConfigs. @default every namespace */
  readonly namespace?: string;
  /** Rollouts and scaling steps go here. @default a new log */
  readonly events?: EventLog;
  /** Told about API calls that failed; the controller goes on. @default ignore */
  readonly onError?: (error: unknown) => void;
}

interface Rollout {
  readonly version: number;
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

/** What this controller last wrote to an RC's deployment annotations (the watch may not show it yet). */
interface WrittenPhase {
  readonly [PHASE_ANNOTATION]: DeploymentPhase;
  readonly [STATUS_REASON_ANNOTATION]?: string;
  readonly [CANCELLED_ANNOTATION]?: string;
}

/**
 * zdd's stand-in for OpenShift's DeploymentConfig machinery on the test bed
 * (the DC controller, the ConfigChange trigger and the deployer pod, in one):
 * - version 1 when a DeploymentConfig appears, a new version when its pod
 *   template changes (`status.latestVersion`, through the status subresource);
 * - one ReplicationController per version, `NAME-N`, with OpenShift's labels
 *   and annotations; the real replicationcontroller-controller makes the pods;
 * - each version rolled out by the local cluster's own strategies
 *   (`dcRolling`, `recreate`) over the RCs, the phase annotation going
 *   New → Running → Complete (or Failed, rolled back to the previous RC);
 * - the DeploymentConfig's status: replica counts, Available and Progressing.
 */
export class DeploymentConfigController {
  readonly events: EventLog;
  private readonly configs: Informer<ApiDeploymentConfig>;
  private readonly controllers: Informer<ApiReplicationController>;
  private readonly pods: Informer<ApiPod>;
  private readonly queue: KeyedQueue;
  private readonly changes = new Changes();
  private readonly rollouts = new Map<string, Rollout>();
  private readonly latestWritten = new Map<string, number>();
  private readonly phasesWritten = new Map<string, WrittenPhase>();
  private readonly createFailures = new Map<string, string>();
  private stopped = false;

  static start(options: DeploymentConfigControllerOptions): DeploymentConfigController {
    const controller = new DeploymentConfigController(options);
    controller.pods.start();
    controller.controllers.start();
    controller.configs.start();
    return controller;
  }

  private constructor(private readonly options: DeploymentConfigControllerOptions) {
    this.events = options.events ?? new EventLog();
    const onError = (error: unknown) => this.error(error);
    const { api, namespace } = options;
    this.configs = new Informer(api, inNamespace(RESOURCES.deploymentConfigs, namespace), { onError });
    this.controllers = new Informer(api, inNamespace(RESOURCES.replicationControllers, namespace), { onError });
    this.pods = new Informer(api, inNamespace(RESOURCES.pods, namespace), { onError });
    this.queue = new KeyedQueue(
      (key) => this.sync(key),
      (error) => this.error(error),
    );
    this.configs.onEvent((event) => this.queue.add(objectKey(event.object)));
    this.controllers.onEvent((event) => {
      const config = event.object.metadata.annotations?.[DEPLOYMENT_CONFIG_ANNOTATION];
      if (config !== undefined) this.queue.add(`${event.object.metadata.namespace}/${config}`);
      this.changes.notify();
    });
    this.pods.onEvent(() => this.changes.notify());
  }

  /** Stops watching and every rollout where it is (the RCs stay as they are). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.stop();
    for (const rollout of this.rollouts.values()) rollout.abort.abort();
    await Promise.all([...this.rollouts.values()].map((rollout) => rollout.done));
    await Promise.all([this.configs.stop(), this.controllers.stop(), this.pods.stop()]);
  }

  /** One pass over a DeploymentConfig: trigger, RC, rollout, scale, status. */
  private async sync(key: string): Promise<void> {
    if (this.stopped) return;
    let config = this.configs.get(key);
    const rollout = this.rollouts.get(key);
    if (!config || config.metadata.deletionTimestamp !== undefined) {
      // Deleted: the garbage collector removes its RCs and their pods.
      rollout?.abort.abort();
      return;
    }
    const uid = config.metadata.uid ?? '';
    let version = Math.max(config.status?.latestVersion ?? 0, this.latestWritten.get(uid) ?? 0);
    const latest = this.rcsOf(config).find((rc) => versionOf(rc) === version);
    const paused = config.spec?.paused === true;
    if (!paused && hasConfigChangeTrigger(config) && (version === 0 || (latest && templateChanged(config, latest)))) {
      version += 1;
      config = await this.options.api.patch<ApiDeploymentConfig>(
        inNamespace(RESOURCES.deploymentConfigs, config.metadata.namespace),
        config.metadata.name ?? '',
        {
          status: {
            latestVersion: version,
            details: { message: 'config change', causes: [{ type: 'ConfigChange' }] },
          },
        },
        { type: 'merge', subresource: 'status', fieldManager: 'zdd-deploymentconfig-controller' },
      );
      this.latestWritten.set(uid, version);
    }
    let rc = this.rcsOf(config).find((candidate) => versionOf(candidate) === version);
    if (version > 0 && !rc) rc = await this.createVersion(key, config, version);
    if (rollout && rollout.version < version) this.cancel(key, config, rollout);
    if (rc && !paused && !this.rollouts.has(key)) {
      const phase = phaseOf(rc);
      if (phase === 'New' || phase === 'Pending' || phase === 'Running') this.startRollout(key, config, rc);
      else if (phase === 'Complete' && (rc.spec?.replicas ?? 0) !== replicasOf(config)) {
        // `oc scale dc/NAME`: a completed version follows the DeploymentConfig's replicas.
        await this.scale(rc, replicasOf(config));
      }
    }
    await this.writeStatus(key, config);
  }

  /** The RCs of a DeploymentConfig, by version, with what this controller wrote last to their annotations. */
  private rcsOf(config: ApiDeploymentConfig): ApiReplicationController[] {
    const name = config.metadata.name;
    return this.controllers
      .values()
      .filter(
        (rc) =>
          rc.metadata.namespace === config.metadata.namespace &&
          rc.metadata.annotations?.[DEPLOYMENT_CONFIG_ANNOTATION] === name &&
          rc.metadata.ownerReferences?.some((owner) => owner.uid === config.metadata.uid) !== false &&
          versionOf(rc) > 0,
      )
      .map((rc) => this.withWrittenPhase(rc))
      .sort((a, b) => versionOf(a) - versionOf(b));
  }

  private withWrittenPhase(rc: ApiReplicationController): ApiReplicationController {
    const written = this.phasesWritten.get(rc.metadata.uid ?? '');
    return written
      ? { ...rc, metadata: { ...rc.metadata, annotations: { ...rc.metadata.annotations, ...written } } }
      : rc;
  }

  private async createVersion(
    key: string,
    config: ApiDeploymentConfig,
    version: number,
  ): Promise<ApiReplicationController | undefined> {
    const resource = inNamespace(RESOURCES.replicationControllers, config.metadata.namespace);
    try {
      const created = await this.options.api.create<ApiReplicationController>(
        resource,
        newReplicationController(config, version),
        { fieldManager: 'zdd-deploymentconfig-controller' },
      );
      this.createFailures.delete(key);
      return created;
    } catch (error) {
      if (isKubeApiError(error, 409)) {
        return this.options.api.get<ApiReplicationController>(
          resource,
          replicationControllerName(config.metadata.name ?? '', version),
        );
      }
      if (isKubeApiError(error)) {
        // E.g. a selector the template's labels do not match: the DC says so in its Progressing condition.
        this.createFailures.set(key, `couldn't create replication controller: ${error.apiMessage}`);
        return undefined;
      }
      throw error;
    }
  }

  private startRollout(key: string, config: ApiDeploymentConfig, rc: ApiReplicationController): void {
    const abort = new AbortController();
    // Every wait of the strategy listens to this signal: Changes.next() leaves a listener for up to 250 ms each.
    setMaxListeners(0, abort.signal);
    const version = versionOf(rc);
    const done = this.deploy(config, rc, abort.signal)
      .catch((error: unknown) => this.error(error))
      .finally(() => {
        this.rollouts.delete(key);
        this.queue.add(key);
      });
    this.rollouts.set(key, { version, abort, done });
  }

  /** A newer version supersedes a running rollout: it stops where it is and its RC is marked cancelled. */
  private cancel(key: string, config: ApiDeploymentConfig, rollout: Rollout): void {
    if (rollout.abort.signal.aborted) return;
    rollout.abort.abort();
    const rc = this.rcsOf(config).find((candidate) => versionOf(candidate) === rollout.version);
    void rollout.done.then(async () => {
      if (!rc || this.stopped) return;
      await this.setPhase(rc, 'Failed', 'newer deployment was found running', true).catch((error) => this.error(error));
      this.events.record('rollout-failed', rc.metadata.name ?? '', {
        workload: config.metadata.name ?? '',
        detail: 'cancelled: a newer version was made',
      });
      this.queue.add(key);
    });
  }

  /**
   * What OpenShift's deployer pod does for one version: scale every other
   * older RC to zero except the last complete one (`from`), then run the
   * strategy from `from` to this RC. Rolling without a previous version is
   * OpenShift's initial deployment: Recreate, waiting until every pod is
   * available (the deployer's acceptor), within timeoutSeconds.
   */
  private async deploy(config: ApiDeploymentConfig, to: ApiReplicationController, signal: AbortSignal): Promise<void> {
    const name = config.metadata.name ?? '';
    const version = versionOf(to);
    const rcs = this.rcsOf(config);
    const from = rcs.filter((rc) => versionOf(rc) < version && phaseOf(rc) === 'Complete').at(-1);
    const strategy = config.spec?.strategy?.type ?? 'Rolling';
    const params = rollingParams(config);
    const timeoutSeconds =
      strategy === 'Recreate'
        ? (config.spec?.strategy?.recreateParams?.timeoutSeconds ?? RECREATE_TIMEOUT_SECONDS)
        : params.timeoutSeconds;
    const steps = new ScaleQueue();
    const revision = (rc: ApiReplicationController) =>
      new ReplicationControllerRevision(rc, {
        api: this.options.api,
        steps,
        current: () => this.controllers.get(objectKey(rc)),
        stepTimeoutMs: timeoutSeconds * 1000,
        pods: () => this.pods.values(),
        changes: this.changes,
        signal,
        onError: (error) => this.error(error),
      });
    const latest = revision(to);
    const previous = from ? revision(from) : undefined;
    const others = rcs
      .filter((rc) => rc !== from && versionOf(rc) !== version && (rc.spec?.replicas ?? 0) > 0)
      .map(revision);
    for (const other of others) other.scaleTo(0);
    const flush = () => steps.idle();
    await this.setPhase(to, 'Running');
    this.events.record('rollout-started', latest.name, { workload: name, detail: strategy });
    const startedAt = Date.now();
    const replicas = replicasOf(config);
    const context: RolloutContext<ReplicationControllerRevision> = {
      workload: name,
      replicas,
      latest,
      olds: previous ? [previous] : [],
      minReadyMs: (config.spec?.minReadySeconds ?? 0) * 1000,
      changes: this.changes,
      events: this.events,
      signal,
    };
    try {
      if (strategy === 'Recreate' || !previous) {
        await recreate(context, { timeoutMs: timeoutSeconds * 1000 });
      } else {
        await dcRolling(context, {
          maxSurge: params.maxSurge,
          maxUnavailable: params.maxUnavailable,
          intervalMs: params.intervalSeconds * 1000,
          updatePeriodMs: params.updatePeriodSeconds * 1000,
          timeoutMs: params.timeoutSeconds * 1000,
        });
      }
      await flush();
      if (signal.aborted) return;
      await this.setPhase(to, 'Complete');
      this.events.record('rollout-completed', latest.name, { workload: name, detail: `${Date.now() - startedAt} ms` });
      await this.prune(config, version);
    } catch (error) {
      if (signal.aborted) return;
      const reason = error instanceof RolloutTimeout ? error.message : String(error);
      // As the local cluster does, and OpenShift: a failed version goes to zero and the previous one comes back.
      latest.scaleTo(0);
      previous?.scaleTo(replicas);
      await flush();
      await this.setPhase(to, 'Failed', reason);
      this.events.record('rollout-failed', latest.name, { workload: name, detail: `${reason}; rolled back` });
    }
  }

  private async setPhase(
    rc: ApiReplicationController,
    phase: DeploymentPhase,
    reason?: string,
    cancelled = false,
  ): Promise<void> {
    const annotations: WrittenPhase = {
      [PHASE_ANNOTATION]: phase,
      ...(reason !== undefined && { [STATUS_REASON_ANNOTATION]: reason }),
      ...(cancelled && { [CANCELLED_ANNOTATION]: 'true' }),
    };
    this.phasesWritten.set(rc.metadata.uid ?? '', annotations);
    try {
      await this.options.api.patch(
        inNamespace(RESOURCES.replicationControllers, rc.metadata.namespace),
        rc.metadata.name ?? '',
        { metadata: { annotations } },
        { type: 'merge', fieldManager: 'zdd-deploymentconfig-controller' },
      );
    } catch (error) {
      // Deleted meanwhile (its DeploymentConfig went): nothing to mark.
      if (!isKubeApiError(error, 404)) throw error;
    }
  }

  private async scale(rc: ApiReplicationController, replicas: number): Promise<void> {
    await this.options.api.patch(
      inNamespace(RESOURCES.replicationControllers, rc.metadata.namespace),
      rc.metadata.name ?? '',
      { spec: { replicas } },
      { type: 'merge', fieldManager: 'zdd-deploymentconfig-controller' },
    );
    this.events.record('scaled', rc.metadata.name ?? '', {
      workload: rc.metadata.annotations?.[DEPLOYMENT_CONFIG_ANNOTATION] ?? '',
      detail: `to ${replicas}`,
    });
  }

  /** Deletes scaled-down versions beyond `revisionHistoryLimit` (oldest first), as the DC controller does. */
  private async prune(config: ApiDeploymentConfig, version: number): Promise<void> {
    const limit = config.spec?.revisionHistoryLimit ?? REVISION_HISTORY_LIMIT;
    const old = this.rcsOf(config).filter(
      (rc) => versionOf(rc) < version && (rc.spec?.replicas ?? 0) === 0 && (rc.status?.replicas ?? 0) === 0,
    );
    for (const rc of old.slice(0, Math.max(0, old.length - limit))) {
      await this.options.api
        .delete(inNamespace(RESOURCES.replicationControllers, rc.metadata.namespace), rc.metadata.name ?? '')
        .catch((error: unknown) => {
          if (!isKubeApiError(error, 404)) this.error(error);
        });
    }
  }

  private async writeStatus(key: string, config: ApiDeploymentConfig): Promise<void> {
    const uid = config.metadata.uid ?? '';
    const version = Math.max(config.status?.latestVersion ?? 0, this.latestWritten.get(uid) ?? 0);
    const current = { ...config, status: { ...config.status, latestVersion: version } };
    const status = deploymentConfigStatus(
      current,
      this.rcsOf(config),
      apiTime(Date.now()),
      this.createFailures.get(key),
    );
    if (!statusChanged(config.status, status)) return;
    try {
      await this.options.api.patch(
        inNamespace(RESOURCES.deploymentConfigs, config.metadata.namespace),
        config.metadata.name ?? '',
        { status },
        { type: 'merge', subresource: 'status', fieldManager: 'zdd-deploymentconfig-controller' },
      );
    } catch (error) {
      if (!isKubeApiError(error, 404)) throw error;
    }
  }

  private error(error: unknown): void {
    if (!this.stopped) this.options.onError?.(error);
  }
}
