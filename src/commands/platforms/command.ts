import { ExitCode } from '../../runtime/errors.js';
import { defineCommand } from '../command.js';
import { RELOAD_INTERVAL_OPTION } from '../flags/reload-interval-flag.js';

export const platformsCommand = defineCommand({
  command: 'platforms [name]',
  describe:
    'list the platforms --platform takes (what sends the pods requests): how fast each drops a pod, the preStop and grace synth derives, and the sources of each number',
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'one platform, shown in full' })
      .option('format', {
        choices: ['human', 'json'] as const,
        default: 'human' as const,
        describe: 'human: a table, then each platform with its sources; json: for scripts',
      })
      .option('reload-interval', RELOAD_INTERVAL_OPTION)
      .example('$0 platforms', 'every platform, its numbers and sources')
      .example('$0 platforms aws-alb-ip', 'one, in full')
      .example('$0 synth --platform aws-alb-ip', 'manifests whose preStop and grace cover it'),
  run: async (args) => {
    const { platforms } = await import('./index.js');
    platforms({ name: args.name, format: args.format, reloadIntervalSeconds: args['reload-interval'] });
    return ExitCode.ok;
  },
});
