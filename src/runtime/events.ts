/** What happened in the local cluster, with millisecond timestamps, for the timeline. */
export type ClusterEventType =
  | 'applied'
  | 'rollout-started'
  | 'rollout-completed'
  | 'rollout-failed'
  | 'scaled'
  | 'pod-created'
  | 'pod-scheduled'
  | 'pod-started'
  | 'pod-waiting'
  | 'pod-ready'
  | 'pod-unready'
  | 'pod-deleted'
  | 'prestop-started'
  | 'prestop-finished'
  | 'sigterm'
  | 'sigkill'
  | 'pod-exited'
  | 'pod-removed'
  | 'container-restarted'
  | 'endpoints-changed'
  | 'router-reloaded'
  | 'server-down'
  | 'server-up'
  | 'sidecar-stopped';

export interface ClusterEvent {
  /** Epoch milliseconds. */
  readonly time: number;
  readonly type: ClusterEventType;
  /** The workload (DeploymentConfig/Deployment) or route the event belongs to. */
  readonly workload?: string;
  /** The pod, revision or route the event is about. */
  readonly object: string;
  /** Free text for people: counts, reasons, endpoint lists. */
  readonly detail?: string;
}

/** An append-only event log that listeners can follow. */
export class EventLog {
  private readonly events: ClusterEvent[] = [];
  private readonly listeners = new Set<(event: ClusterEvent) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  record(type: ClusterEventType, object: string, fields: { workload?: string; detail?: string } = {}): ClusterEvent {
    const event: ClusterEvent = { time: this.now(), type, object, ...fields };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** All events so far, oldest first. */
  all(): readonly ClusterEvent[] {
    return this.events;
  }

  /** Calls `listener` for every new event; returns a function that stops it. */
  follow(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** One line per event, for `zdd local events` and logs. */
export function formatEvent(event: ClusterEvent, origin?: number): string {
  const time =
    origin === undefined ? new Date(event.time).toISOString() : `+${((event.time - origin) / 1000).toFixed(3)}s`;
  const where = event.workload && event.workload !== event.object ? `${event.workload}/${event.object}` : event.object;
  return `${time} ${event.type.padEnd(19)} ${where}${event.detail ? `  ${event.detail}` : ''}`;
}
