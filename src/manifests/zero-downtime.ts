import type { k8s } from 'cdk8s-plus-28';
import { SettingError } from '../runtime/errors.js';
import type { ZeroDowntimeProps } from '../spec/app-props.js';
import { settingDefault } from '../spec/settings.js';
import { type ResolvedPreStop, resolvePreStop } from './pre-stop.js';
import { renderReadinessProbe } from './readiness-probe.js';
import { checkInteger, resolveIntOrPercent } from './setting-checks.js';

/** The zero-downtime settings, checked and ready to render. */
export interface ResolvedZeroDowntime {
  /** @default - none: switched off */
  readonly readinessProbe?: k8s.Probe;
  /** @default - none: switched off */
  readonly preStop?: ResolvedPreStop;
  readonly terminationGracePeriodSeconds: number;
  readonly maxSurge: number | string;
  readonly maxUnavailable: number | string;
  readonly podDisruptionBudget: boolean;
}

/** The app facts the zero-downtime settings are checked against. */
export interface AppFacts {
  readonly port: number;
  readonly replicas: number;
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
  const preStop = props.preStop === false ? undefined : within('preStop', () => resolvePreStop(props.preStop || {}));
  const sleepSeconds = preStop?.sleepSeconds ?? 0;
  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? sleepSeconds + 30;
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
    terminationGracePeriodSeconds,
    maxSurge,
    maxUnavailable,
    podDisruptionBudget:
      (props.podDisruptionBudget ?? settingDefault('zeroDowntime.podDisruptionBudget')) && app.replicas >= 2,
  };
}

function within<T>(prefix: string, render: () => T): T {
  try {
    return render();
  } catch (error) {
    throw error instanceof SettingError ? error.under(prefix) : error;
  }
}
