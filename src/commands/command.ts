import type { ArgumentsCamelCase, Argv } from 'yargs';

/** What every command may use besides its flags. */
export interface CommandContext {
  /** The command line as typed (after `zdd`): what yargs rewrites (a lone `-`) is read back from it. */
  readonly argv: readonly string[];
  /** Aborted by Ctrl-C or SIGTERM: long-running commands stop what they started. */
  readonly signal?: AbortSignal;
}

/** A command as its folder declares it: its flags and what it does with them. */
export interface CommandDefinition<A> {
  /** As yargs reads it: the name, then any positional arguments (`check <paths..>`). */
  readonly command: string;
  readonly describe: string;
  /** Declares the flags, positional arguments and examples. */
  readonly builder: (y: Argv) => Argv<A>;
  /** Runs the command; what it returns is the process's exit code (errors are thrown to src/cli/main.ts). */
  readonly run: (args: ArgumentsCamelCase<A>, context: CommandContext) => Promise<number>;
  /** What the required positional argument is, said when it is missing instead of yargs' "Not enough …". */
  readonly missingArgument?: string;
  /** Flags that may be given more than once, each adding a value. */
  readonly repeatable?: readonly string[];
}

/** A command or a group of them, as the CLI registers it (its flags' types closed over). */
export interface Command {
  readonly command: string;
  readonly describe: string;
  readonly missingArgument?: string;
  readonly repeatable: readonly string[];
  readonly subcommands: readonly Command[];
  /** Adds it to `y`; `exit` receives its exit code once it has run. */
  register(y: Argv, context: CommandContext, exit: (code: number) => void): Argv;
}

export function defineCommand<A>(definition: CommandDefinition<A>): Command {
  const { command, describe, builder, run } = definition;
  return {
    command,
    describe,
    ...(definition.missingArgument !== undefined && { missingArgument: definition.missingArgument }),
    repeatable: definition.repeatable ?? [],
    subcommands: [],
    register: (y, context, exit) =>
      y.command(command, describe, builder, async (args) => exit(await run(args, context))),
  };
}

/** A command that only groups others (`zdd local up`); `demand` is said when none is named. */
export function defineGroup(group: {
  readonly command: string;
  readonly describe: string;
  readonly subcommands: readonly Command[];
  readonly demand: string;
}): Command {
  const { command, describe, subcommands, demand } = group;
  return {
    command,
    describe,
    repeatable: [],
    subcommands,
    register: (y, context, exit) =>
      y.command(command, describe, (inner) => {
        for (const subcommand of subcommands) subcommand.register(inner, context, exit);
        return inner.demandCommand(1, demand);
      }),
  };
}
