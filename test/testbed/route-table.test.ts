import { expect, test } from 'vitest';
import type { ApiEndpointSlice, ApiIngress, ApiRoute, ApiService } from '../../src/testbed/api-objects.js';
import { admitRoutes, routeHost, routerTargets, targetEndpoints } from '../../src/testbed/route-table.js';

const route = (
  name: string,
  fields: { host?: string; created?: string; port?: string | number; namespace?: string } = {},
): ApiRoute => ({
  metadata: {
    name,
    namespace: fields.namespace ?? 'demo',
    uid: `uid-${name}`,
    creationTimestamp: fields.created ?? '2026-11-29T10:00:00Z',
  },
  spec: {
    ...(fields.host !== undefined && { host: fields.host }),
    to: { kind: 'Service', name },
    ...(fields.port !== undefined && { port: { targetPort: fields.port } }),
  },
});

test('a Route without spec.host gets NAME-NAMESPACE.apps.testbed.zdd, as OpenShift generates one', () => {
  expect(routeHost(route('shop'))).toBe('shop-demo.apps.testbed.zdd');
  expect(routeHost(route('shop', { host: 'Shop.Example.com' }))).toBe('shop.example.com');
});

test('the oldest Route claims a host; a younger one asking for it is not admitted, and says who has it', () => {
  const admissions = admitRoutes([
    route('young', { host: 'shop.example.com', created: '2026-11-29T11:00:00Z' }),
    route('old', { host: 'shop.example.com', created: '2026-11-29T10:00:00Z' }),
  ]);
  expect(
    admissions.map(({ route: r, host, admitted, reason, message }) => ({
      name: r.metadata.name,
      host,
      admitted,
      reason,
      message,
    })),
  ).toEqual([
    { name: 'old', host: 'shop.example.com', admitted: true, reason: undefined, message: undefined },
    {
      name: 'young',
      host: 'shop.example.com',
      admitted: false,
      reason: 'HostAlreadyClaimed',
      message: 'route old already exposes shop.example.com and is older',
    },
  ]);
  const targets = routerTargets(admissions, [], []);
  expect(targets).toEqual([{ key: 'route:demo/old', namespace: 'demo', host: 'shop.example.com', service: 'old' }]);
});

const service: ApiService = {
  metadata: { name: 'web', namespace: 'demo' },
  spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

test('an Ingress rule is served under its host, its Service port resolved to the port name the EndpointSlices carry', () => {
  const ingress: ApiIngress = {
    metadata: { name: 'web', namespace: 'demo' },
    spec: {
      rules: [
        {
          host: 'Web.Example.com',
          http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] },
        },
        { http: { paths: [{ backend: { service: { name: 'web', port: { name: 'http' } } } }] } },
        {
          host: 'gone.example.com',
          http: { paths: [{ backend: { service: { name: 'missing', port: { number: 80 } } } }] },
        },
      ],
    },
  };
  expect(routerTargets([], [ingress], [service])).toEqual([
    { key: 'ingress:demo/web/0', namespace: 'demo', host: 'web.example.com', service: 'web', port: 'http' },
  ]);
});

const slice = (endpoints: ApiEndpointSlice['endpoints'], ports = [{ name: 'http', port: 8080 }]): ApiEndpointSlice => ({
  metadata: { name: 'web-x1', namespace: 'demo', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints,
  ports,
});
const pod = (name: string, ip: string, conditions: { ready?: boolean; serving?: boolean; terminating?: boolean }) => ({
  addresses: [ip],
  conditions,
  targetRef: { kind: 'Pod', name, namespace: 'demo' },
});
const loopback = new Map([
  ['10.244.0.2:8080', 41001],
  ['10.244.0.3:8080', 41002],
  ['10.244.0.4:8080', 41003],
  ['10.244.0.5:8080', 41004],
]);
const resolve = (ip: string, port: number) => loopback.get(`${ip}:${port}`);
const target = {
  key: 'route:demo/web',
  namespace: 'demo',
  host: 'web-demo.apps.testbed.zdd',
  service: 'web',
  port: 'http',
};

test('endpoints: ready ones and those of unknown readiness; not-ready and terminating (ready=false serving=true) ones are left out, as openshift/router does', () => {
  const endpoints = targetEndpoints(
    target,
    [
      slice([
        pod('web-1', '10.244.0.2', { ready: true, serving: true, terminating: false }),
        pod('web-2', '10.244.0.3', {}),
        pod('web-3', '10.244.0.4', { ready: false, serving: true, terminating: true }),
        pod('web-4', '10.244.0.5', { ready: false, serving: false, terminating: false }),
      ]),
    ],
    resolve,
  );
  expect(endpoints).toEqual([
    { id: 'web-1', host: '127.0.0.1', port: 41001 },
    { id: 'web-2', host: '127.0.0.1', port: 41002 },
  ]);
});

test('the router connects only to 127.0.0.1: an address no pod of this node has is left out, as are other Services, namespaces and ports', () => {
  const other = {
    ...slice([pod('web-1', '10.244.0.2', { ready: true })]),
    metadata: { name: 'x', namespace: 'other', labels: { 'kubernetes.io/service-name': 'web' } },
  };
  const endpoints = targetEndpoints(
    target,
    [
      slice([pod('elsewhere', '192.0.2.7', { ready: true }), pod('web-1', '10.244.0.2', { ready: true })]),
      other,
      slice([pod('web-2', '10.244.0.3', { ready: true })], [{ name: 'metrics', port: 8080 }]),
      { ...slice([pod('web-3', '10.244.0.4', { ready: true })]), addressType: 'FQDN' },
    ],
    resolve,
  );
  expect(endpoints).toEqual([{ id: 'web-1', host: '127.0.0.1', port: 41001 }]);
  // A numeric targetPort is the endpoint's port number; no targetPort takes every port.
  expect(
    targetEndpoints({ ...target, port: 8080 }, [slice([pod('web-1', '10.244.0.2', { ready: true })])], resolve),
  ).toHaveLength(1);
  const { port, ...anyPort } = target;
  expect(port).toBe('http');
  expect(
    targetEndpoints(
      anyPort,
      [slice([pod('web-2', '10.244.0.3', { ready: true })], [{ name: 'metrics', port: 8080 }])],
      resolve,
    ),
  ).toEqual([{ id: 'web-2', host: '127.0.0.1', port: 41002 }]);
});
