import { describe, expect, test } from 'vitest';
import { gatewayApiErrors, NO_GATEWAY_API, NO_GATEWAY_API_REASON } from '../helpers/gateway-api-schema.js';
import { type Manifest, renderVariants } from '../helpers/render.js';

const COMBINATIONS = [
  {
    workload: 'deployment',
    expose: 'gateway',
    domain: 'apps.example.com',
    gateway: { name: 'gw', namespace: 'infra' },
  },
  { workload: 'deploymentconfig', expose: 'gateway', domain: 'apps.example.com', gateway: { name: 'gw' } },
] as const;

function httpRoutes(...layers: Parameters<typeof renderVariants>): Manifest[] {
  const rendered = renderVariants(...layers);
  return [...rendered.default, ...rendered.zeroDowntime].filter((object) => object.kind === 'HTTPRoute');
}

describe.skipIf(NO_GATEWAY_API)(
  `the HTTPRoute validates against the upstream Gateway API CRD${NO_GATEWAY_API ? ` (${NO_GATEWAY_API_REASON})` : ''}`,
  () => {
    test.each(COMBINATIONS)('%j', (combination) => {
      const routes = httpRoutes(combination);
      expect(routes).toHaveLength(2);
      for (const route of routes) expect(gatewayApiErrors(route, 'httproutes'), route.metadata.name).toEqual([]);
    });

    test('the validation itself catches a wrong field (it is not a check that cannot fail)', () => {
      const [route] = httpRoutes(COMBINATIONS[0]);
      const broken = structuredClone(route) as Manifest;
      broken.spec.rules[0].backendRefs[0].port = 'http';
      broken.spec.rules[0].backendRefs[0].weigth = 2;
      broken.spec.hostnames = ['Not A Host'];
      const errors = gatewayApiErrors(broken, 'httproutes').join('\n');
      expect(errors).toMatch(/backendRefs\/0\/port must be integer/);
      expect(errors).toMatch(/must NOT have additional properties.*weigth/);
      expect(errors).toMatch(/hostnames\/0 must match pattern/);
    });
  },
);
