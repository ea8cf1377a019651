import { describe, expect, test } from 'vitest';
import { findImageMapping, localExecCommand, parseImageMapping } from '../../../src/cluster/local/images.js';
import { objectNames, parseManifests } from '../../../src/cluster/local/objects.js';
import { resolveCount } from '../../../src/kubernetes/count-or-percent.js';
import { Timing } from '../../../src/runtime/timing.js';
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

  test('HTTPRoutes are read as routes to their one Service', () => {
    const objects = synthObjects({
      workload: 'deployment',
      expose: 'gateway',
      domain: 'apps.example.com',
      gateway: { name: 'gw', namespace: 'infra' },
    });
    expect(objects.routes.map((r) => `${r.kind}/${r.name}→${r.serviceName}`)).toEqual([
      'HTTPRoute/default-app→default-app',
      'HTTPRoute/zero-downtime-app→zero-downtime-app',
    ]);
  });

  test('an HTTPRoute whose backendRefs all name one Service, or add one of weight 0, routes to it', () => {
    const yaml = `kind: HTTPRoute
metadata: { name: web }
spec:
  rules:
    - backendRefs: [{ name: web, port: 80, weight: 3 }, { name: canary, port: 80, weight: 0 }]
    - backendRefs: [{ name: web, port: 80 }]
`;
    expect(parseManifests([{ source: 'f.yaml', yaml }]).routes).toEqual([
      { kind: 'HTTPRoute', name: 'web', serviceName: 'web' },
    ]);
  });

  test.each([
    [
      'kind: HTTPRoute\nmetadata: { name: web }\nspec:\n  rules: [{ backendRefs: [{ name: a, port: 80, weight: 9 }, { name: b, port: 80 }] }]\n',
      "f.yaml: HTTPRoute/web: spec.rules[].backendRefs: the local cluster's router sends a route to one Service, and this HTTPRoute splits its requests between a, b; weighted backends need a real Gateway (--target cluster)",
    ],
    [
      'kind: HTTPRoute\nmetadata: { name: web }\nspec:\n  rules: [{ backendRefs: [{ name: a, port: 80, weight: 0 }] }]\n',
      'f.yaml: HTTPRoute/web: spec.rules[].backendRefs: no backendRef with a weight above 0',
    ],
    [
      'kind: HTTPRoute\nmetadata: { name: web }\nspec:\n  rules: [{ backendRefs: [{ kind: ServiceImport, name: a }] }]\n',
      'f.yaml: HTTPRoute/web: spec.rules.0.backendRefs.0.kind:',
    ],
  ])('refuses %j', (yaml, message) => {
    expect(() => parseManifests([{ source: 'f.yaml', yaml }])).toThrowError(message);
  });

  test.each([
    ['kind: StatefulSet\nmetadata: { name: db }\n', 'f.yaml: StatefulSet/db: the local cluster cannot run this kind'],
    [
      'kind: Deployment\nmetadata: { name: web }\nspec: { selector: { matchLabels: {} } }\n',
      'f.yaml: Deployment/web: spec.template:',
    ],
    ['kind: Service\nmetadata: { name: web }\nspec: { ports: [] }\n', 'f.yaml: Service/web: spec.ports:'],
    ['a: [\n', 'f.yaml: not valid YAML'],
    ['- a\n- b\n', 'f.yaml: document 1 is not a Kubernetes object (got a list, expected a mapping with a "kind")'],
    ['metadata: { name: x }\n', 'f.yaml: document 1 has no "kind"; expected a Kubernetes object'],
    ['kind: { a: 1 }\n', 'f.yaml: kind {"a":1} is not a string; expected a Kubernetes object'],
    ['kind: List\nitems: { a: 1 }\n', 'f.yaml: List: items: expected a list, got {"a":1}'],
    ['&list\nkind: List\nitems: [*list]\n', 'f.yaml: a List contains itself (through a YAML alias)'],
    [
      'kind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: .inf }] }\n',
      'f.yaml: Service/web: spec.ports.0.port: Invalid input: expected number, got .inf',
    ],
    [
      'kind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 70000 }] }\n',
      'f.yaml: Service/web: spec.ports.0.port: Too big: expected number to be <=65535',
    ],
    [
      'kind: List\nitems:\n- kind: Deployment\n  metadata: { name: web }\n  spec: { replicas: "2" }\n',
      'f.yaml: Deployment/web: spec.replicas: Invalid input: expected number, got "2"',
    ],
    [
      `kind: StatefulSet\nmetadata: { name: ${'d'.repeat(5000)} }\n`,
      `f.yaml: StatefulSet/${'d'.repeat(200)}… (5000 characters): the local cluster cannot run this kind`,
    ],
  ])('rejects %j', (yaml, message) => {
    expect(() => parseManifests([{ source: 'f.yaml', yaml }])).toThrowError(message);
  });

  test.each([
    ['replicas', 'spec: { replicas: 2147483648 }'],
    ['progressDeadlineSeconds', 'spec: { progressDeadlineSeconds: 2147483648 }'],
  ])('rejects %s beyond int32, as the API server does', (field, patch) => {
    const yaml = deploymentYaml('web').replace('spec:', `${patch.replace(/^spec: \{ (.*) \}$/, 'spec:\n  $1')}`);
    expect(() => parseManifests([{ source: 'f.yaml', yaml }])).toThrowError(
      `f.yaml: Deployment/web: spec.${field}: Too big: expected number to be <=2147483647`,
    );
  });

  test('kind: List, as oc get -o yaml prints it, with nested Lists and <Kind>List items without a kind', () => {
    const yaml = [
      'apiVersion: v1',
      'kind: List',
      'metadata: { resourceVersion: "" }',
      'items:',
      indent(deploymentYaml('web')),
      '- kind: List',
      '  items:',
      '  - { kind: Service, metadata: { name: web }, spec: { ports: [{ port: 80 }] } }',
      '- kind: RouteList',
      '  items:',
      '  - { metadata: { name: web }, spec: { to: { name: web } } }',
      '  - null',
    ].join('\n');
    const objects = parseManifests([{ source: 'list.yaml', yaml }]);
    expect(objectNames(objects)).toEqual(['Deployment/web', 'Service/web', 'Route/web']);
  });

  test('YAML merge keys (<<), which kubectl accepts', () => {
    const yaml = [
      'kind: Service',
      'metadata: { name: web }',
      'spec:',
      '  <<: { ports: [{ port: 80 }] }',
      '  selector: { app: web }',
    ].join('\n');
    expect(parseManifests([{ source: 'f.yaml', yaml }]).services[0]?.spec.ports).toEqual([{ port: 80 }]);
  });

  test.each([
    ['Deployment/web and DeploymentConfig/web: one workload name', deploymentYaml('web'), dcYaml('web'), 'workload'],
    [
      'two Services named web',
      'kind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 80 }] }\n',
      'kind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 81 }] }\n',
      'Service',
    ],
  ])('rejects %s: the local cluster would run only one', (_, first, second, space) => {
    expect(() =>
      parseManifests([
        { source: 'a.yaml', yaml: first },
        { source: 'b.yaml', yaml: second },
      ]),
    ).toThrowError(`a second ${space} named "web" (the first is in a.yaml as`);
  });
});

function deploymentYaml(name: string): string {
  return [
    'kind: Deployment',
    `metadata: { name: ${name} }`,
    'spec:',
    `  selector: { matchLabels: { app: ${name} } }`,
    '  template:',
    `    metadata: { labels: { app: ${name} } }`,
    `    spec: { containers: [{ name: app, image: "${name}:1" }] }`,
  ].join('\n');
}

function dcYaml(name: string): string {
  return deploymentYaml(name)
    .replace('kind: Deployment', 'kind: DeploymentConfig')
    .replace(/selector: .*/, `selector: { app: ${name} }`);
}

/** A mapping as one item of a YAML list. */
function indent(yaml: string): string {
  return yaml
    .split('\n')
    .map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`))
    .join('\n');
}

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
