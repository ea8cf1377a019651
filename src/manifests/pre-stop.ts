import type { k8s } from 'cdk8s-plus-28';
import { SettingError } from '../errors.js';
import { PRE_STOP_ACTIONS, type PreStopAction } from '../spec/choices.js';
import { settingDefault } from '../spec/settings.js';
import { checkInteger } from './rules.js';

/**
 * Keeps a terminating pod serving until the router has dropped it. Deleting a pod
 * removes it from the endpoints and starts its termination at the same time; the
 * router applies endpoint changes at most once per reload interval (5 s on
 * OpenShift), so without a pause the app stops listening while still routed to.
 *
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export interface PreStopProps {
  /**
   * How the hook waits. `exec` runs `/bin/sh -c "sleep N; <shutdownCommand>"` in
   * the container (the image needs a shell). `sleep` uses the kubelet's native
   * sleep action (Kubernetes ≥ 1.30, OpenShift ≥ 4.17), which needs no shell
   * but cannot run a command: the app must then shut down gracefully on SIGTERM.
   * @default 'exec'
   */
  readonly action?: PreStopAction;
  /**
   * Seconds the terminating pod keeps serving. Make it longer than the router's
   * reload interval plus the time endpoint changes take to reach the router.
   * @default 10
   */
  readonly sleepSeconds?: number;
  /**
   * Shell command run after the sleep to stop the app gracefully (exec only);
   * empty for none.
   * @default - none: the kubelet's SIGTERM follows the sleep
   */
  readonly shutdownCommand?: string;
}

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
