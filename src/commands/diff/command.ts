import { ExitCode } from '../../runtime/errors.js';
import { stdoutTerminal } from '../../runtime/terminal.js';
import { defineCommand } from '../command.js';
import { givenSpecFlags, layerFromFlags, withSpecFlags } from '../flags/spec-flags.js';

export const diffCommand = defineCommand({
  command: 'diff [files..]',
  repeatable: ['env'],
  describe:
    'what the zero-downtime variant changes, field by field, and why each change matters for a rollout; or diff two manifest files or folders',
  builder: (y) =>
    withSpecFlags(y)
      .positional('files', {
        type: 'string',
        array: true,
        describe: 'two manifest files or folders (default: the two variants)',
      })
      .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
      .option('format', {
        choices: ['text', 'markdown', 'json'] as const,
        default: 'text' as const,
        describe: 'text (colour on a terminal), markdown (for a pull-request comment) or json',
      })
      .example('$0 diff', 'the two variants of the sample app')
      .example('$0 diff --preset seed --format markdown', "the seed's variants, for a PR comment")
      .example('$0 diff old/ new/', 'any two manifest files or folders')
      .example('$0 diff --platform aws-alb-ip', 'explained with an AWS ALB’s numbers'),
  run: async (args) => {
    const { diff } = await import('./index.js');
    const terminal = stdoutTerminal();
    await diff({
      files: args.files,
      flags: layerFromFlags(args),
      settingFlags: givenSpecFlags(args),
      config: args.config,
      format: args.format,
      color: terminal.colour,
      width: terminal.width,
    });
    return ExitCode.ok;
  },
});
