import type { ApiEndpointSlice, ApiService } from '../api-objects.js';

/** Where a connection goes: an endpoint inside the network, or a unix socket served outside it. */
export type ForwardTarget = { readonly host: string; readonly port: number } | { readonly path: string };

/** One listener of the test bed's kube-proxy (forwarder.ts): an address and port inside the cluster network. */
export interface Forward {
  readonly host: string;
  readonly port: number;
  /** Tried in turn, one per connection; none: connections are refused, as kube-proxy rejects them. */
  readonly to: readonly ForwardTarget[];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * What kube-proxy makes of Services and their EndpointSlices: each TCP port of each Service with a ClusterIP
 * leads to the ready endpoints' addresses, at the port of the same name in their slice. Pure.
 */
export function serviceForwards(services: readonly ApiService[], slices: readonly ApiEndpointSlice[]): Forward[] {
  return services.flatMap((service) => {
    const clusterIP = service.spec?.clusterIP;
    if (clusterIP === undefined || clusterIP === '' || clusterIP === 'None') return [];
    const own = slices.filter(
      (slice) =>
        slice.metadata.namespace === service.metadata.namespace &&
        slice.metadata.labels?.[SERVICE_NAME_LABEL] === service.metadata.name &&
        (slice.addressType ?? 'IPv4') === 'IPv4',
    );
    return (service.spec?.ports ?? [])
      .filter((port) => (port.protocol ?? 'TCP') === 'TCP')
      .map((port) => ({
        host: clusterIP,
        port: port.port,
        to: own.flatMap((slice) => {
          const target = slice.ports?.find((candidate) => (candidate.name ?? '') === (port.name ?? ''))?.port;
          if (target === undefined) return [];
          return (slice.endpoints ?? [])
            .filter((endpoint) => endpoint.conditions?.ready !== false)
            .flatMap((endpoint) => endpoint.addresses.map((host) => ({ host, port: target })));
        }),
      }));
  });
}
