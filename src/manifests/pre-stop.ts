import type { k8s } from 'cdk8s-plus-28';
import { DEFAULT_PLATFORM, platformProfile } from '../platforms/index.js';
import { platformTimings } from '../platforms/timings.js';
import { SettingError } from '../runtime/errors.js';
import type { PreStopProps } from '../spec/app-props.js';
import { PRE_STOP_ACTIONS, type PreStopAction } from '../spec/choices.js';
import { settingDefault } from '../spec/settings.js';
import { checkInteger } from './setting-checks.js';

/** What the hook does, resolved and checked. */
export interface ResolvedPreStop {
  readonly action: PreStopAction;
  readonly sleepSeconds: number;
  /** Run after the sleep (exec only); empty for none. */
  readonly shutdownCommand: string;
  /**
   * The typed handler, for `exec`.
   * @default - none for `sleep`: the native sleep action is newer than the k8s 1.28 types
   */
  readonly handler?: k8s.LifecycleHandler;
}

/** What the hook defaults to: on the platform, and on the Kubernetes version, the manifests are for. */
export interface PreStopDefaults {
  /** The platform's preStop sleep (`platformTimings`). */
  readonly sleepSeconds: number;
  /** The target runs the native sleep action (Kubernetes ≥ 1.30). */
  readonly nativeSleep: boolean;
}

/** The defaults on the default platform, for an unknown Kubernetes version. */
export const DEFAULT_PRE_STOP: PreStopDefaults = {
  sleepSeconds: platformTimings(platformProfile(DEFAULT_PLATFORM)).preStopSeconds,
  nativeSleep: false,
};

export function resolvePreStop(props: PreStopProps, defaults: PreStopDefaults = DEFAULT_PRE_STOP): ResolvedPreStop {
  const shutdownCommand = props.shutdownCommand ?? settingDefault('zeroDowntime.preStop.shutdownCommand');
  // The native action runs no command: a shutdown command keeps the exec hook that can run it.
  const action = props.action ?? (defaults.nativeSleep && shutdownCommand === '' ? 'sleep' : 'exec');
  const sleepSeconds = props.sleepSeconds ?? defaults.sleepSeconds;
  if (!PRE_STOP_ACTIONS.includes(action)) {
    throw new SettingError('action', `must be one of ${PRE_STOP_ACTIONS.map((a) => `"${a}"`).join(', ')}`, action);
  }
  checkInteger('sleepSeconds', sleepSeconds, action === 'sleep' ? 1 : 0);
  if (action === 'sleep') {
    if (shutdownCommand !== '') {
      throw new SettingError(
        'shutdownCommand',
        'cannot run with action "sleep" (the native sleep action runs no command); set it to "" or use action "exec"',
        shutdownCommand,
      );
    }
    return { action, sleepSeconds, shutdownCommand };
  }
  const script = [`sleep ${sleepSeconds}`, shutdownCommand].filter((part) => part !== '').join('; ');
  return { action, sleepSeconds, shutdownCommand, handler: { exec: { command: ['/bin/sh', '-c', script] } } };
}
