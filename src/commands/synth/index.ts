import { App } from 'cdk8s';
import { SetupError } from '../../errors.js';
import { describeFsError, fsErrorCode } from '../../fs-errors.js';
import { addVariants, type RenderedVariant, renderCharts } from '../../manifests/variants.js';
import { readConfigFile } from '../../spec/config-file.js';
import { resolveSpec } from '../../spec/resolve.js';
import type { SpecLayer } from '../../spec/schema.js';
import { writeFilesAtomically } from './write-files.js';

export interface SynthOptions {
  /** Settings from the command line; they override the config file, which overrides the preset. */
  readonly flags: SpecLayer;
  /** A YAML or JSON file of settings. @default - none */
  readonly config?: string;
  /** Folder for the two files. @default 'dist' */
  readonly out?: string;
  /** Print the manifests to stdout instead of writing files. @default false */
  readonly stdout?: boolean;
  /** Where progress lines go. @default console.log */
  readonly log?: (line: string) => void;
}

/**
 * `zdd synth`: renders the default and zero-downtime variants and writes them,
 * one file each, to `out`. Every setting is checked before anything is written.
 */
export async function synth(options: SynthOptions): Promise<RenderedVariant[]> {
  const log = options.log ?? console.log;
  const layers = options.config === undefined ? [options.flags] : [await readConfigFile(options.config), options.flags];
  const spec = resolveSpec(layers);
  const rendered = renderCharts(addVariants(new App(), spec));
  if (options.stdout) {
    await writeStdout(rendered.map((variant) => variant.yaml).join('---\n'));
    return rendered;
  }
  const out = options.out ?? 'dist';
  await writeFilesAtomically(
    out,
    rendered.map((variant) => ({ name: variant.fileName, content: variant.yaml })),
  );
  const shown = out.replace(/(.)\/+$/, '$1');
  const width = Math.max(...rendered.map((variant) => variant.fileName.length));
  for (const variant of rendered) {
    log(`wrote ${shown}/${variant.fileName.padEnd(width)}  ${variant.objects.join(', ')}`);
  }
  const [before, after] = rendered.map((variant) => `${shown}/${variant.fileName}`);
  log(`review the zero-downtime settings: diff ${before} ${after}`);
  log(`apply both variants:                oc apply -f ${shown}/`);
  return rendered;
}

/**
 * Writes to stdout and waits for it. A failed write (`> /dev/full`) would
 * otherwise surface as an unhandled stream error with a stack trace; a reader
 * that stopped reading (`| head`) is not an error.
 */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (error?: Error | null) => {
      if (settled) return;
      settled = true;
      // The stream reports a failure twice (callback, then 'error' event, a tick later): listen until both passed.
      setImmediate(() => process.stdout.off('error', done));
      if (!error || fsErrorCode(error) === 'EPIPE') resolve();
      else reject(new SetupError(`--stdout: cannot write the manifests to standard output: ${describeFsError(error)}`));
    };
    process.stdout.on('error', done);
    process.stdout.write(text, done);
  });
}
