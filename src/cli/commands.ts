import { checkCommand } from '../commands/check/command.js';
import type { Command } from '../commands/command.js';
import { compareCommand } from '../commands/compare/command.js';
import { diffCommand } from '../commands/diff/command.js';
import { localCommand } from '../commands/local/command.js';
import { platformsCommand } from '../commands/platforms/command.js';
import { reportCommand } from '../commands/report/command.js';
import { synthCommand } from '../commands/synth/command.js';
import { testbedCommand } from '../commands/testbed/command.js';

/** Every zdd command, in the order --help lists them; each declares itself in its folder in src/commands. */
export const COMMANDS: readonly Command[] = [
  synthCommand,
  diffCommand,
  compareCommand,
  checkCommand,
  platformsCommand,
  reportCommand,
  localCommand,
  testbedCommand,
];

/** Each command with its path from the top (`local rollout`), groups included. */
export function everyCommand(
  commands: readonly Command[] = COMMANDS,
  parent = '',
): { path: string; command: Command }[] {
  return commands.flatMap((command) => {
    const path = `${parent}${command.command.split(' ', 1)[0]}`;
    return [{ path, command }, ...everyCommand(command.subcommands, `${path} `)];
  });
}
