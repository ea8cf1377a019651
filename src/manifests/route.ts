import { Construct } from 'constructs';
import { Route, RouteSpecToKind } from '../../imports/route.openshift.io.js';
import { PORT_NAME } from './readiness-probe.js';

export interface AppRouteProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** The Service the route sends traffic to. */
  readonly serviceName: string;
  /** @default - OpenShift generates `<name>-<namespace>.<apps domain>` */
  readonly host?: string;
}

/** An OpenShift Route (route.openshift.io/v1), what `oc expose svc/<name>` creates. */
export class AppRoute extends Construct {
  readonly apiObject: Route;

  constructor(scope: Construct, id: string, props: AppRouteProps) {
    super(scope, id);
    this.apiObject = new Route(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        host: props.host,
        to: { kind: RouteSpecToKind.SERVICE, name: props.serviceName, weight: 100 },
        port: { targetPort: PORT_NAME },
      },
    });
  }
}
