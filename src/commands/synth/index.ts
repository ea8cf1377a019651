import { App } from 'cdk8s';
import { shellLessImageWarning } from '../../manifests/shell-warning.js';
import { addVariants, type RenderedVariant, renderCharts } from '../../manifests/variants.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../packaging/formats.js';
import { chartName } from '../../packaging/helm/helm-chart.js';
import { SetupError, UsageError } from '../../runtime/errors.js';
import { describeFsError, fsErrorCode } from '../../runtime/fs-errors.js';
import { readConfigFile } from '../../spec/config-file.js';
import { resolveSpec } from '../../spec/resolve.js';
import type { SpecLayer } from '../../spec/schema.js';
import { formOutput, HELM_FOLDER, KUSTOMIZE_FOLDER } from './output-files.js';
import { writeFilesAtomically } from './write-files.js';

export interface SynthOptions {
  /** Settings from the command line; they override the config file, which overrides the preset. */
  readonly flags: SpecLayer;
  /** A YAML or JSON file of settings. @default - none */
  readonly config?: string;
  /** Folder for the files. @default 'dist' */
  readonly out?: string;
  /**
   * The forms to write: `plain` (one file per variant), `kustomize` (a base and
   * a zero-downtime overlay), `helm` (one chart with a switch).
   * @default - all three
   */
  readonly formats?: readonly OutputFormat[];
  /** Print the manifests to stdout instead of writing files. @default false */
  readonly stdout?: boolean;
  /** Where progress lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** Where warnings go. @default console.error */
  readonly warn?: (line: string) => void;
}

/**
 * `zdd synth`: renders the default and zero-downtime variants and writes them to
 * `out` as plain files, a kustomize base and overlay, and a Helm chart, all from
 * the same two charts. Every setting is checked and every file rendered before
 * anything is written, and the files are written all or none.
 */
export async function synth(options: SynthOptions): Promise<RenderedVariant[]> {
  const log = options.log ?? console.log;
  const formats = options.formats ?? OUTPUT_FORMATS;
  const layers = options.config === undefined ? [options.flags] : [await readConfigFile(options.config), options.flags];
  const spec = resolveSpec(layers);
  const [defaultChart, zeroDowntimeChart] = addVariants(new App(), spec);
  if (!defaultChart || !zeroDowntimeChart) throw new Error('synth: expected the two variants');
  const warning = shellLessImageWarning(zeroDowntimeChart.settings);
  if (warning !== undefined) (options.warn ?? console.error)(`zdd: ${warning}`);
  const rendered = renderCharts([defaultChart, zeroDowntimeChart]);
  if (options.stdout) {
    if (options.formats !== undefined && formats.some((format) => format !== 'plain')) {
      throw new UsageError(
        `--stdout prints the plain manifests; it cannot be combined with --format ${formats.join(',')}`,
      );
    }
    await writeStdout(rendered.map((variant) => variant.yaml).join('---\n'));
    return rendered;
  }
  const out = options.out ?? 'dist';
  const variants = { spec, default: defaultChart, zeroDowntime: zeroDowntimeChart, rendered };
  const outputs = formats.map((format) => formOutput(format, variants));
  await writeFilesAtomically(
    out,
    outputs.flatMap((output) => output.files.map((file) => ({ name: file.path, content: file.content }))),
  );
  const shown = out.replace(/(.)\/+$/, '$1');
  const summary = outputs.flatMap((output) => output.summary);
  const width = Math.max(...summary.map(([path]) => path.length));
  for (const [path, what] of summary) log(`wrote ${shown}/${path.padEnd(width)}  ${what}`);
  const chart = chartName(spec.names);
  for (const format of formats) {
    if (format === 'plain') {
      const [before, after] = rendered.map((variant) => `${shown}/${variant.fileName}`);
      log(`review the zero-downtime settings: diff ${before} ${after}   (explained: zdd diff)`);
      log(`apply both variants:                oc apply -f ${shown}/`);
    } else if (format === 'kustomize') {
      log(`apply with kustomize:               oc apply -k ${shown}/${KUSTOMIZE_FOLDER}/overlays/zero-downtime`);
    } else {
      log(`install with helm:                  helm install ${chart} ${shown}/${HELM_FOLDER}/${chart}`);
    }
  }
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
