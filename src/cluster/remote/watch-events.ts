/**
 * Turns the watch events of a real cluster (pods, EndpointSlices,
 * ReplicaSets and ReplicationControllers) into the same event log the local
 * cluster writes, so that events.json and every report read them alike.
 * Pure apart from the clock: each event gets the time zdd saw it.
 */
import type { ClusterEventType } from '../../runtime/events.js';

/** One event of `kubectl get --watch --output-watch-events`. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: WatchedObject;
}

interface WatchedObject {
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly deletionTimestamp?: string;
    readonly deletionGracePeriodSeconds?: number;
    readonly ownerReferences?: ReadonlyArray<{ readonly kind?: string; readonly name?: string }>;
  };
  readonly spec?: { readonly nodeName?: string; readonly replicas?: number };
  readonly status?: {
    readonly podIP?: string;
    readonly conditions?: ReadonlyArray<{ readonly type?: string; readonly status?: string }>;
    readonly containerStatuses?: ReadonlyArray<ContainerStatus>;
  };
  readonly endpoints?: ReadonlyArray<{
    readonly targetRef?: { readonly name?: string };
    readonly addresses?: readonly string[];
    readonly conditions?: { readonly ready?: boolean; readonly serving?: boolean; readonly terminating?: boolean };
  }>;
}

interface ContainerStatus {
  readonly restartCount?: number;
  readonly state?: {
    readonly running?: unknown;
    readonly waiting?: { readonly reason?: string; readonly message?: string };
    readonly terminated?: { readonly exitCode?: number; readonly signal?: number; readonly reason?: string };
  };
}

/** An event to record: what the local cluster's `EventLog.record` takes. */
export interface MappedEvent {
  readonly type: ClusterEventType;
  readonly object: string;
  readonly workload?: string;
  readonly detail?: string;
}

/** What zdd remembers of a pod between its events. */
interface PodState {
  readonly scheduled: boolean;
  readonly running: boolean;
  readonly ready: boolean;
  readonly deleting: boolean;
  readonly exited: boolean;
  readonly restarts: number;
  readonly waiting?: string;
}

/** Keeps the last state of every pod, slice and revision it has seen, and reports what changed. */
export class WatchEventMapper {
  private readonly pods = new Map<string, PodState>();
  private readonly endpoints = new Map<string, string>();
  private readonly replicas = new Map<string, number>();

  /** The events one watch event means (none when nothing that matters changed). */
  map(event: WatchEvent): MappedEvent[] {
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return [];
    switch (event.object.kind) {
      case 'Pod':
        return this.pod(event);
      case 'EndpointSlice':
        return this.slice(event);
      case 'ReplicaSet':
      case 'ReplicationController':
        return this.revision(event);
      default:
        return [];
    }
  }

  private pod({ type, object }: WatchEvent): MappedEvent[] {
    const name = object.metadata?.name ?? '?';
    const workload = object.metadata?.labels?.['app.kubernetes.io/name'];
    const before = this.pods.get(name);
    const at = (eventType: ClusterEventType, detail?: string): MappedEvent => ({
      type: eventType,
      object: name,
      ...(workload && { workload }),
      ...(detail && { detail }),
    });
    if (type === 'DELETED') {
      this.pods.delete(name);
      return before?.exited ? [at('pod-removed')] : [at('pod-exited', 'gone'), at('pod-removed')];
    }
    const container = object.status?.containerStatuses?.[0];
    const now: PodState = {
      scheduled: Boolean(object.spec?.nodeName),
      running: Boolean(container?.state?.running),
      ready: object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      deleting: Boolean(object.metadata?.deletionTimestamp),
      exited: Boolean(container?.state?.terminated) && Boolean(object.metadata?.deletionTimestamp),
      restarts: container?.restartCount ?? 0,
      ...(container?.state?.waiting?.reason && { waiting: container.state.waiting.reason }),
    };
    this.pods.set(name, now);
    const events: MappedEvent[] = [];
    const owner = object.metadata?.ownerReferences?.[0]?.name;
    if (!before) events.push(at('pod-created', owner ? `revision ${owner}` : undefined));
    if (now.scheduled && !before?.scheduled) events.push(at('pod-scheduled', `node ${object.spec?.nodeName}`));
    if (now.running && !before?.running)
      events.push(at('pod-started', object.status?.podIP ? `ip ${object.status.podIP}` : undefined));
    if (now.waiting && now.waiting !== before?.waiting && now.waiting !== 'ContainerCreating') {
      events.push(at('pod-waiting', [now.waiting, container?.state?.waiting?.message].filter(Boolean).join(': ')));
    }
    if (now.ready && !before?.ready) events.push(at('pod-ready'));
    if (!now.ready && before?.ready) events.push(at('pod-unready', now.deleting ? 'deleted' : undefined));
    if (now.deleting && !before?.deleting) {
      const grace = object.metadata?.deletionGracePeriodSeconds;
      events.push(at('pod-deleted', grace === undefined ? undefined : `grace ${grace} s`));
    }
    if (now.restarts > (before?.restarts ?? 0)) events.push(at('container-restarted', `restart ${now.restarts}`));
    if (now.exited && !before?.exited) {
      const terminated = container?.state?.terminated;
      events.push(
        at('pod-exited', terminated?.signal ? `signal ${terminated.signal}` : `code ${terminated?.exitCode ?? '?'}`),
      );
    }
    return events;
  }

  private slice({ type, object }: WatchEvent): MappedEvent[] {
    const service = object.metadata?.labels?.['kubernetes.io/service-name'] ?? object.metadata?.name ?? '?';
    const key = object.metadata?.name ?? service;
    const endpoints = type === 'DELETED' ? [] : (object.endpoints ?? []);
    const name = (e: (typeof endpoints)[number]) => e.targetRef?.name ?? e.addresses?.[0] ?? '?';
    // What OpenShift's router routes to: endpoints whose `ready` is not false (terminating ones have ready=false).
    const ready = endpoints
      .filter((e) => e.conditions?.ready !== false)
      .map(name)
      .sort();
    const terminating = endpoints
      .filter((e) => e.conditions?.terminating === true)
      .map(name)
      .sort();
    const detail = `${ready.join(', ') || 'none'}${terminating.length ? `; terminating: ${terminating.join(', ')}` : ''}`;
    if (this.endpoints.get(key) === detail) return [];
    this.endpoints.set(key, detail);
    return [{ type: 'endpoints-changed', object: service, detail }];
  }

  private revision({ type, object }: WatchEvent): MappedEvent[] {
    const name = object.metadata?.name ?? '?';
    const count = type === 'DELETED' ? 0 : (object.spec?.replicas ?? 0);
    if (this.replicas.get(name) === count) return [];
    this.replicas.set(name, count);
    const workload =
      object.metadata?.annotations?.['openshift.io/deployment-config.name'] ??
      object.metadata?.ownerReferences?.[0]?.name ??
      object.metadata?.labels?.['app.kubernetes.io/name'];
    return [{ type: 'scaled', object: name, ...(workload && { workload }), detail: `to ${count}` }];
  }
}
