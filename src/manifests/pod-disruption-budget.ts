import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface AppPodDisruptionBudgetProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
}

/**
 * Lets voluntary evictions (node drains, cluster upgrades) take one pod at a
 * time, so that they, too, keep the app serving.
 *
 * Re-applying it with `kubectl apply` (client-side) always prints
 * "configured", although the server writes nothing: `spec.selector` has the
 * patch strategy "replace" (k8s.io/api policy/v1 PodDisruptionBudgetSpec), and
 * kubectl's three-way diff puts a "replace" field into the patch without
 * comparing it (apimachinery strategicpatch `handleMapDiff`). No manifest
 * avoids that while keeping a selector; `kubectl diff` shows no difference and
 * the object's resourceVersion stays the same.
 */
export class AppPodDisruptionBudget extends Construct {
  readonly apiObject: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: AppPodDisruptionBudgetProps) {
    super(scope, id);
    this.apiObject = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: props.selector } },
    });
  }
}
