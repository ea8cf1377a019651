/**
 * A pod's `status` as the kubelet reports it, built from what the node agent
 * knows about the pod's process. Pure: the agent sends the result through the
 * `pods/NAME/status` subresource.
 */
import { constants } from 'node:os';
import type { Condition } from './api-objects.js';

export type ContainerState =
  | { readonly waiting: { readonly reason: string; readonly message?: string } }
  | { readonly running: { readonly startedAt: number } }
  | { readonly terminated: Terminated };

export interface Terminated {
  readonly exitCode: number;
  /** `Completed` (exit 0), `Error`, or why the kubelet ended it. */
  readonly reason: string;
  readonly startedAt?: number;
  readonly finishedAt: number;
}

export interface ContainerReport {
  readonly name: string;
  readonly image: string;
  readonly ready: boolean;
  /** Running and past its startup probe. */
  readonly started: boolean;
  readonly restartCount: number;
  readonly state: ContainerState;
  /** The previous run's end, after a restart. */
  readonly lastState?: Terminated;
  readonly containerId?: string;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface PodReport {
  readonly phase: PodPhase;
  /** Unset until the pod has a sandbox (an address). */
  readonly podIP?: string;
  readonly hostIP: string;
  /** When the node accepted the pod. */
  readonly startTime: number;
  /** The Ready condition: the container is ready (kept during termination while its readiness probe passes). */
  readonly ready: boolean;
  readonly container: ContainerReport;
  /** The PodScheduled condition the binding set; kept as it is. */
  readonly scheduled?: Condition;
}

/** Remembers when each condition last changed its status, for `lastTransitionTime`. */
export class ConditionClock {
  private readonly since = new Map<string, { status: string; at: number }>();

  /** The time `type` took `status`: now if it just changed. */
  at(type: string, status: string, now: number): string {
    const known = this.since.get(type);
    if (known?.status === status) return apiTime(known.at);
    this.since.set(type, { status, at: now });
    return apiTime(now);
  }
}

/** The pod's `status` as JSON for a merge patch (lists replace the stored ones whole). */
export function apiPodStatus(report: PodReport, clock: ConditionClock, now = Date.now()): Record<string, unknown> {
  const { container } = report;
  const notReady = {
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${container.name}]`,
  };
  const condition = (type: string, ok: boolean, whenFalse?: { reason: string; message: string }): Condition => {
    const status = ok ? 'True' : 'False';
    return {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: clock.at(type, status, now),
      ...(!ok && whenFalse),
    };
  };
  const conditions: Condition[] = [
    condition('PodReadyToStartContainers', report.podIP !== undefined),
    condition('Initialized', true),
    condition('Ready', report.ready, notReady),
    condition('ContainersReady', report.ready, notReady),
    report.scheduled ?? condition('PodScheduled', true),
  ];
  return {
    phase: report.phase,
    conditions,
    hostIP: report.hostIP,
    hostIPs: [{ ip: report.hostIP }],
    ...(report.podIP !== undefined && { podIP: report.podIP, podIPs: [{ ip: report.podIP }] }),
    startTime: apiTime(report.startTime),
    containerStatuses: [
      {
        name: container.name,
        image: container.image,
        imageID: '',
        ...(container.containerId !== undefined && { containerID: container.containerId }),
        ready: container.ready,
        started: container.started,
        restartCount: container.restartCount,
        state: apiState(container.state),
        lastState: container.lastState ? apiState({ terminated: container.lastState }) : {},
      },
    ],
  };
}

function apiState(state: ContainerState): Record<string, unknown> {
  if ('waiting' in state) return { waiting: { ...state.waiting } };
  if ('running' in state) return { running: { startedAt: apiTime(state.running.startedAt) } };
  const { exitCode, reason, startedAt, finishedAt } = state.terminated;
  return {
    terminated: {
      exitCode,
      reason,
      ...(startedAt !== undefined && { startedAt: apiTime(startedAt) }),
      finishedAt: apiTime(finishedAt),
    },
  };
}

/** How a container's process ended, as the kubelet words it: signals as 128 + their number (137 for SIGKILL). */
export function terminated(
  how: { readonly code: number } | { readonly signal: string },
  times: { readonly startedAt?: number; readonly finishedAt: number },
): Terminated {
  const exitCode = 'code' in how ? how.code : 128 + (constants.signals[how.signal as NodeJS.Signals] ?? 0);
  return { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', ...times };
}

/** The end of a process from the pod runner's words: `code 0, …` or `signal SIGKILL, …` (see pod.ts). */
export function parseExit(detail: string | undefined): { code: number } | { signal: string } | undefined {
  const match = /(?:^|exited with )(code|signal) (\w+)/.exec(detail ?? '');
  if (!match) return undefined;
  return match[1] === 'code' ? { code: Number(match[2]) } : { signal: match[2] as string };
}

/** An API timestamp: RFC 3339 in whole seconds, as the API server stores them. */
export function apiTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
