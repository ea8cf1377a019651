import { describe, expect, test } from 'vitest';
import type { ApiHttpRoute, ApiService } from '../../src/testbed/api-objects.js';
import {
  admitHttpRoutes,
  GATEWAY_CONTROLLER_NAME,
  httpRouteParentStatus,
  httpRouteReported,
  httpRouteTargets,
} from '../../src/testbed/http-route-table.js';

type Spec = NonNullable<ApiHttpRoute['spec']>;

const httpRoute = (name: string, spec: Partial<Spec> = {}, created = '2026-12-01T10:00:00Z'): ApiHttpRoute => ({
  metadata: { name, namespace: 'demo', uid: `uid-${name}`, generation: 1, creationTimestamp: created },
  spec: {
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'infra' }],
    hostnames: [`${name}.apps.example.com`],
    rules: [{ backendRefs: [{ group: '', kind: 'Service', name, port: 8080, weight: 1 }] }],
    ...spec,
  },
});

const service = (name: string): ApiService => ({
  metadata: { name, namespace: 'demo' },
  spec: { ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
});

describe('the test bed router and HTTPRoutes', () => {
  test('an HTTPRoute naming a Gateway is served on its hostnames, to its Service’s named port', () => {
    const admissions = admitHttpRoutes([httpRoute('shop')], [service('shop')]);
    expect(admissions.map((a) => [a.accepted.reason, a.resolvedRefs.reason])).toEqual([['Accepted', 'ResolvedRefs']]);
    expect(httpRouteTargets(admissions, new Set())).toEqual([
      { key: 'httproute:demo/shop', namespace: 'demo', host: 'shop.apps.example.com', service: 'shop', port: 'http' },
    ]);
  });

  test('a host a Route or Ingress already has stays theirs; an HTTPRoute naming no Gateway is ignored', () => {
    const admissions = admitHttpRoutes(
      [httpRoute('shop'), httpRoute('mesh', { parentRefs: [{ group: '', kind: 'Service', name: 'x' }] })],
      [service('shop'), service('mesh')],
    );
    expect(admissions.map((a) => a.route.metadata.name)).toEqual(['shop']);
    expect(httpRouteTargets(admissions, new Set(['shop.apps.example.com']))).toEqual([]);
  });

  test.each([
    [
      'weights between two Services',
      {
        rules: [
          {
            backendRefs: [
              { name: 'a', port: 8080, weight: 9 },
              { name: 'b', port: 8080 },
            ],
          },
        ],
      },
      ['False', 'UnsupportedValue', 'True', 'ResolvedRefs'],
      /splits its requests between a, b/,
    ],
    ['no hostnames', { hostnames: [] }, ['False', 'UnsupportedValue', 'True', 'ResolvedRefs'], /exact Host/],
    [
      'a missing Service',
      { rules: [{ backendRefs: [{ name: 'gone', port: 8080 }] }] },
      ['True', 'Accepted', 'False', 'BackendNotFound'],
      /Service gone does not exist/,
    ],
    [
      'a port the Service lacks',
      { rules: [{ backendRefs: [{ name: 'shop', port: 9999 }] }] },
      ['True', 'Accepted', 'False', 'BackendNotFound'],
      /Service shop has no port 9999/,
    ],
    [
      'another namespace',
      { rules: [{ backendRefs: [{ name: 'shop', namespace: 'other', port: 8080 }] }] },
      ['True', 'Accepted', 'False', 'RefNotPermitted'],
      /no cross-namespace reference/,
    ],
  ])('not served: %s', (_what, spec, verdicts, message) => {
    const [admission] = admitHttpRoutes([httpRoute('shop', spec)], [service('shop')]);
    if (admission === undefined) throw new Error('expected an admission');
    const { accepted, resolvedRefs } = admission;
    expect([accepted.status, accepted.reason, resolvedRefs.status, resolvedRefs.reason]).toEqual(verdicts);
    expect(`${accepted.message} ${resolvedRefs.message}`).toMatch(message);
    expect(httpRouteTargets([admission], new Set())).toEqual([]);
  });

  test('status.parents: one entry per Gateway, Accepted and ResolvedRefs; written once, kept while unchanged', () => {
    const [admission] = admitHttpRoutes([httpRoute('shop')], [service('shop')]);
    if (admission === undefined) throw new Error('expected an admission');
    expect(httpRouteReported(admission)).toBe(false);
    const parents = httpRouteParentStatus(admission, '2026-12-01T10:00:05Z');
    expect(parents).toEqual([
      {
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'infra' },
        controllerName: GATEWAY_CONTROLLER_NAME,
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: "served by the test bed's router",
            lastTransitionTime: '2026-12-01T10:00:05Z',
            observedGeneration: 1,
          },
          {
            type: 'ResolvedRefs',
            status: 'True',
            reason: 'ResolvedRefs',
            message: 'every backendRef resolves to a Service',
            lastTransitionTime: '2026-12-01T10:00:05Z',
            observedGeneration: 1,
          },
        ],
      },
    ]);
    const written = { ...admission, route: { ...admission.route, status: { parents } } };
    expect(httpRouteReported(written)).toBe(true);
    // A later write keeps the transition time of a condition whose status stays.
    expect(httpRouteParentStatus(written, '2026-12-01T11:00:00Z')?.[0]?.conditions?.[0]?.lastTransitionTime).toBe(
      '2026-12-01T10:00:05Z',
    );
  });
});
