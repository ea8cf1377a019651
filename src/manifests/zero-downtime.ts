import type { k8s } from 'cdk8s-plus-28';
import type { PlatformProfile } from '../platforms/profile.js';
import { APP_SHUTDOWN_BUDGET_SECONDS, platformTimings } from '../platforms/timings.js';
import { SettingError } from '../runtime/errors.js';
import type { ZeroDowntimeProps } from '../spec/app-props.js';
import { settingDefault } from '../spec/settings.js';
import { type PreStopDefaults, type ResolvedPreStop, resolvePreStop } from './pre-stop.js';
import { renderReadinessProbe } from './readiness-probe.js';
import { checkInteger, resolveIntOrPercent } from './setting-checks.js';

/** The zero-downtime settings, checked and ready to render. */
export interface ResolvedZeroDowntime {
  /** @default - none: switched off */
  readonly readinessProbe?: k8s.Probe;
  /** @default - none: switched off */
  readonly preStop?: ResolvedPreStop;
  /** What the hook defaults to on this platform and Kubernetes version (also when it is switched off). */
  readonly preStopDefaults: PreStopDefaults;
  readonly terminationGracePeriodSeconds: number;
  readonly maxSurge: number | string;
  readonly maxUnavailable: number | string;
  readonly podDisruptionBudget: boolean;
  /**
   * Annotations of the pod template: a sidecar proxy's drain, as long as the preStop sleep, so that the sidecar
   * keeps accepting while the app's hook waits.
   * @default - none: the platform has no sidecar, or the preStop hook is switched off
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

/** The app facts the zero-downtime settings are checked against. */
export interface AppFacts {
  readonly port: number;
  readonly replicas: number;
  /** What sends the pods requests: the preStop sleep's default covers its worst propagation. */
  readonly platform: PlatformProfile;
  /** The target runs the native sleep action (Kubernetes ≥ 1.30): the hook's default action. */
  readonly nativeSleep: boolean;
}

/** Applies the defaults and checks the rules; errors name fields under `zeroDowntime.`. */
export function resolveZeroDowntime(props: ZeroDowntimeProps, app: AppFacts): ResolvedZeroDowntime {
  try {
    return resolve(props, app);
  } catch (error) {
    throw error instanceof SettingError ? error.under('zeroDowntime') : error;
  }
}

function resolve(props: ZeroDowntimeProps, app: AppFacts): ResolvedZeroDowntime {
  const readinessProbe =
    props.readinessProbe === false
      ? undefined
      : within('readinessProbe', () => renderReadinessProbe(props.readinessProbe || {}, app.port));
  const timings = platformTimings(app.platform);
  const defaults = { sleepSeconds: timings.preStopSeconds, nativeSleep: app.nativeSleep };
  const preStop =
    props.preStop === false ? undefined : within('preStop', () => resolvePreStop(props.preStop || {}, defaults));
  const sleepSeconds = preStop?.sleepSeconds ?? 0;
  const terminationGracePeriodSeconds =
    props.terminationGracePeriodSeconds ?? sleepSeconds + APP_SHUTDOWN_BUDGET_SECONDS;
  checkInteger('terminationGracePeriodSeconds', terminationGracePeriodSeconds, 1);
  if (sleepSeconds >= terminationGracePeriodSeconds) {
    throw new SettingError(
      'preStop.sleepSeconds',
      `must be shorter than terminationGracePeriodSeconds (${terminationGracePeriodSeconds}), or the pod is SIGKILLed during the hook`,
      sleepSeconds,
    );
  }
  const maxSurge = props.rolling?.maxSurge ?? settingDefault('zeroDowntime.rolling.maxSurge');
  const maxUnavailable = props.rolling?.maxUnavailable ?? settingDefault('zeroDowntime.rolling.maxUnavailable');
  if (resolveIntOrPercent('rolling.maxSurge', maxSurge, app.replicas, 'up') < 1) {
    throw new SettingError(
      'rolling.maxSurge',
      `must come to at least 1 pod with ${app.replicas} replica(s), or a rollout with maxUnavailable 0 cannot start`,
      maxSurge,
    );
  }
  if (resolveIntOrPercent('rolling.maxUnavailable', maxUnavailable, app.replicas, 'down') !== 0) {
    throw new SettingError(
      'rolling.maxUnavailable',
      `must come to 0 pods with ${app.replicas} replica(s), so that ready pods never drop below replicas`,
      maxUnavailable,
    );
  }
  return {
    readinessProbe,
    preStop,
    preStopDefaults: defaults,
    terminationGracePeriodSeconds,
    maxSurge,
    maxUnavailable,
    podDisruptionBudget:
      (props.podDisruptionBudget ?? settingDefault('zeroDowntime.podDisruptionBudget')) && app.replicas >= 2,
    ...sidecarAnnotations(app.platform, preStop),
  };
}

/** A sidecar that drains as long as the app's preStop sleep (`platformTimings`: drain = preStop). */
function sidecarAnnotations(
  platform: PlatformProfile,
  preStop: ResolvedPreStop | undefined,
): Pick<ResolvedZeroDowntime, 'podAnnotations'> {
  const { sidecar } = platform;
  if (sidecar === undefined || preStop === undefined) return {};
  return { podAnnotations: { [sidecar.drainAnnotation]: sidecar.drainAnnotationValue(preStop.sleepSeconds) } };
}

function within<T>(prefix: string, render: () => T): T {
  try {
    return render();
  } catch (error) {
    throw error instanceof SettingError ? error.under(prefix) : error;
  }
}
