import { App } from 'cdk8s';
import { AppChart } from '../../src/manifests/app-chart.js';
import { addVariants } from '../../src/manifests/variants.js';
import type { AppChartProps } from '../../src/spec/app-props.js';
import type { AppSpec } from '../../src/spec/app-spec.js';
import { resolveSpec } from '../../src/spec/resolve.js';
import type { SpecLayer } from '../../src/spec/schema.js';

/** A rendered Kubernetes object, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests walk rendered JSON freely
export type Manifest = { kind: string; metadata: { name: string; labels: Record<string, string> }; spec: any };

/** The objects of one chart. */
export function render(props: AppChartProps): Manifest[] {
  // A plain App: cdk8s's Testing.app() makes a temp folder per call that nobody removes.
  return new AppChart(new App(), 'test', props).toJson() as Manifest[];
}

/** The objects of both variants, as `zdd synth` would render them from these layers. */
export function renderVariants(...layers: SpecLayer[]): {
  spec: AppSpec;
  default: Manifest[];
  zeroDowntime: Manifest[];
} {
  const spec = resolveSpec(layers);
  const [defaultChart, zeroDowntimeChart] = addVariants(new App(), spec);
  return {
    spec,
    default: (defaultChart?.toJson() ?? []) as Manifest[],
    zeroDowntime: (zeroDowntimeChart?.toJson() ?? []) as Manifest[],
  };
}

export function byKind(objects: readonly Manifest[], kind: string): Manifest {
  const found = objects.find((object) => object.kind === kind);
  if (!found) throw new Error(`no ${kind} among ${objects.map((o) => o.kind).join(', ')}`);
  return found;
}

/** The app container of a workload. */
// biome-ignore lint/suspicious/noExplicitAny: see Manifest
export function container(objects: readonly Manifest[]): any {
  const workload = objects.find((o) => o.kind === 'DeploymentConfig' || o.kind === 'Deployment');
  return workload?.spec.template.spec.containers[0];
}
