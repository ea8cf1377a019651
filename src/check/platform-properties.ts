import type { JsonObject } from '../input/json-value.js';
import type { PlatformProfile } from '../platforms/profile.js';
import { minimumPreStopSeconds } from '../platforms/timings.js';

/** The platform a check judged against, with its numbers and sources: SARIF's and JSON's `properties`. */
export function platformProperties(profile: PlatformProfile): JsonObject {
  return {
    platform: profile.name,
    title: profile.title,
    propagationSeconds: { ...profile.propagation.seconds },
    minimumPreStopSeconds: minimumPreStopSeconds(profile),
    terminatingTraffic: profile.terminating.traffic,
    sources: profile.sources.map((source) => source.ref),
  };
}
