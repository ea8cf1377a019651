/**
 * The k6-operator's runner pods as zdd reads them from `kubectl get pods --output json`: which run, which segment
 * each runs, and which cannot start. Pure.
 */
import { STUCK_REASONS } from '../../cluster/remote/rollout-state.js';

/** One runner pod. */
export interface RunnerPod {
  readonly name: string;
  /** Pending, Running, Succeeded, Failed. */
  readonly phase: string;
  /** Its `--execution-segment`, e.g. `1/3:2/3`; undefined when it runs the whole test. */
  readonly segment?: string;
  /** Why it will not start by itself (ErrImagePull, …), with the kubelet's message. */
  readonly stuck?: string;
}

interface PodJson {
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly containers?: ReadonlyArray<{ readonly command?: readonly string[]; readonly args?: readonly string[] }>;
  };
  readonly status?: {
    readonly phase?: string;
    readonly containerStatuses?: ReadonlyArray<{
      readonly state?: { readonly waiting?: { readonly reason?: string; readonly message?: string } };
    }>;
  };
}

/** The runner pods of a pod list, by name. */
export function readRunnerPods(list: { readonly items?: readonly unknown[] }): RunnerPod[] {
  return (list.items ?? []).map((item) => {
    const pod = item as PodJson;
    const container = pod.spec?.containers?.[0];
    const words = [...(container?.command ?? []), ...(container?.args ?? [])];
    const segment = words
      .flatMap((word) => word.split(/\s+/))
      .find((word) => word.startsWith('--execution-segment='))
      ?.slice('--execution-segment='.length);
    const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
    return {
      name: pod.metadata?.name ?? '',
      phase: pod.status?.phase ?? 'Pending',
      ...(segment && { segment }),
      ...(waiting?.reason &&
        STUCK_REASONS.has(waiting.reason) && {
          stuck: `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`,
        }),
    };
  });
}

/** A pod whose container has started: its log can be followed from its first line. */
export function hasStarted(pod: RunnerPod): boolean {
  return pod.phase === 'Running' || pod.phase === 'Succeeded' || pod.phase === 'Failed';
}
