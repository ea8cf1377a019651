import { describe, expect, test } from 'vitest';
import { byKind, container, render, renderVariants } from '../helpers/render.js';

const app = { name: 'shop', image: 'shop:1' };

describe('AppChart', () => {
  test('without zeroDowntime renders the platform defaults: no probe, no preStop, no grace period, no rolling params', () => {
    const objects = render(app);
    expect(objects.map((o) => o.kind)).toEqual(['DeploymentConfig', 'Service', 'Route']);
    const dc = byKind(objects, 'DeploymentConfig');
    expect(dc.spec.strategy).toEqual({ type: 'Rolling' });
    expect(dc.spec.template.spec.terminationGracePeriodSeconds).toBeUndefined();
    expect(container(objects).readinessProbe).toBeUndefined();
    expect(container(objects).lifecycle).toBeUndefined();
    expect(dc.metadata.labels['zdd/variant']).toBe('default');
  });

  test('with zeroDowntime: {} renders every setting with its documented default', () => {
    const objects = render({ ...app, replicas: 2, zeroDowntime: {} });
    const dc = byKind(objects, 'DeploymentConfig');
    expect(dc.spec.strategy).toEqual({ type: 'Rolling', rollingParams: { maxSurge: 1, maxUnavailable: 0 } });
    expect(dc.spec.template.spec.terminationGracePeriodSeconds).toBe(40);
    expect(container(objects).readinessProbe).toEqual({
      httpGet: { path: '/', port: 8080, scheme: 'HTTP' },
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 2,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(container(objects).lifecycle).toEqual({ preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 10'] } } });
    expect(byKind(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(dc.metadata.labels['zdd/variant']).toBe('zero-downtime');
  });

  test('object names are stable, without cdk8s hash suffixes', () => {
    const names = render({ ...app, replicas: 2, zeroDowntime: {} }).map((o) => o.metadata.name);
    expect(new Set(names)).toEqual(new Set(['shop']));
  });

  test('a PodDisruptionBudget only with two or more replicas, and never when switched off', () => {
    expect(render({ ...app, replicas: 1, zeroDowntime: {} }).map((o) => o.kind)).not.toContain('PodDisruptionBudget');
    expect(
      render({ ...app, replicas: 3, zeroDowntime: { podDisruptionBudget: false } }).map((o) => o.kind),
    ).not.toContain('PodDisruptionBudget');
  });

  test('the native sleep action replaces the exec hook', () => {
    const objects = render({
      ...app,
      workload: 'deployment',
      zeroDowntime: { preStop: { action: 'sleep', sleepSeconds: 7 } },
    });
    expect(container(objects).lifecycle).toEqual({ preStop: { sleep: { seconds: 7 } } });
  });

  test('the grace period follows the preStop sleep unless set', () => {
    const objects = render({ ...app, zeroDowntime: { preStop: { sleepSeconds: 25 } } });
    expect(byKind(objects, 'DeploymentConfig').spec.template.spec.terminationGracePeriodSeconds).toBe(55);
  });

  test('a knob switched off is left out and the rest stay', () => {
    const objects = render({ ...app, zeroDowntime: { preStop: false } });
    expect(container(objects).lifecycle).toBeUndefined();
    expect(container(objects).readinessProbe).toBeDefined();
  });

  test('Deployment with an Ingress on <name>.<domain>', () => {
    const objects = render({
      ...app,
      workload: 'deployment',
      expose: 'ingress',
      domain: 'apps.example.com',
      zeroDowntime: {},
    });
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'Ingress']);
    expect(byKind(objects, 'Deployment').spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(byKind(objects, 'Ingress').spec.rules[0].host).toBe('shop.apps.example.com');
  });

  test('an HTTPRoute on <name>.<domain>, attached to the Gateway, sending to the Service port', () => {
    const objects = render({
      ...app,
      workload: 'deployment',
      expose: 'gateway',
      domain: 'apps.example.com',
      gateway: { name: 'gw', namespace: 'infra' },
      port: 9000,
    });
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'HTTPRoute']);
    const route = byKind(objects, 'HTTPRoute');
    expect(route).toMatchObject({ apiVersion: 'gateway.networking.k8s.io/v1' });
    expect(route.metadata).toEqual({ name: 'shop', labels: byKind(objects, 'Service').metadata.labels });
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'gw', namespace: 'infra' }],
      hostnames: ['shop.apps.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'shop', port: 9000 }] }],
    });
  });

  test("without a namespace the HTTPRoute's parentRef is the Gateway in its own namespace", () => {
    const objects = render({ ...app, expose: 'gateway', domain: 'apps.example.com', gateway: { name: 'gw' } });
    expect(byKind(objects, 'HTTPRoute').spec.parentRefs).toEqual([{ name: 'gw' }]);
  });

  test('the gateway setting is ignored unless expose is gateway', () => {
    const objects = render({ ...app, expose: 'route', gateway: { name: 'Not A Name' } });
    expect(objects.map((o) => o.kind)).toEqual(['DeploymentConfig', 'Service', 'Route']);
  });

  test('pods meet the restricted Pod Security profile without fixing a user id', () => {
    const objects = render(app);
    const pod = byKind(objects, 'DeploymentConfig').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(objects).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(JSON.stringify(objects)).not.toMatch(/runAsUser|fsGroup/);
  });

  test('percentages round as Kubernetes rounds them: surge up, unavailable down', () => {
    expect(() =>
      render({ ...app, replicas: 3, zeroDowntime: { rolling: { maxSurge: '10%', maxUnavailable: '30%' } } }),
    ).not.toThrow();
  });
});

