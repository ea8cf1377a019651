import yargs, { type Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { layerFromFlags, withSpecFlags } from './spec-flags.js';

/** Every zdd command, declared in one place; each lazily imports its folder in src/commands. */
export function cli(argv: readonly string[]): Argv {
  return yargs([...argv])
    .scriptName('zdd')
    .usage('$0 <command> [options]\n\nProves that a rollout drops zero requests.')
    .command(
      'synth',
      'write the default and zero-downtime manifests (one file per variant)',
      (y) =>
        withSpecFlags(y)
          .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
          .option('out', { type: 'string', default: 'dist', describe: 'folder to write the files to' })
          .option('stdout', {
            type: 'boolean',
            default: false,
            describe: 'print the manifests instead of writing files',
          })
          .example('$0 synth', 'the sample app, DeploymentConfig + Service + Route, into dist/')
          .example('$0 synth --preset seed --out seed/', "the seed's demo, exactly")
          .example('$0 synth --workload deployment --expose ingress --domain apps.example.com', 'plain Kubernetes'),
      async (args) => {
        const { synth } = await import('../commands/synth/index.js');
        await synth({ flags: layerFromFlags(args), config: args.config, out: args.out, stdout: args.stdout });
      },
    )
    .demandCommand(1, 'Name a command: zdd synth')
    .strict()
    .recommendCommands()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}
