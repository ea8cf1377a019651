import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PORT_NAME } from './readiness-probe.js';

export interface AppServiceProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly port: number;
}

/** A ClusterIP Service over the app's pods; its endpoints are the ready, non-terminating pods. */
export class AppService extends Construct {
  readonly apiObject: k8s.KubeService;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    this.apiObject = new k8s.KubeService(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        selector: props.selector,
        ports: [
          { name: PORT_NAME, port: props.port, targetPort: k8s.IntOrString.fromString(PORT_NAME), protocol: 'TCP' },
        ],
      },
    });
  }
}
