import type { Argv } from 'yargs';
import type { CommandContext } from '../commands/command.js';
import {
  checkFlagSpellings,
  checkRepeatedFlags,
  type DeclaredFlags,
  oneLineYargsMessage,
} from '../commands/flags/flag-parsing.js';
import { ExitCode, UsageError } from '../runtime/errors.js';
import { packageVersion } from '../runtime/package-info.js';
import { terminalWidth } from '../runtime/terminal.js';
import { COMMANDS, everyCommand } from './commands.js';
import { yargs } from './word-wrapping-yargs.js';

const ALL = everyCommand();

/** Flags that may be given more than once, each adding a value. */
const REPEATABLE: ReadonlySet<string> = new Set(ALL.flatMap(({ command }) => command.repeatable));

/** What a command's required positional argument is, for yargs' "Not enough non-option arguments". */
const REQUIRED_ARGUMENTS: Readonly<Record<string, string>> = Object.fromEntries(
  ALL.flatMap(({ path, command }) => (command.missingArgument === undefined ? [] : [[path, command.missingArgument]])),
);

/** The positional arguments' names: yargs would also take them as flags (`--files a b`), which they are not. */
const POSITIONAL_NAMES: ReadonlySet<string> = new Set(
  ALL.flatMap(({ command }) =>
    [...command.command.matchAll(/[<[](\w+)(?:\.\.)?[>\]]/g)].map((match) => match[1] ?? ''),
  ),
);

/** The part of yargs' option table that says which flags a command declares (what `.check` is given). */
interface OptionTable {
  readonly key: Readonly<Record<string, unknown>>;
  readonly boolean: readonly string[];
}

/** Runs the command `argv` names; returns its exit code, or throws what it threw (src/cli/main.ts says it). */
export async function runCommand(
  argv: readonly string[],
  options: { readonly signal?: AbortSignal } = {},
): Promise<number> {
  checkRepeatedFlags(argv, REPEATABLE);
  const context: CommandContext = { argv, ...(options.signal && { signal: options.signal }) };
  let exitCode: number = ExitCode.ok;
  const y = withOneSpelling(yargs([...argv]), argv)
    .scriptName('zdd')
    .usage('$0 <command> [options]\n\nProves that a rollout drops zero requests.');
  for (const command of COMMANDS) {
    command.register(y, context, (code) => {
      exitCode = code;
    });
  }
  await y
    .demandCommand(1, 'Name a command: zdd synth, zdd compare, zdd report, zdd diff, zdd check, zdd local, zdd testbed')
    .strict()
    .recommendCommands()
    .help()
    // `zdd --version`: the package's own version (what `npx zdd@x` and bug reports need).
    .version(packageVersion())
    // The terminal's width (COLUMNS, else the terminal's own, else 80 when piped), up to 110: longer lines read badly.
    .wrap(Math.min(110, terminalWidth()))
    .fail((message, error) => {
      // yargs wraps what a `coerce` throws in its own error; ours carry the message already.
      if (error instanceof Error && error.name !== 'YError') throw error;
      throw new UsageError(oneLineYargsMessage(message ?? error?.message ?? 'bad arguments', argv, REQUIRED_ARGUMENTS));
    })
    .parseAsync();
  return exitCode;
}

/**
 * One spelling per flag: no camelCase twin (`--maxErrorRate`), no nested keys (`--image.x`), and what yargs
 * would still take is checked against the command's own flags, before validation, so that a misspelt flag is
 * named before yargs reports what its value did.
 */
function withOneSpelling(y: Argv, argv: readonly string[]): Argv {
  return y
    .parserConfiguration({ 'camel-case-expansion': false, 'dot-notation': false })
    .middleware((_args: unknown, parser?: { getOptions(): OptionTable }) => {
      if (parser) checkFlagSpellings(argv, declaredFlags(parser.getOptions()));
    }, true);
}

function declaredFlags(options: OptionTable): DeclaredFlags {
  const names = Object.keys(options.key).filter((name) => !POSITIONAL_NAMES.has(name));
  return { names: new Set(names), switches: new Set(options.boolean) };
}
