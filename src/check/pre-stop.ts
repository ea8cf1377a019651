import type { FieldPath } from '../kubernetes/object.js';
import type { Fields } from './fields.js';

/** How an exec preStop sleeps: through a shell (`sh -c "sleep 10; …"`) or the `sleep` binary itself. */
export type ExecSleep = 'shell' | 'binary';

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

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

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

/**
 * The seconds an exec command sleeps before it goes on: `["/bin/sh", "-c",
 * "sleep 10; shutdown.sh"]` (each `sleep` of the script run in sequence, not
 * those sent to the background with `&`) or `["sleep", "10"]`.
 */
export function execSleepOf(command: readonly string[]): { seconds: number | undefined; how: ExecSleep } | undefined {
  let args = [...command];
  if (basename(args[0]) === 'env') args = args.slice(1);
  const program = basename(args[0]);
  if (program === 'sleep') {
    const seconds = sleepArguments(args.slice(1));
    return seconds === undefined ? undefined : { seconds, how: 'binary' };
  }
  if (!SHELLS.has(program)) return undefined;
  const rest = program === 'busybox' && args[1] === 'sh' ? args.slice(2) : args.slice(1);
  const flagIndex = rest.findIndex((arg) => /^-[a-z]*c[a-z]*$/.test(arg));
  const script = flagIndex === -1 ? undefined : rest[flagIndex + 1];
  if (script === undefined) return undefined;
  const seconds = scriptSleepSeconds(script);
  return seconds === undefined ? undefined : { seconds, how: 'shell' };
}

/** The seconds a shell script sleeps in its foreground `sleep` commands; undefined when it has none. */
export function scriptSleepSeconds(script: string): number | undefined {
  let total: number | undefined;
  // Commands in sequence: split at ;, &&, ||, newlines; a single & sends the one before it to the background.
  const pieces = script.split(/(;|&&|\|\||\n|&)/);
  for (let index = 0; index < pieces.length; index += 2) {
    if (pieces[index + 1] === '&') continue;
    const words = (pieces[index] ?? '').trim().split(/\s+/);
    if (words[0] === 'exec') words.shift();
    if (basename(words[0]) !== 'sleep') continue;
    const seconds = sleepArguments(words.slice(1));
    if (seconds !== undefined) total = (total ?? 0) + seconds;
  }
  return total;
}

/** GNU and BusyBox sleep: each argument a number with an optional s/m/h/d suffix, added up. */
function sleepArguments(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  let seconds = 0;
  for (const arg of args) {
    const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
    if (!match) return undefined;
    seconds += Number(match[1]) * (SECONDS_PER_UNIT[match[2] ?? ''] ?? 1);
  }
  return seconds;
}

function basename(path: string | undefined): string {
  return (path ?? '').split('/').pop() ?? '';
}
