import { App } from 'cdk8s';
import { type DiffSide, diffSides } from '../../diff/diff-report.js';
import { formatJson } from '../../diff/format-json.js';
import { formatMarkdown } from '../../diff/format-markdown.js';
import { ANSI_STYLES, formatText, NO_STYLES } from '../../diff/format-text.js';
import type { JsonObject } from '../../input/json-value.js';
import { fromRendered } from '../../kubernetes/object.js';
import { addVariants } from '../../manifests/variants.js';
import { DEFAULT_PLATFORM, type PlatformName, platformProfile } from '../../platforms/index.js';
import { UsageError } from '../../runtime/errors.js';
import { readConfigFile } from '../../spec/config-file.js';
import { resolveSpec } from '../../spec/resolve.js';
import type { SpecLayer } from '../../spec/schema.js';
import { readSide } from './read-side.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface DiffOptions {
  /** Two manifest files or folders; none for the two variants of the settings. @default [] */
  readonly files?: readonly string[];
  /** Settings flags, as for synth (only without files). */
  readonly flags: SpecLayer;
  /** The settings flags given (`--replicas`), for the message when they come with files. @default [] */
  readonly settingFlags?: readonly string[];
  /** A YAML or JSON file of settings (only without files). @default - none */
  readonly config?: string;
  /** @default 'text' */
  readonly format?: DiffFormat;
  /** Colour the text format (a terminal without NO_COLOR). @default false */
  readonly color?: boolean;
  /** The columns a line of the text format may take. @default DEFAULT_WIDTH */
  readonly width?: number;
  /** Where the report goes. @default process.stdout */
  readonly write?: (text: string) => void;
}

/**
 * `zdd diff`: what the zero-downtime variant changes against the default one,
 * field by field, with why each change matters for a rollout — for the
 * variants of the current settings, or for any two manifest files or folders.
 */
export async function diff(options: DiffOptions): Promise<void> {
  const files = options.files ?? [];
  const { sides, platform } = files.length === 0 ? await variantSides(options) : await fileSides(files, options);
  const report = diffSides(sides[0], sides[1], platformProfile(platform));
  const format = options.format ?? 'text';
  const text =
    format === 'json'
      ? formatJson(report)
      : format === 'markdown'
        ? formatMarkdown(report)
        : formatText(report, options.color ? ANSI_STYLES : NO_STYLES, options.width);
  (options.write ?? ((chunk: string) => process.stdout.write(chunk)))(text);
}

/** The two sides, and the platform the explanations reason with. */
interface Sides {
  readonly sides: readonly [DiffSide, DiffSide];
  readonly platform: PlatformName;
}

async function variantSides(options: DiffOptions): Promise<Sides> {
  const layers = options.config === undefined ? [options.flags] : [await readConfigFile(options.config), options.flags];
  const spec = resolveSpec(layers);
  const [defaultChart, zeroDowntimeChart] = addVariants(new App(), spec);
  if (!defaultChart || !zeroDowntimeChart) throw new Error('diff: expected the two variants');
  const side = (label: string, chart: typeof defaultChart): DiffSide => ({
    label: `${label} (${chart.settings.name})`,
    objects: fromRendered(chart.toJson() as JsonObject[]),
  });
  return { sides: [side('default', defaultChart), side('zero-downtime', zeroDowntimeChart)], platform: spec.platform };
}

async function fileSides(files: readonly string[], options: DiffOptions): Promise<Sides> {
  if (files.length !== 2) {
    throw new UsageError(
      `diff: expected two manifest files or folders to compare (or none, for the two variants), got ${files.length}`,
    );
  }
  // --platform applies to any two files: it is what the explanations reason with.
  const { platform, ...settings } = options.flags;
  const given = [
    ...(options.settingFlags ?? []).filter((flag) => flag !== '--platform'),
    ...(options.config === undefined ? [] : ['--config']),
  ];
  if (given.length > 0 || Object.keys(settings).length > 0) {
    throw new UsageError(
      `diff: ${given.join(', ') || 'settings flags'} ${given.length === 1 ? 'applies' : 'apply'} to zdd's own variants; two files are compared as they are`,
    );
  }
  return {
    sides: [await readSide(files[0] as string), await readSide(files[1] as string)],
    platform: platform ?? DEFAULT_PLATFORM,
  };
}
