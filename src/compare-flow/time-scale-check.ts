import { builtinStartupProfile } from '../cluster/local/images.js';
import type { ClusterObjects, ProbeSpec, WorkloadObject } from '../cluster/local/objects.js';
import { sidecarDrainSeconds } from '../cluster/local/sidecar.js';
import { OPENSHIFT_ROUTER_TIMINGS } from '../cluster/router/router.js';
import { platformProfile } from '../platforms/index.js';
import type { PlatformProfile } from '../platforms/profile.js';
import { UsageError } from '../runtime/errors.js';
import { preStopSleepSeconds } from './floor.js';
import type { ComparePlan } from './options.js';

/**
 * The shortest a scaled duration that decides the outcome may last, real ms.
 * What the time scale cannot speed up — a process starting (40–300 ms for
 * Node.js, on a busy machine), a probe or a request being answered, a timer
 * firing late on a loaded event loop (tens of ms under `stress-ng --cpu 2`) —
 * must stay small beside every scaled duration, or it changes the order of
 * events that decides whether requests fail, and a sped-up run no longer
 * proves what the real-speed run would.
 */
export const MIN_SCALED_MS = 100;

/** One duration of the run that the time scale shrinks, and where it comes from. */
interface ScaledDuration {
  readonly what: string;
  /** Nominal ms. */
  readonly ms: number;
}

/**
 * Refuses (UsageError) a `--time-scale` that would shrink a duration that
 * decides the outcome below `MIN_SCALED_MS`: names the shortest one and the
 * smallest time scale that keeps it. Checked before anything is deployed.
 */
export function checkTimeScale(
  objects: ClusterObjects,
  plan: Pick<ComparePlan, 'timeScale' | 'reloadIntervalSeconds' | 'target' | 'platform'>,
): void {
  if (plan.target !== 'local' || plan.timeScale >= 1) return;
  const platform = platformProfile(plan.platform, { reloadIntervalSeconds: plan.reloadIntervalSeconds });
  const durations = decisiveDurations(objects, platform, plan.reloadIntervalSeconds).filter((d) => d.ms > 0);
  const shortest = durations.reduce<ScaledDuration | undefined>(
    (min, duration) => (min === undefined || duration.ms < min.ms ? duration : min),
    undefined,
  );
  if (shortest === undefined || shortest.ms * plan.timeScale >= MIN_SCALED_MS) return;
  const lowest = Math.ceil((MIN_SCALED_MS / shortest.ms) * 100) / 100;
  throw new UsageError(
    `--time-scale ${plan.timeScale}: ${shortest.what} (${seconds(shortest.ms)}) would last ${round(shortest.ms * plan.timeScale)} ms, shorter than the ${MIN_SCALED_MS} ms below which what the time scale cannot speed up (a process starting, a probe answered, a timer firing late on a busy machine) changes which requests fail; use --time-scale ${lowest} or more`,
  );
}

/** Every nominal duration the local cluster scales and whose length decides which requests fail. */
function decisiveDurations(
  objects: ClusterObjects,
  platform: PlatformProfile,
  reloadIntervalSeconds: number,
): ScaledDuration[] {
  // The manifests' own first: of equally short ones, the message names one the user can change.
  return [
    ...objects.workloads.flatMap(workloadDurations),
    ...objects.workloads.flatMap((workload) => sidecarDurations(workload, platform)),
    ...platformDurations(platform, reloadIntervalSeconds),
  ];
}

/** The emulated platform's delays: a reload interval, or how late endpoints leave and join; retries. */
function platformDurations(platform: PlatformProfile, reloadIntervalSeconds: number): ScaledDuration[] {
  const { emulation, name } = platform;
  const durations: ScaledDuration[] =
    emulation.kind === 'reload-interval'
      ? [{ what: "the router's reload interval (--reload-interval)", ms: reloadIntervalSeconds * 1000 }]
      : [
          {
            what: `${name}'s delay before a removed endpoint stops getting requests`,
            ms: emulation.removeSeconds * 1000,
          },
          { what: `${name}'s delay before a new endpoint gets requests`, ms: emulation.addSeconds * 1000 },
        ];
  if (emulation.refusedConnection === 'retry') {
    durations.push({ what: "the router's retry turn-around", ms: OPENSHIFT_ROUTER_TIMINGS.retryDelayMs });
  }
  return durations;
}

/** A sidecar's drain, as each workload's pods get it. */
function sidecarDurations(workload: WorkloadObject, platform: PlatformProfile): ScaledDuration[] {
  if (!platform.sidecar) return [];
  const drain = sidecarDrainSeconds(platform.sidecar, workload.spec.template.metadata.annotations);
  return [{ what: `${workload.kind}/${workload.metadata.name}'s sidecar drain`, ms: drain * 1000 }];
}

function workloadDurations(workload: WorkloadObject): ScaledDuration[] {
  const name = `${workload.kind}/${workload.metadata.name}`;
  const pod = workload.spec.template.spec;
  const container = pod.containers[0];
  const durations: ScaledDuration[] = [
    { what: `${name}'s terminationGracePeriodSeconds`, ms: pod.terminationGracePeriodSeconds * 1000 },
    { what: `${name}'s minReadySeconds`, ms: workload.spec.minReadySeconds * 1000 },
  ];
  if (workload.kind === 'DeploymentConfig' && workload.spec.strategy.type === 'Rolling') {
    const params = workload.spec.strategy.rollingParams;
    durations.push(
      { what: `${name}'s rollingParams.intervalSeconds`, ms: params.intervalSeconds * 1000 },
      { what: `${name}'s rollingParams.updatePeriodSeconds`, ms: params.updatePeriodSeconds * 1000 },
    );
  }
  if (!container) return durations;
  for (const [kind, probe] of [
    ['readinessProbe', container.readinessProbe],
    ['livenessProbe', container.livenessProbe],
    ['startupProbe', container.startupProbe],
  ] as const) {
    if (probe) durations.push(...probeDurations(`${name}'s ${kind}`, probe));
  }
  const sleep = preStopSleepSeconds(container.lifecycle?.preStop);
  if (sleep !== undefined) durations.push({ what: `${name}'s preStop sleep`, ms: sleep * 1000 });
  const startup = builtinStartupProfile(container.image);
  if (startup) {
    durations.push(
      { what: `${container.image}'s boot (port closed)`, ms: startup.bootMs },
      { what: `${container.image}'s warm-up`, ms: startup.warmupMs },
    );
  }
  return durations;
}

function probeDurations(what: string, probe: ProbeSpec): ScaledDuration[] {
  return [
    { what: `${what}.periodSeconds`, ms: probe.periodSeconds * 1000 },
    { what: `${what}.initialDelaySeconds`, ms: probe.initialDelaySeconds * 1000 },
  ];
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
