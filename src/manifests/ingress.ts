import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PORT_NAME } from './readiness-probe.js';

export interface AppIngressProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly serviceName: string;
  /** Each variant needs a host of its own: both serve the path "/". */
  readonly host: string;
  /** @default - the cluster's default IngressClass */
  readonly ingressClassName?: string;
}

/** A networking.k8s.io/v1 Ingress, for clusters without OpenShift Routes. */
export class AppIngress extends Construct {
  readonly apiObject: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: AppIngressProps) {
    super(scope, id);
    this.apiObject = new k8s.KubeIngress(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        ingressClassName: props.ingressClassName,
        rules: [
          {
            host: props.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: props.serviceName, port: { name: PORT_NAME } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}
