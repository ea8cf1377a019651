import { cutText, UsageError } from '../errors.js';

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

/** yargs' multi-line messages as one line that names the flag, e.g. `--load: expected one of k6, builtin, got "x"`. */
export function oneLineYargsMessage(message: string, argv: readonly string[] = []): string {
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
