import { cutText, UsageError } from '../../runtime/errors.js';
import { ROUTER_RELOAD_INTERVAL } from '../../spec/router-reload-interval.js';

/** Spellings zdd took before, each refused with a hint naming the flag that replaced it. */
const FORMER_SPELLINGS: ReadonlyMap<string, string> = new Map(
  ROUTER_RELOAD_INTERVAL.formerFlags.map((former) => [former, ROUTER_RELOAD_INTERVAL.flag]),
);

/**
 * A yargs `coerce` for a numeric flag: the text as typed becomes a number, or
 * an error that echoes the text (yargs' own number type would say "NaN").
 */
export function numberFlag(flag: string): (value: unknown) => number {
  return (value) => {
    if (typeof value === 'number') return value;
    const text = String(Array.isArray(value) ? value.at(-1) : value).trim();
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) {
      throw new UsageError(`${flag}: expected a number, got ${JSON.stringify(cutText(text))}`);
    }
    return Number(text);
  };
}

/**
 * A flag given twice is an error, not a silent choice between the two values:
 * in a CI gate the second one is often a leftover. `repeatable` flags add a
 * value each time. `--no-x` counts as `--x`; everything after `--` is not a flag.
 */
export function checkRepeatedFlags(argv: readonly string[], repeatable: ReadonlySet<string>): void {
  const seen = new Map<string, string[]>();
  for (const [index, token] of argv.entries()) {
    if (token === '--') break;
    if (!token.startsWith('--') || token.length === 2) continue;
    const [raw = '', inline] = token.slice(2).split(/=(.*)/s, 2);
    const name = raw.startsWith('no-') ? raw.slice(3) : raw;
    const next = argv[index + 1];
    const value = inline ?? (raw.startsWith('no-') ? 'false' : next !== undefined && !next.startsWith('-') ? next : '');
    const values = seen.get(name) ?? [];
    values.push(value);
    seen.set(name, values);
  }
  for (const [name, values] of seen) {
    if (values.length > 1 && !repeatable.has(name)) {
      const shown = values.filter((value) => value !== '').map((value) => cutText(value, 60));
      throw new UsageError(
        `--${name} is given ${values.length} times${shown.length > 0 ? ` (${shown.join(', ')})` : ''}; give it once`,
      );
    }
  }
}

/** The flags one command declares, as yargs holds them after its builder ran. */
export interface DeclaredFlags {
  /** Every flag name, short aliases included (`follow`, `f`). */
  readonly names: ReadonlySet<string>;
  /** The flags that take no value (`--stdout`, `--no-prestop`). */
  readonly switches: ReadonlySet<string>;
}

/** A negative number, which yargs takes as a flag's value although it starts with "-" (as yargs-parser decides). */
const NEGATIVE_NUMBER = /^-([0-9]+(\.[0-9]+)?|\.[0-9]+)$/;

/**
 * One spelling per flag: the one declared. yargs would also take `--maxErrorRate`, `--image.x`, `--no-image`
 * and `--pdb=yes` (as false), and a flag without its value; each of these is refused here, by the token the
 * user typed. Everything after `--` is not a flag.
 */
export function checkFlagSpellings(argv: readonly string[], declared: DeclaredFlags): void {
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] as string;
    if (token === '--') return;
    if (token === '-' || !token.startsWith('-') || NEGATIVE_NUMBER.test(token)) continue;
    const long = token.startsWith('--');
    const [name = '', inline] = token.slice(long ? 2 : 1).split(/=(.*)/s, 2);
    const shown = `${long ? '--' : '-'}${name}`;
    const negated = long && name.startsWith('no-') && declared.switches.has(name.slice(3));
    // A single dash takes one letter (`-f`); yargs would read `-stdout` as -s -t -d -o -u -t.
    const known = long ? declared.names.has(name) : name.length === 1 && declared.names.has(name);
    if (!known && !negated) {
      throw new UsageError(`unknown option ${cutText(shown, 60)}${spellingHint(name, long, declared)}`);
    }
    if (declared.switches.has(name) || negated) {
      if (inline !== undefined && (negated || !/^(true|false)$/.test(inline))) {
        throw new UsageError(
          `${shown} takes no value${negated ? '' : ' (or =true, =false)'}, got ${JSON.stringify(cutText(inline, 60))}`,
        );
      }
      continue;
    }
    if (inline !== undefined) continue;
    const next = argv[index + 1];
    if (next === undefined || next === '--' || (next.startsWith('-') && !NEGATIVE_NUMBER.test(next))) {
      const looksLikeFlag = next === undefined || next === '--' || isDeclared(next, declared);
      throw new UsageError(
        `${shown} needs a value${looksLikeFlag ? '' : `; to give ${JSON.stringify(cutText(next, 60))}, write ${shown}=${cutText(next, 60)}`}`,
      );
    }
    index++;
  }
}

