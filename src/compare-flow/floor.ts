import { builtinStartupProfile } from '../cluster/local/images.js';
import type { ClusterObjects, HandlerSpec, WorkloadObject } from '../cluster/local/objects.js';
import { resolveCount } from '../kubernetes/count-or-percent.js';
import { preStopSleep } from '../kubernetes/pre-stop.js';
import type { ComparePlan } from './options.js';

/**
 * The shortest a `compare` run on the local cluster can take, from the
 * manifests' own timings and the start-up profile of each workload's image,
 * in nominal seconds (multiply by the time scale): the first pods getting
 * ready, the warm-up, each round's slower rollout, the cool-down. `npm run
 * bench` sets the measured wall time against it.
 */
export function compareFloorSeconds(
  objects: ClusterObjects,
  plan: Pick<ComparePlan, 'warmupSeconds' | 'cooldownSeconds' | 'rounds'>,
): number {
  const deploy = Math.max(...objects.workloads.map(podReadySeconds));
  const rollout = Math.max(...objects.workloads.map(rolloutFloorSeconds));
  return deploy + plan.warmupSeconds + plan.rounds * rollout + plan.cooldownSeconds;
}

/**
 * When a new pod can first be ready: at once without a readinessProbe, else at
 * the first probe after its image serves (at once for an image whose start-up
 * is unknown: the floor stays a lower bound).
 */
function podReadySeconds(workload: WorkloadObject): number {
  const container = workload.spec.template.spec.containers[0];
  const probe = container?.readinessProbe;
  if (!probe) return 0;
  const startup = builtinStartupProfile(container?.image ?? '');
  const serves = startup ? (startup.bootMs + startup.warmupMs) / 1000 : 0;
  const after = Math.max(0, serves - probe.initialDelaySeconds);
  return probe.initialDelaySeconds + Math.ceil(after / probe.periodSeconds) * probe.periodSeconds;
}

/** New pods come up `maxSurge` at a time; each step waits for them, then the last old pods run their preStop sleep. */
function rolloutFloorSeconds(workload: WorkloadObject): number {
  const replicas = workload.spec.replicas;
  const rolling =
    workload.kind === 'DeploymentConfig' ? workload.spec.strategy.rollingParams : workload.spec.strategy.rollingUpdate;
  const surge = Math.max(1, resolveCount(rolling.maxSurge, replicas, 'up'));
  const steps = Math.ceil(replicas / surge);
  const stepOverhead =
    workload.kind === 'DeploymentConfig'
      ? workload.spec.strategy.rollingParams.updatePeriodSeconds + workload.spec.strategy.rollingParams.intervalSeconds
      : 0;
  const drain = preStopSleepSeconds(workload.spec.template.spec.containers[0]?.lifecycle?.preStop) ?? 0;
  return steps * (podReadySeconds(workload) + stepOverhead) + drain;
}

/** A preStop hook's sleep, nominal seconds, as the model's one preStop reader reads it; undefined when it has none. */
export function preStopSleepSeconds(preStop: HandlerSpec | undefined): number | undefined {
  const read = preStopSleep(preStop);
  return read === undefined || read.how === 'unknown' ? undefined : read.seconds;
}
