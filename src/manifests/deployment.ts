import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { WorkloadProps } from './workload.js';

/**
 * A Kubernetes apps/v1 Deployment: for OpenShift ≥ 4.14, where DeploymentConfig
 * is deprecated, and for plain Kubernetes. Rolled out with `oc rollout restart`.
 */
export class AppDeployment extends Construct {
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const zd = props.zeroDowntime;
    const spec = k8s.toJson_DeploymentSpec({
      replicas: props.replicas,
      selector: { matchLabels: props.selector },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: zd && { maxSurge: intOrString(zd.maxSurge), maxUnavailable: intOrString(zd.maxUnavailable) },
      },
      template: {},
    });
    // A plain ApiObject, like AppDeploymentConfig: the template is already rendered.
    this.apiObject = new ApiObject(this, 'Resource', {
      ...k8s.KubeDeployment.GVK,
      metadata: { name: props.name, labels: props.labels },
      spec: { ...spec, template: props.template },
    });
  }
}

function intOrString(value: number | string): k8s.IntOrString {
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);
}
