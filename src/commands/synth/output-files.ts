import type { JsonObject } from '../../input/json-value.js';
import { fromRendered } from '../../kubernetes/object.js';
import type { AppChart } from '../../manifests/app-chart.js';
import type { RenderedVariant } from '../../manifests/variants.js';
import type { OutputFormat } from '../../packaging/formats.js';
import { type GeneratedFile, inFolder } from '../../packaging/generated-file.js';
import { chartName, helmChartFiles } from '../../packaging/helm/helm-chart.js';
import { BASE_FOLDER, kustomizeFiles, OVERLAY_FOLDER } from '../../packaging/kustomize/kustomize.js';
import { packageVersion } from '../../runtime/package-info.js';
import type { AppSpec } from '../../spec/app-spec.js';

/** The files of one output form, and the lines `zdd synth` prints for it. */
export interface FormOutput {
  readonly format: OutputFormat;
  readonly files: readonly GeneratedFile[];
  /** Folder (or file) → what it holds, one entry per line printed. */
  readonly summary: ReadonlyArray<readonly [string, string]>;
}

export const KUSTOMIZE_FOLDER = 'kustomize';
export const HELM_FOLDER = 'helm';

/** What every form is rendered from: the two charts of one spec. */
export interface Variants {
  readonly spec: AppSpec;
  readonly default: AppChart;
  readonly zeroDowntime: AppChart;
  readonly rendered: readonly RenderedVariant[];
}

/** The files of one form, rendered from the same two charts as every other form. */
export function formOutput(format: OutputFormat, variants: Variants): FormOutput {
  const { spec } = variants;
  switch (format) {
    case 'plain':
      return {
        format,
        files: variants.rendered.map((variant) => ({ path: variant.fileName, content: variant.yaml })),
        summary: variants.rendered.map((variant) => [variant.fileName, variant.objects.join(', ')]),
      };
    case 'kustomize': {
      const objects = (chart: AppChart) => fromRendered(chart.toJson() as JsonObject[]);
      const files = kustomizeFiles({
        names: spec.names,
        default: objects(variants.default),
        zeroDowntime: objects(variants.zeroDowntime),
      });
      return {
        format,
        files: inFolder(KUSTOMIZE_FOLDER, files),
        summary: [
          [`${KUSTOMIZE_FOLDER}/${BASE_FOLDER}/`, `the default variant (${spec.names.default})`],
          [
            `${KUSTOMIZE_FOLDER}/${OVERLAY_FOLDER}/`,
            `its zero-downtime delta as JSON 6902 patches (${spec.names.zeroDowntime})`,
          ],
        ],
      };
    }
    case 'helm': {
      const chart = chartName(spec.names);
      const files = helmChartFiles({
        names: spec.names,
        settings: variants.zeroDowntime.settings,
        zeroDowntime: spec.zeroDowntime,
        version: packageVersion(),
      });
      return {
        format,
        files: inFolder(`${HELM_FOLDER}/${chart}`, files),
        summary: [
          [`${HELM_FOLDER}/${chart}/`, `chart ${chart}: zeroDowntime.enabled true or false switches the variant`],
        ],
      };
    }
  }
}
