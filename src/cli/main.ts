import { flagForField } from '../commands/flags/spec-flags.js';
import { ExitCode, InterruptedError, SettingError, SetupError, ToolError, UsageError } from '../runtime/errors.js';
import { watchInterrupts } from './interrupts.js';
import { runCommand } from './run-command.js';

/**
 * The single exit of the CLI: runs the command, returns the exit code it returned, and maps what it throws to
 * a message on stderr and an exit code. No stack traces for anything expected.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const interrupts = watchInterrupts();
  const { signal } = interrupts;
  try {
    const exitCode = await runCommand(argv, { signal });
    // Ctrl-C or SIGTERM means 130 for every command, once it has stopped what it started: whether it was cut
    // short (compare throws InterruptedError) or ran until the signal (local up, local events -f, testbed up).
    if (signal.aborted) return report(InterruptedError.fromAbort(signal));
    return exitCode;
  } catch (error) {
    if (!signal.aborted) return report(error);
    // What failed after the signal is still said, but the run was stopped by the user: 130.
    if (!(error instanceof InterruptedError)) report(error);
    return report(InterruptedError.fromAbort(signal));
  } finally {
    interrupts.dispose();
  }
}

function report(error: unknown): number {
  if (error instanceof InterruptedError) {
    console.error(`zdd: ${error.message}; everything zdd started was stopped`);
    return ExitCode.interrupted;
  }
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
  if (error instanceof ToolError) {
    console.error(`zdd: ${error.tool} failed: ${error.message}`);
    if (error.outputTail.trim() !== '') console.error(`the last lines ${error.tool} printed:\n${error.outputTail}`);
    return ExitCode.usage;
  }
  if (error instanceof SetupError) {
    console.error(`zdd: ${error.message}`);
    return ExitCode.usage;
  }
  console.error(`zdd: internal error: ${error instanceof Error ? error.message : String(error)}`);
  console.error('This is a bug in zdd; please report it with the command you ran.');
  if (process.env.ZDD_DEBUG && error instanceof Error) console.error(error.stack);
  return ExitCode.internal;
}

function describeValue(error: SettingError): string {
  return error.value === undefined ? '' : error.message.slice(`${error.field}: ${error.rule}`.length);
}
