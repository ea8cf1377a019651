import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  DeploymentConfig,
  DeploymentConfigSpecStrategyRollingParamsMaxSurge as MaxSurge,
  DeploymentConfigSpecStrategyRollingParamsMaxUnavailable as MaxUnavailable,
  toJson_DeploymentConfigSpec,
} from '../../imports/apps.openshift.io.js';
import type { WorkloadProps } from './workload.js';

/**
 * An OpenShift DeploymentConfig (apps.openshift.io/v1), as in the seed. Rolled
 * out with `oc rollout latest dc/<name>`. Deprecated since OpenShift 4.14; see
 * `AppDeployment` for the apps/v1 equivalent.
 */
export class AppDeploymentConfig extends Construct {
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const zd = props.zeroDowntime;
    const spec = toJson_DeploymentConfigSpec({
      replicas: props.replicas,
      selector: props.selector,
      strategy: {
        type: 'Rolling',
        rollingParams: zd && {
          maxSurge: intOrString(MaxSurge, zd.maxSurge),
          maxUnavailable: intOrString(MaxUnavailable, zd.maxUnavailable),
        },
      },
      triggers: [{ type: 'ConfigChange' }],
    });
    // A plain ApiObject with the import's GVK: the import's own toJson would
    // re-map the rendered template through its copy of the pod types.
    this.apiObject = new ApiObject(this, 'Resource', {
      ...DeploymentConfig.GVK,
      metadata: { name: props.name, labels: props.labels },
      spec: { ...spec, template: props.template },
    });
  }
}

function intOrString<T>(type: { fromNumber(v: number): T; fromString(v: string): T }, value: number | string): T {
  return typeof value === 'number' ? type.fromNumber(value) : type.fromString(value);
}
