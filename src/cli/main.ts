import { ExitCode, SettingError, UsageError } from '../errors.js';
import { cli } from './commands.js';
import { flagForField } from './spec-flags.js';

/**
 * The single exit of the CLI: runs the command and maps what it throws to a
 * message on stderr and an exit code. No stack traces for anything expected.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await cli(argv).parseAsync();
    // Commands with a result to report (compare, local rollout) set it here.
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof SettingError) {
      const flag = flagForField(error.field);
      console.error(
        `zdd: invalid setting ${error.field}${flag ? ` (${flag})` : ''}: ${error.rule}${describeValue(error)}`,
      );
      return ExitCode.usage;
    }
    if (error instanceof UsageError) {
      console.error(`zdd: ${error.message}`);
      console.error('Run "zdd --help" for usage.');
      return ExitCode.usage;
    }
    console.error(`zdd: internal error: ${error instanceof Error ? error.message : String(error)}`);
    console.error('This is a bug in zdd; please report it with the command you ran.');
    if (process.env.ZDD_DEBUG && error instanceof Error) console.error(error.stack);
    return ExitCode.internal;
  }
}

function describeValue(error: SettingError): string {
  return error.value === undefined ? '' : error.message.slice(`${error.field}: ${error.rule}`.length);
}
