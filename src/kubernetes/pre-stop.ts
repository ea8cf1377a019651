/**
 * A container's preStop hook read for how long it keeps a terminating pod
 * serving: the native `sleep` action, or `sleep N` run by exec, alone
 * (`["sleep", "5"]`) or through a shell (`["/bin/sh", "-c", "sleep 5; stop.sh"]`,
 * with `;`, `&&`, `||` and newlines between commands). Anything else is "unknown".
 * The generated hook (src/manifests/pre-stop.ts) is read back with it too.
 */

/** How an exec preStop sleeps: through a shell (`sh -c "sleep 10; …"`) or the `sleep` binary itself. */
export type ExecSleep = 'shell' | 'binary';

/** What a preStop hook does before SIGTERM, as far as zdd can tell. */
export type PreStopSleep =
  /** The kubelet's native sleep action (Kubernetes ≥ 1.30). */
  | { readonly how: 'native'; readonly seconds: number }
  /** exec `sleep N`; `after` is what the script runs once the sleeps are over (undefined: nothing). */
  | { readonly how: ExecSleep; readonly seconds: number; readonly after: string | undefined }
  /** A hook without a sleep zdd can read: an httpGet, or a command that does not sleep first. */
  | { readonly how: 'unknown'; readonly command: string | undefined };

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** A `lifecycle.preStop` value as written; undefined when there is no hook. */
export function preStopSleep(hook: unknown): PreStopSleep | undefined {
  if (typeof hook !== 'object' || hook === null || Array.isArray(hook)) return undefined;
  const { sleep, exec, httpGet } = hook as { sleep?: unknown; exec?: unknown; httpGet?: unknown };
  const seconds = (sleep as { seconds?: unknown } | undefined)?.seconds;
  if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 0) return { how: 'native', seconds };
  const command = (exec as { command?: unknown } | undefined)?.command;
  if (Array.isArray(command)) {
    const words = command.map(String);
    const execSleep = execSleepOf(words);
    if (execSleep?.seconds !== undefined) {
      const after = execSleep.how === 'shell' ? commandsAfterSleep(words[words.length - 1] ?? '') : undefined;
      return { how: execSleep.how, seconds: execSleep.seconds, after };
    }
    const shell = SHELLS.has(basename(words[0])) && words.length > 2;
    return { how: 'unknown', command: shell ? words[words.length - 1] : words.join(' ') };
  }
  if (typeof httpGet === 'object' && httpGet !== null) {
    return { how: 'unknown', command: `GET ${String((httpGet as { path?: unknown }).path ?? '/')}` };
  }
  return { how: 'unknown', command: undefined };
}

/** The commands of a shell script that run after its leading `sleep`s, joined with "; "; undefined when none. */
function commandsAfterSleep(script: string): string | undefined {
  const pieces = script.split(/(?:;|&&|\|\||\n)/).map((piece) => piece.trim());
  let index = 0;
  while (index < pieces.length && (pieces[index] === '' || /^(exec\s+)?(\S*\/)?sleep\s/.test(pieces[index] ?? '')))
    index++;
  const rest = pieces.slice(index).filter((piece) => piece !== '');
  return rest.length === 0 ? undefined : rest.join('; ');
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
