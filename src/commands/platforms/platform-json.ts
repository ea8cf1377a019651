import type { JsonObject } from '../../input/json-value.js';
import { DEFAULT_PLATFORM } from '../../platforms/index.js';
import type { PlatformProfile } from '../../platforms/profile.js';
import { APP_SHUTDOWN_BUDGET_SECONDS, minimumPreStopSeconds, platformTimings } from '../../platforms/timings.js';

/** One profile as `zdd platforms --format json` prints it: its data, and what synth and check derive from it. */
export function platformJson(profile: PlatformProfile): JsonObject {
  const timings = platformTimings(profile);
  const { sidecar } = profile;
  return {
    name: profile.name,
    title: profile.title,
    default: profile.name === DEFAULT_PLATFORM,
    propagation: { how: profile.propagation.how, seconds: { ...profile.propagation.seconds } },
    terminating: { traffic: profile.terminating.traffic, how: profile.terminating.how },
    draining: profile.draining,
    marginSeconds: profile.marginSeconds,
    synth: {
      preStopSeconds: timings.preStopSeconds,
      terminationGracePeriodSeconds: timings.terminationGracePeriodSeconds,
      appShutdownBudgetSeconds: APP_SHUTDOWN_BUDGET_SECONDS,
      ...(sidecar === undefined || timings.sidecarDrainSeconds === undefined
        ? {}
        : {
            podAnnotations: { [sidecar.drainAnnotation]: sidecar.drainAnnotationValue(timings.sidecarDrainSeconds) },
          }),
    },
    check: { minimumPreStopSeconds: minimumPreStopSeconds(profile) },
    ...(sidecar === undefined
      ? {}
      : { sidecar: { defaultDrainSeconds: sidecar.defaultDrainSeconds, drainAnnotation: sidecar.drainAnnotation } }),
    emulation: { ...profile.emulation },
    assumes: [...profile.assumes],
    sources: profile.sources.map((source) => ({ ref: source.ref, says: source.says })),
  };
}
