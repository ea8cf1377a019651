import type { k8s } from 'cdk8s-plus-28';
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

export function resolvePreStop(props: PreStopProps): ResolvedPreStop {
  const action = props.action ?? settingDefault('zeroDowntime.preStop.action');
  const sleepSeconds = props.sleepSeconds ?? settingDefault('zeroDowntime.preStop.sleepSeconds');
  const shutdownCommand = props.shutdownCommand ?? settingDefault('zeroDowntime.preStop.shutdownCommand');
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
