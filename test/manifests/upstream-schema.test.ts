import { describe, expect, test } from 'vitest';
import { type Manifest, renderVariants } from '../helpers/render.js';
import { upstreamErrors } from '../helpers/upstream-schema.js';

const COMBINATIONS = [
  { workload: 'deploymentconfig', expose: 'route' },
  { workload: 'deploymentconfig', expose: 'ingress', domain: 'apps.example.com' },
  { workload: 'deploymentconfig', expose: 'none' },
  { workload: 'deployment', expose: 'route', domain: 'apps.example.com' },
  { workload: 'deployment', expose: 'ingress', domain: 'apps.example.com', ingressClassName: 'openshift-default' },
  { workload: 'deployment', expose: 'none' },
] as const;

function all(...layers: Parameters<typeof renderVariants>): Manifest[] {
  const rendered = renderVariants(...layers);
  return [...rendered.default, ...rendered.zeroDowntime];
}

describe('every emitted object validates against the upstream schema of its kind', () => {
  test.each(COMBINATIONS)('%j', (combination) => {
    for (const object of all(combination))
      expect(upstreamErrors(object), `${object.kind}/${object.metadata.name}`).toEqual([]);
  });

  test('the seed preset', () => {
    for (const object of all({ preset: 'seed' })) expect(upstreamErrors(object), object.kind).toEqual([]);
  });

  test('the native sleep action, env and named probe port', () => {
    const objects = all(
      { workload: 'deployment', env: { LOG_LEVEL: 'debug' } },
      { zeroDowntime: { preStop: { action: 'sleep', shutdownCommand: '' }, readinessProbe: { port: 'http' } } },
    );
    for (const object of objects) expect(upstreamErrors(object), object.kind).toEqual([]);
  });

  test('the validation itself catches a wrong field (it is not a check that cannot fail)', () => {
    const [dc] = all({});
    const broken = structuredClone(dc) as Manifest;
    broken.spec.template.spec.containers[0].readinessProbe = { httpGet: { path: '/', port: 8080 }, periodSecs: 3 };
    broken.spec.strategy.rollingParams = { maxSurge: true };
    const errors = upstreamErrors(broken).join('\n');
    expect(errors).toMatch(/readinessProbe must NOT have additional properties.*periodSecs/);
    expect(errors).toMatch(/rollingParams\/maxSurge must be integer/);
    const service = all({}).find((o) => o.kind === 'Service') as Manifest;
    expect(upstreamErrors({ ...service, spec: { ports: [{ port: 'http' }] } })).not.toEqual([]);
  });
});
