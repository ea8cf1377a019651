import { expect, test } from 'vitest';
import type { ApiEndpointSlice, ApiService } from '../../../src/testbed/api-objects.js';
import { serviceForwards } from '../../../src/testbed/network/forwards.js';

const service = (name: string, spec: ApiService['spec']): ApiService => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'load' },
  spec,
});

const slice = (service: string, endpoints: ApiEndpointSlice['endpoints'], port = 6565): ApiEndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${service}-x1`, namespace: 'load', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports: [{ name: 'http-api', port, protocol: 'TCP' }],
});

test("a Service's ClusterIP and port lead to its ready endpoints, at the port of the same name in their slice", () => {
  const forwards = serviceForwards(
    [service('runner-1', { clusterIP: '10.0.0.12', ports: [{ name: 'http-api', port: 6565 }] })],
    [
      slice('runner-1', [
        { addresses: ['10.244.0.5'], conditions: { ready: true } },
        { addresses: ['10.244.0.6'], conditions: { ready: false } },
      ]),
      slice('runner-2', [{ addresses: ['10.244.0.7'], conditions: { ready: true } }]),
    ],
  );
  expect(forwards).toEqual([{ host: '10.0.0.12', port: 6565, to: [{ host: '10.244.0.5', port: 6565 }] }]);
});

test('no ClusterIP (headless), and UDP ports: no listener; no endpoints yet: a listener that refuses', () => {
  const forwards = serviceForwards(
    [
      service('headless', { clusterIP: 'None', ports: [{ name: 'http-api', port: 6565 }] }),
      service('dns', { clusterIP: '10.0.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }),
      service('new', { clusterIP: '10.0.0.13', ports: [{ name: 'http-api', port: 6565 }] }),
    ],
    [],
  );
  expect(forwards).toEqual([{ host: '10.0.0.13', port: 6565, to: [] }]);
});