describe('AppChart rejects', () => {
  test.each([
    [{ ...app, name: 'Shop' }, 'name: must be a DNS-1035 label'],
    [{ ...app, name: '1shop' }, 'name: must be a DNS-1035 label'],
    [{ ...app, port: 0 }, 'port: must be an integer port number from 1 to 65535, got 0'],
    [{ ...app, port: 65536 }, 'port: must be an integer port number from 1 to 65535, got 65536'],
    [{ ...app, replicas: 0 }, 'replicas: must be an integer from 1 to 2147483647, got 0'],
    [
      { ...app, zeroDowntime: { terminationGracePeriodSeconds: -1 } },
      'zeroDowntime.terminationGracePeriodSeconds: must be an integer from 1 to 2147483647, got -1',
    ],
    [
      { ...app, zeroDowntime: { preStop: { sleepSeconds: 2.5 } } },
      'zeroDowntime.preStop.sleepSeconds: must be an integer from 0 to 2147483647, got 2.5',
    ],
    [
      { ...app, zeroDowntime: { preStop: { sleepSeconds: 30 }, terminationGracePeriodSeconds: 30 } },
      'zeroDowntime.preStop.sleepSeconds: must be shorter than terminationGracePeriodSeconds (30), or the pod is SIGKILLed during the hook, got 30',
    ],
    [
      { ...app, zeroDowntime: { readinessProbe: { port: 9090 } } },
      'zeroDowntime.readinessProbe.port: must be a port the container exposes (8080 or "http"), got 9090',
    ],
    [
      { ...app, zeroDowntime: { readinessProbe: { port: 'metrics' } } },
      'zeroDowntime.readinessProbe.port: must be a port the container exposes (8080 or "http"), got "metrics"',
    ],
    [
      { ...app, zeroDowntime: { rolling: { maxUnavailable: 1 } } },
      'zeroDowntime.rolling.maxUnavailable: must come to 0 pods',
    ],
    [
      { ...app, replicas: 4, zeroDowntime: { rolling: { maxSurge: '0%' } } },
      'zeroDowntime.rolling.maxSurge: must come to at least 1 pod',
    ],
    [
      { ...app, zeroDowntime: { rolling: { maxSurge: 'lots' } } },
      'zeroDowntime.rolling.maxSurge: must be a non-negative integer or a percentage',
    ],
    [{ ...app, expose: 'ingress' as const }, 'domain: is required with expose "ingress"'],
    [{ ...app, domain: 'Apps_Example' }, 'domain: must be a DNS-1123 subdomain'],
    [
      { ...app, expose: 'gateway' as const, gateway: { name: 'gw' } },
      'domain: is required with expose "gateway": each variant needs a host of its own',
    ],
    [
      { ...app, expose: 'gateway' as const, domain: 'apps.example.com' },
      'gateway.name: is required with expose "gateway"',
    ],
    [
      { ...app, expose: 'gateway' as const, domain: 'apps.example.com', gateway: { name: 'gw/infra' } },
      "gateway.name: must be the Gateway's name alone: the namespace goes in gateway.namespace",
    ],
    [
      { ...app, expose: 'gateway' as const, domain: 'apps.example.com', gateway: { name: 'Gw' } },
      'gateway.name: must be a DNS-1123 subdomain',
    ],
    [
      { ...app, expose: 'gateway' as const, domain: 'apps.example.com', gateway: { name: 'gw', namespace: 'in.fra' } },
      'gateway.namespace: must be a DNS-1123 label',
    ],
    [{ ...app, resources: { limits: { memory: '1 GB' } } }, 'resources.limits.memory: must be a Kubernetes quantity'],
    [{ ...app, env: { '9LIVES': 'x' } }, 'env.9LIVES: must be a variable name'],
    [{ ...app, image: 'my image' }, 'image: must be a container image reference without spaces'],
    // Kubernetes stores these as int32: larger values would be refused by the API server.
    [{ ...app, replicas: 2 ** 31 }, 'replicas: must be an integer from 1 to 2147483647, got 2147483648'],
    [
      { ...app, zeroDowntime: { readinessProbe: { failureThreshold: 2 ** 31 } } },
      'zeroDowntime.readinessProbe.failureThreshold: must be an integer from 1 to 2147483647, got 2147483648',
    ],
    [
      { ...app, zeroDowntime: { readinessProbe: { initialDelaySeconds: 1e21 } } },
      'zeroDowntime.readinessProbe.initialDelaySeconds: must be an integer from 0 to 2147483647, got 1e+21',
    ],
    [
      { ...app, zeroDowntime: { terminationGracePeriodSeconds: 2 ** 31 } },
      'zeroDowntime.terminationGracePeriodSeconds: must be an integer from 1 to 2147483647, got 2147483648',
    ],
    [
      { ...app, zeroDowntime: { rolling: { maxSurge: '2147483648%' } } },
      'zeroDowntime.rolling.maxSurge: must be a non-negative integer or a percentage such as "25%", got "2147483648%"',
    ],
    [
      { ...app, image: `a ${'b'.repeat(1000)}` },
      `image: must be a container image reference without spaces, got "a ${'b'.repeat(198)}"… (1002 characters)`,
    ],
  ])('%j', (props, message) => {
    expect(() => render(props)).toThrowError(message);
  });

  test('the two variants under one name', () => {
    expect(() => renderVariants({ names: { default: 'shop', zeroDowntime: 'shop' } })).toThrowError(
      'names.zeroDowntime: must differ from names.default: with one name both variants would write the same objects and select the same pods, got "shop"',
    );
  });
});
