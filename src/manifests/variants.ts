import { type App, Yaml } from 'cdk8s';
import { SettingError } from '../runtime/errors.js';
import type { AppSpec } from '../spec/app-spec.js';
import { AppChart } from './app-chart.js';
import type { Variant } from './labels.js';
import { checkDistinctNames } from './setting-checks.js';

/** One rendered variant: the file reviewers diff and `oc apply -f` takes. */
export interface RenderedVariant {
  readonly variant: Variant;
  /** File name inside the output folder, also the chart's id. */
  readonly fileName: string;
  readonly yaml: string;
  /** `Kind/name` of each object, in file order. */
  readonly objects: readonly string[];
}

/** Adds the two variants of `spec` to `app` as charts `default` and `zero-downtime`. */
export function addVariants(app: App, spec: AppSpec): readonly AppChart[] {
  const { names, zeroDowntime, ...shared } = spec;
  const charts = [
    chart(app, 'default', { ...shared, name: names.default }, 'names.default'),
    chart(app, 'zero-downtime', { ...shared, name: names.zeroDowntime, zeroDowntime }, 'names.zeroDowntime'),
  ];
  // After each name's own checks, so that an invalid name is reported as such.
  checkDistinctNames(names);
  return charts;
}

function chart(app: App, id: Variant, props: ConstructorParameters<typeof AppChart>[2], nameField: string): AppChart {
  try {
    return new AppChart(app, id, props);
  } catch (error) {
    // The chart's `name` is one of the spec's two `names`.
    if (error instanceof SettingError && error.field === 'name') {
      throw new SettingError(nameField, error.rule, error.value);
    }
    throw error;
  }
}

/** Renders each chart as one YAML stream, byte for byte what `app.synth()` writes. */
export function renderCharts(charts: readonly AppChart[]): RenderedVariant[] {
  return charts.map((chart) => {
    const objects: Array<{ kind: string; metadata: { name: string } }> = chart.toJson();
    return {
      variant: chart.variant,
      fileName: `${chart.node.id}.yaml`,
      yaml: Yaml.stringify(...objects),
      objects: objects.map((o) => `${o.kind}/${o.metadata.name}`),
    };
  });
}
