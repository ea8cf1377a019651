import type { FieldPath } from '../kubernetes/object.js';
import { type ExecSleep, execSleepOf } from '../kubernetes/pre-stop.js';
import type { Fields } from './fields.js';

/** A container's preStop hook, and how long it keeps the pod serving when zdd can tell. */
export interface PreStop {
  /** Seconds from the hook's start until it lets SIGTERM come; undefined when it has no sleep zdd can read. */
  readonly delaySeconds: number | undefined;
  /** `exec "/bin/sh -c sleep 10; …"`, `sleep 10 s`, `httpGet /drain on port 8080`. */
  readonly description: string;
  /** Set when the hook sleeps through exec: the image then needs a shell or a `sleep` binary. */
  readonly execSleep: ExecSleep | undefined;
  /** The native `sleep` action's seconds, when it is used. */
  readonly nativeSleepSeconds: number | undefined;
  readonly path: FieldPath;
}

/** The hook at `fields` (a container's `lifecycle.preStop`); undefined when there is none. */
export function readPreStop(fields: Fields): PreStop | undefined {
  if (fields.record([]) === undefined) return undefined;
  const nativeSleepSeconds = fields.has(['sleep']) ? fields.optionalInteger(['sleep', 'seconds']) : undefined;
  const command = fields.has(['exec']) ? fields.list(['exec', 'command']).map(String) : undefined;
  const exec = command === undefined ? undefined : execSleepOf(command);
  const delays = [nativeSleepSeconds, exec?.seconds].filter((value) => value !== undefined);
  const parts: string[] = [];
  if (command !== undefined) parts.push(`exec ${JSON.stringify(command.join(' '))}`);
  if (fields.has(['sleep'])) parts.push(`sleep ${nativeSleepSeconds ?? '?'} s`);
  if (fields.has(['httpGet'])) {
    parts.push(
      `httpGet ${fields.string(['httpGet', 'path']) ?? '/'} on port ${String(fields.raw(['httpGet', 'port']))}`,
    );
  }
  if (fields.has(['tcpSocket'])) parts.push('tcpSocket (deprecated, does nothing)');
  return {
    // The API allows one action; with more, the longest is the most the hook can wait.
    delaySeconds: delays.length === 0 ? undefined : Math.max(...delays),
    description: parts.length === 0 ? 'no action' : parts.join(' and '),
    execSleep: exec?.seconds === undefined ? undefined : exec.how,
    nativeSleepSeconds,
    path: fields.path(),
  };
}
