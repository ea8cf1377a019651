import { describe, expect, test } from 'vitest';
import { findImageMapping, localExecCommand, parseImageMapping } from '../../../src/cluster/local/images.js';
import { parseManifests } from '../../../src/cluster/local/objects.js';
import { resolveCount } from '../../../src/cluster/local/strategies.js';
import { Timing } from '../../../src/cluster/local/timing.js';
import { synthObjects } from '../../helpers/local.js';

describe('reading manifests', () => {
  test('the objects zdd synth writes, with the defaults the API server would fill in', () => {
    const objects = synthObjects({});
    expect(objects.workloads.map((w) => `${w.kind}/${w.metadata.name}`)).toEqual([
      'DeploymentConfig/default-app',
      'DeploymentConfig/zero-downtime-app',
    ]);
    const [defaults] = objects.workloads;
    if (defaults?.kind !== 'DeploymentConfig') throw new Error('expected a DeploymentConfig');
    expect(defaults.spec.strategy.rollingParams).toEqual({
      maxSurge: '25%',
      maxUnavailable: '25%',
      intervalSeconds: 1,
      updatePeriodSeconds: 1,
      timeoutSeconds: 600,
    });
    expect(defaults.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    expect(objects.routes).toEqual([
      { kind: 'Route', name: 'default-app', serviceName: 'default-app' },
      { kind: 'Route', name: 'zero-downtime-app', serviceName: 'zero-downtime-app' },
    ]);
    expect(objects.ignored).toEqual(['PodDisruptionBudget/zero-downtime-app']);
  });

  test('Ingresses are read as routes to their Service', () => {
    const objects = synthObjects({ workload: 'deployment', expose: 'ingress', domain: 'apps.example.com' });
    expect(objects.routes.map((r) => `${r.kind}/${r.name}→${r.serviceName}`)).toEqual([
      'Ingress/default-app→default-app',
      'Ingress/zero-downtime-app→zero-downtime-app',
    ]);
  });

  test.each([
    ['kind: StatefulSet\nmetadata: { name: db }\n', 'f.yaml: StatefulSet/db: the local cluster cannot run this kind'],
    [
      'kind: Deployment\nmetadata: { name: web }\nspec: { selector: { matchLabels: {} } }\n',
      'f.yaml: Deployment/web: spec.template:',
    ],
    ['kind: Service\nmetadata: { name: web }\nspec: { ports: [] }\n', 'f.yaml: Service/web: spec.ports:'],
    ['a: [\n', 'f.yaml: not valid YAML'],
  ])('rejects %j', (yaml, message) => {
    expect(() => parseManifests([{ source: 'f.yaml', yaml }])).toThrowError(message);
  });
});

describe('images as local commands', () => {
  const timing = new Timing(0.1);
  const mapping = {
    image: 'shop:*',
    command: ['node', 'server.js'],
    portEnv: 'PORT',
    paths: { '/opt/app': '/home/me/shop' },
  };

  test('a trailing * matches any tag; user mappings come first', () => {
    expect(findImageMapping([mapping], 'shop:1.2')).toBe(mapping);
    expect(findImageMapping([mapping], 'shopping:1')).toBeUndefined();
  });

  test('exec commands get local paths and, in a fast profile, scaled sleeps', () => {
    expect(localExecCommand(['/bin/sh', '-c', 'sleep 10; /opt/app/stop.sh'], mapping, timing)).toEqual([
      '/bin/sh',
      '-c',
      'sleep 1; /home/me/shop/stop.sh',
    ]);
    expect(localExecCommand(['/bin/sh', '-c', 'sleep 10'], mapping, new Timing(1))).toEqual([
      '/bin/sh',
      '-c',
      'sleep 10',
    ]);
  });

  test('--image-command IMAGE=COMMAND', () => {
    expect(parseImageMapping('shop:*=node server.js --quiet')).toEqual({
      image: 'shop:*',
      command: ['node', 'server.js', '--quiet'],
      portEnv: 'PORT',
    });
    expect(() => parseImageMapping('node server.js')).toThrowError('--image-command: expected IMAGE=COMMAND');
  });
});

describe('rolling counts round as Kubernetes rounds them', () => {
  test.each([
    ['25%', 2, 'up', 1],
    ['25%', 2, 'down', 0],
    ['25%', 4, 'down', 1],
    ['10%', 3, 'up', 1],
    [2, 10, 'down', 2],
  ] as const)('%s of %i rounded %s is %i', (value, replicas, round, expected) => {
    expect(resolveCount(value, replicas, round)).toBe(expected);
  });
});