function isDeclared(token: string, declared: DeclaredFlags): boolean {
  const name = token.replace(/^--?/, '').split('=', 1)[0] ?? '';
  return declared.names.has(name) || (name.startsWith('no-') && declared.switches.has(name.slice(3)));
}

/** " (the flag is spelled --max-error-rate)" for `--maxErrorRate`, `--max_error_rate`, `--Max-Error-Rate`; else "". */
function spellingHint(name: string, long: boolean, declared: DeclaredFlags): string {
  const kebab = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  const [base = ''] = kebab.split('.', 1);
  const renamed = FORMER_SPELLINGS.get(kebab);
  if (long && renamed !== undefined && declared.names.has(renamed)) return ` (the flag is spelled --${renamed})`;
  for (const candidate of [kebab, base]) {
    if ((candidate !== name || !long) && candidate.length > 1 && declared.names.has(candidate)) {
      return ` (the flag is spelled --${candidate})`;
    }
  }
  if (long && name.startsWith('no-') && declared.names.has(name.slice(3))) {
    return ` (--${name.slice(3)} takes a value; it has no --no- form)`;
  }
  return '';
}

/**
 * yargs' multi-line messages as one line that names the flag, e.g. `--load: expected one of k6, builtin, got "x"`.
 * `required` says, per command (`local rollout`), what its missing positional argument is.
 */
export function oneLineYargsMessage(
  message: string,
  argv: readonly string[] = [],
  required: Readonly<Record<string, string>> = {},
): string {
  const words = argv.filter((token) => !token.startsWith('-'));
  if (/^Not enough non-option arguments/.test(message.trim())) {
    const command = [words.slice(0, 2).join(' '), words[0] ?? ''].find((path) => required[path] !== undefined);
    if (command !== undefined) return `${command}: ${required[command]}`;
  }
  const suggestion = /^Did you mean (.+)\?$/.exec(message.trim())?.[1];
  if (suggestion !== undefined) {
    const typed = closestWord(words, suggestion);
    return `unknown command${typed === undefined ? '' : ` ${JSON.stringify(cutText(typed, 60))}`}; did you mean ${suggestion}?`;
  }
  const choice = /^Invalid values:\s*Argument: (\S+), Given: (.*), Choices: (.*)$/s.exec(message.trim());
  if (choice) {
    const [, name, given, choices] = choice;
    const options = (choices ?? '').split(/,\s*/).map((text) => text.replace(/^"|"$/g, ''));
    return `--${name}: expected one of ${options.join(', ')}, got ${cutText(given ?? '')}`;
  }
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message.trim());
  if (unknown) {
    const words = (unknown[1] ?? '').split(/,\s*/).map((name) => {
      // yargs names both unknown options and stray words; the command line tells them apart.
      if (argv.includes(name)) return JSON.stringify(cutText(name, 60));
      return name.length === 1 ? `-${name}` : `--${name}`;
    });
    const commands = words.every((word) => word.startsWith('"'));
    return commands
      ? `unknown command or argument ${words.join(', ')}`
      : `unknown option${words.length > 1 ? 's' : ''} ${words.join(', ')}`;
  }
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** The word in `words` that `suggestion` was made for: the one sharing the longest start with it. */
function closestWord(words: readonly string[], suggestion: string): string | undefined {
  let best: string | undefined;
  let bestLength = -1;
  for (const word of words) {
    if (word === suggestion) continue;
    let length = 0;
    while (length < word.length && word[length] === suggestion[length]) length++;
    if (length > bestLength) {
      best = word;
      bestLength = length;
    }
  }
  return best;
}
