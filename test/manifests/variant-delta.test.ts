import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { type Manifest, renderVariants } from '../helpers/render.js';

/** The top-most paths where two JSON values differ. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const objects = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null;
  if (!objects || Array.isArray(a) !== Array.isArray(b)) return [path];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((key) =>
    differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}/${key}`),
  );
}

/** Both variants with the names and the variant label made equal, so that only the settings differ. */
function delta(...layers: Parameters<typeof renderVariants>): Record<string, string[]> {
  const { spec, default: before, zeroDowntime: after } = renderVariants(...layers);
  const normalize = (objects: Manifest[]) =>
    JSON.parse(
      JSON.stringify(objects)
        .replaceAll(`"${spec.names.default}"`, '"NAME"')
        .replaceAll(`"${spec.names.zeroDowntime}"`, '"NAME"')
        .replaceAll('"zero-downtime"', '"VARIANT"')
        .replaceAll('"default"', '"VARIANT"'),
    ) as Manifest[];
  const [a, b] = [normalize(before), normalize(after)];
  const kinds = [...new Set([...a, ...b].map((o) => o.kind))];
  return Object.fromEntries(
    kinds.map((kind) => {
      const [x, y] = [a.find((o) => o.kind === kind), b.find((o) => o.kind === kind)];
      if (!x) return [kind, ['added']];
      if (!y) return [kind, ['removed']];
      return [kind, differences(x, y)];
    }),
  );
}

const POD = '/spec/template/spec';
/** What the zero-downtime settings change in the pod template. */
const POD_SETTINGS = [
  `${POD}/containers/0/lifecycle`,
  `${POD}/containers/0/readinessProbe`,
  `${POD}/terminationGracePeriodSeconds`,
];

describe('the zero-downtime variant differs from the default one by exactly the zero-downtime set', () => {
  test('DeploymentConfig + Route', () => {
    expect(delta({ workload: 'deploymentconfig', expose: 'route' })).toEqual({
      DeploymentConfig: ['/spec/strategy/rollingParams', ...POD_SETTINGS],
      Service: [],
      Route: [],
      PodDisruptionBudget: ['added'],
    });
  });

  test('Deployment + Ingress', () => {
    expect(delta({ workload: 'deployment', expose: 'ingress', domain: 'apps.example.com' })).toEqual({
      Deployment: ['/spec/strategy/rollingUpdate', ...POD_SETTINGS],
      Service: [],
      Ingress: ['/spec/rules/0/host'],
      PodDisruptionBudget: ['added'],
    });
  });

  test('one replica: no PodDisruptionBudget; the seed', () => {
    expect(delta({ preset: 'seed' })).toEqual({
      DeploymentConfig: ['/spec/strategy/rollingParams', ...POD_SETTINGS],
      Service: [],
      Route: [],
    });
  });

  test('a knob switched off disappears from the delta', () => {
    expect(delta({ zeroDowntime: { preStop: false, podDisruptionBudget: false } })).toEqual({
      DeploymentConfig: [
        '/spec/strategy/rollingParams',
        `${POD}/containers/0/readinessProbe`,
        `${POD}/terminationGracePeriodSeconds`,
      ],
      Service: [],
      Route: [],
    });
  });
});
