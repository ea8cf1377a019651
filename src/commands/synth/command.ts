import { ExitCode } from '../../runtime/errors.js';
import { defineCommand } from '../command.js';
import { layerFromFlags, withSpecFlags } from '../flags/spec-flags.js';

export const synthCommand = defineCommand({
  command: 'synth',
  repeatable: ['env'],
  describe:
    'write the default and zero-downtime manifests: one file per variant, a kustomize base and overlay, a Helm chart',
  builder: (y) =>
    withSpecFlags(y)
      .option('config', { type: 'string', describe: 'YAML or JSON file of settings (see README)' })
      .option('out', { type: 'string', default: 'dist', describe: 'folder to write the files to' })
      .option('stdout', {
        type: 'boolean',
        default: false,
        describe: 'print the manifests instead of writing files',
      })
      .option('format', {
        type: 'string',
        describe: 'forms to write, comma-separated: plain (one file per variant), kustomize, helm (default: all)',
      })
      .example('$0 synth', 'the sample app, DeploymentConfig + Service + Route, into dist/')
      .example('$0 synth --preset seed --out seed/', "the seed's demo, exactly")
      .example('$0 synth --workload deployment --expose ingress --domain apps.example.com', 'plain Kubernetes')
      .example(
        '$0 synth --workload deployment --expose gateway --gateway gw/infra --domain apps.example.com',
        'an HTTPRoute on Gateway gw in namespace infra',
      )
      .example('$0 synth --format helm', 'only the Helm chart, into dist/helm/<chart>/'),
  run: async (args) => {
    const { synth } = await import('./index.js');
    const { parseOutputFormats } = await import('../../packaging/formats.js');
    await synth({
      flags: layerFromFlags(args),
      config: args.config,
      out: args.out,
      formats: args.format === undefined ? undefined : parseOutputFormats('--format', args.format),
      stdout: args.stdout,
    });
    return ExitCode.ok;
  },
});
