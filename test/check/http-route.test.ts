import { describe, expect, test } from 'vitest';
import { checkManifests } from '../../src/check/run-check.js';
import { CHECK_DEFAULTS } from '../../src/check/settings.js';

const WORKLOAD = (namespace: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: app, image: example/web:1, ports: [{ containerPort: 8080 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: ${namespace} }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`;

function exposuresOf(yaml: string): readonly string[] {
  const report = checkManifests([{ file: 'in.yaml', text: yaml }], CHECK_DEFAULTS);
  expect(report.problems).toEqual([]);
  return report.workloads[0]?.exposures ?? [];
}

function httpRoute(name: string, namespace: string, backendRefs: string): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  parentRefs: [{ name: gw, namespace: infra }]
  hostnames: [web.apps.example.com]
  rules:
    - backendRefs: ${backendRefs}
`;
}

describe('check relates HTTPRoutes to Services by their backendRefs', () => {
  test('a backendRef names a Service in the route’s namespace by default', () => {
    const yaml = WORKLOAD('shop') + httpRoute('web', 'shop', '[{ name: web, port: 80 }]');
    expect(exposuresOf(yaml)).toEqual(['HTTPRoute/web']);
  });

  test('every rule and every backend counts; weight 0 sends nothing, so it does not expose', () => {
    const yaml =
      WORKLOAD('shop') +
      httpRoute('split', 'shop', '[{ name: other, port: 80 }, { name: web, port: 80, weight: 9 }]') +
      httpRoute('drained', 'shop', '[{ name: web, port: 80, weight: 0 }]');
    expect(exposuresOf(yaml)).toEqual(['HTTPRoute/split']);
  });

  test('a backendRef with a namespace reaches the Service there, and only there', () => {
    const yaml =
      WORKLOAD('shop') +
      httpRoute('across', 'edge', '[{ name: web, namespace: shop, port: 80 }]') +
      httpRoute('elsewhere', 'shop', '[{ name: web, namespace: edge, port: 80 }]') +
      httpRoute('same-name-other-namespace', 'edge', '[{ name: web, port: 80 }]');
    expect(exposuresOf(yaml)).toEqual(['HTTPRoute/across']);
  });

  test('a backendRef to another kind is not followed', () => {
    const yaml =
      WORKLOAD('shop') +
      httpRoute('import', 'shop', '[{ group: multicluster.x-k8s.io, kind: ServiceImport, name: web, port: 80 }]');
    expect(exposuresOf(yaml)).toEqual([]);
  });

  test('the findings name the HTTPRoute with the Service that sends the requests', () => {
    const yaml = WORKLOAD('shop') + httpRoute('web', 'shop', '[{ name: web, port: 80 }]');
    const report = checkManifests([{ file: 'in.yaml', text: yaml }], CHECK_DEFAULTS);
    const preStop = report.findings.find((finding) => finding.rule.id === 'prestop-missing');
    expect(preStop?.message).toContain('Service/web (HTTPRoute/web)');
  });

  test('an HTTPRoute of an unknown apiVersion is noted, not related', () => {
    const yaml =
      WORKLOAD('shop') +
      httpRoute('web', 'shop', '[{ name: web, port: 80 }]').replace(
        'gateway.networking.k8s.io/v1',
        'gateway.networking.k8s.io/v1alpha9',
      );
    const report = checkManifests([{ file: 'in.yaml', text: yaml }], CHECK_DEFAULTS);
    expect(report.workloads[0]?.exposures).toEqual([]);
    expect(report.notes.map((note) => note.message).join('\n')).toMatch(
      /not checked: apiVersion "gateway\.networking\.k8s\.io\/v1alpha9"/,
    );
  });
});
