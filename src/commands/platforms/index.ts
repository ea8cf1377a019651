import { atLeast } from '../../input/flag-checks.js';
import { allPlatforms, isPlatformName, PLATFORM_NAMES, platformProfile } from '../../platforms/index.js';
import { UsageError } from '../../runtime/errors.js';
import { platformJson } from './platform-json.js';
import { platformDetail, platformsListing } from './platforms-text.js';

export interface PlatformsOptions {
  /** One platform, shown in full. @default - all, as a listing */
  readonly name?: string;
  /** @default 'human' */
  readonly format?: 'human' | 'json';
  /** The OpenShift router's reload interval. @default 5 */
  readonly reloadIntervalSeconds?: number;
  /** @default process.stdout */
  readonly write?: (text: string) => void;
}

/** `zdd platforms [NAME]`: the platform profiles, with the timings synth and check derive from them. */
export function platforms(options: PlatformsOptions): void {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const tuning =
    options.reloadIntervalSeconds === undefined
      ? {}
      : { reloadIntervalSeconds: atLeast('--reload-interval', options.reloadIntervalSeconds, 1) };
  const json = options.format === 'json';
  if (options.name === undefined) {
    const profiles = allPlatforms(tuning);
    write(
      json ? `${JSON.stringify({ platforms: profiles.map(platformJson) }, null, 2)}\n` : platformsListing(profiles),
    );
    return;
  }
  if (!isPlatformName(options.name)) {
    throw new UsageError(
      `platforms: no platform ${JSON.stringify(options.name)}; choose one of ${PLATFORM_NAMES.join(', ')}`,
    );
  }
  const profile = platformProfile(options.name, tuning);
  write(json ? `${JSON.stringify(platformJson(profile), null, 2)}\n` : platformDetail(profile));
}
