import { describe, expect, test } from 'vitest';
import { diffSides } from '../../src/diff/diff-report.js';
import { parseManifestObjects } from '../../src/diff/parse-manifests.js';

const route = (name: string, body: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name} }
spec:
${body}`;

function diff(before: string, after: string) {
  return diffSides(
    { label: 'before.yaml', objects: parseManifestObjects('before.yaml', before) },
    { label: 'after.yaml', objects: parseManifestObjects('after.yaml', after) },
  );
}

describe('diff matches HTTPRoutes and explains their changes', () => {
  test('weights, backends, Gateway and host each get their own explanation', () => {
    const before = route(
      'web',
      `  parentRefs: [{ name: gw }]
  hostnames: [web.apps.example.com]
  rules:
    - backendRefs: [{ name: web-v1, port: 80 }, { name: web-v2, port: 80, weight: 0 }]`,
    );
    const after = route(
      'web',
      `  parentRefs: [{ name: gw, namespace: infra }]
  hostnames: [shop.apps.example.com]
  rules:
    - backendRefs: [{ name: web-v1, port: 80 }, { name: web-v2, port: 8080, weight: 3 }]`,
    );
    const [object] = diff(before, after).objects;
    expect(object).toMatchObject({ kind: 'HTTPRoute', before: 'web', status: 'changed' });
    const why = Object.fromEntries((object?.fields ?? []).map((field) => [field.path, field.why]));
    expect(why['spec.parentRefs[name=gw].namespace']).toMatch(/^the Gateway the route attaches to/);
    expect(why['spec.hostnames[0]']).toBe('where clients reach the app: no effect on a rollout');
    expect(why['spec.rules[0].backendRefs[name=web-v2].weight']).toBe(
      "a backend's share of the rule's requests is its weight over the sum of the rule's weights: 0 → 3; 0 sends it none",
    );
    expect(why['spec.rules[0].backendRefs[name=web-v2].port']).toMatch(/^the Services \(and ports\) the Gateway sends/);
  });

  test('a weight left out is 1, the default', () => {
    const before = route('web', '  rules:\n    - backendRefs: [{ name: web, port: 80 }]');
    const after = route('web', '  rules:\n    - backendRefs: [{ name: web, port: 80, weight: 5 }]');
    const [object] = diff(before, after).objects;
    expect(object?.fields.map((field) => field.why)).toEqual([
      "a backend's share of the rule's requests is its weight over the sum of the rule's weights: 1 (the default) → 5; 0 sends it none",
    ]);
  });
});
