import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { GatewayRefProps } from '../spec/app-props.js';

/** The Gateway API group and the version of HTTPRoute that is GA (standard channel since v1.0). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const HTTP_ROUTE_GVK = { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'HTTPRoute' } as const;

/**
 * The part of an HTTPRoute's spec zdd writes, with the upstream field names
 * (sigs.k8s.io/gateway-api apis/v1/httproute_types.go). `parentRefs[].group`
 * and `kind` default to the Gateway's, `backendRefs[].kind` to Service, and
 * `weight` to 1: zdd leaves them to the API server.
 */
export interface HttpRouteSpec {
  readonly parentRefs: readonly GatewayRefProps[];
  readonly hostnames: readonly string[];
  readonly rules: ReadonlyArray<{
    readonly matches: ReadonlyArray<{ readonly path: { readonly type: 'PathPrefix'; readonly value: string } }>;
    readonly backendRefs: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  }>;
}

export interface AppHttpRouteProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly gateway: GatewayRefProps;
  /** Each variant needs a host of its own: both serve the path "/". */
  readonly host: string;
  readonly serviceName: string;
  /** The Service's port: a backendRef to a Service names its port by number. */
  readonly servicePort: number;
}

/**
 * A Gateway API HTTPRoute (gateway.networking.k8s.io/v1) attached to a named
 * Gateway: every request for the variant's host goes to its Service. A plain
 * ApiObject with a typed spec: the one object of the group zdd writes needs no
 * generated import of the whole CRD.
 */
export class AppHttpRoute extends Construct {
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: AppHttpRouteProps) {
    super(scope, id);
    const parent = {
      name: props.gateway.name,
      ...(props.gateway.namespace !== undefined && { namespace: props.gateway.namespace }),
    };
    const spec: HttpRouteSpec = {
      parentRefs: [parent],
      hostnames: [props.host],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: props.serviceName, port: props.servicePort }],
        },
      ],
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      ...HTTP_ROUTE_GVK,
      metadata: { name: props.name, labels: props.labels },
      spec,
    });
  }
}
