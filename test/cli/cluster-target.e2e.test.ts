import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { findOnPath } from '../../src/runtime/executables.js';
import { freePort } from '../../src/runtime/free-port.js';
import { REPO, zdd } from '../helpers/cli.js';

/**
 * `zdd compare --target cluster` without a cluster: what it checks before it touches one, what --dry-run
 * prints, and what it says when the cluster cannot be reached. (The runs against a real control plane are in
 * test/testbed/.)
 */
const scratch = mkdtempSync(join(tmpdir(), 'zdd-test-cluster-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A kubeconfig whose server is `server` (by default one nothing listens on). */
async function deadKubeconfig(server?: string): Promise<string> {
  const path = join(scratch, `kubeconfig-${await freePort()}`);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters: [{ name: dead, cluster: { server: "${server ?? `https://127.0.0.1:${await freePort()}`}", insecure-skip-tls-verify: true } }]
users: [{ name: me, user: { token: abc } }]
contexts: [{ name: dead, context: { cluster: dead, user: me, namespace: from-context } }]
current-context: dead
`,
  );
  return path;
}

/**
 * A host name that cannot resolve, and is refused before any DNS query is sent (a label longer than 63
 * characters: Go's and glibc's resolvers both reject it locally), so the test sends nothing off this machine.
 */
const UNRESOLVABLE = `${'a'.repeat(64)}.invalid`;

/** A PATH whose `oc` is the real kubectl under oc's name (they share `auth can-i` and `config view`). */
function pathWithOc(): string {
  const kubectl = findOnPath('kubectl');
  const dir = join(scratch, 'oc-bin');
  if (kubectl && !existsSync(join(dir, 'oc'))) {
    mkdirSync(dir, { recursive: true });
    symlinkSync(kubectl, join(dir, 'oc'));
  }
  return `${dir}${delimiter}${process.env.PATH ?? ''}`;
}

const NO_KUBECTL = findOnPath('kubectl') === undefined;

describe('compare --target cluster: the flags', () => {
  test.each([
    [['--target', 'cluster', '--time-scale', '0.1'], '--time-scale: only with --target local'],
    [['--target', 'cluster', '--image-command', 'x:*=node a.js'], '--image-command: only with --target local'],
    [['--namespace', 'demo'], '--namespace: only with --target cluster'],
    [['--dry-run', '--cleanup'], '--cleanup, --dry-run: only with --target cluster'],
    [
      ['--target', 'cluster', '--route-url', 'default-app'],
      '--route-url: expected NAME=http://HOST[:PORT]/, got "default-app"',
    ],
    [['--target', 'cluster', '--router-address', 'router'], '--router-address: expected HOST:PORT, got "router"'],
    [['--target', 'cluster', '--namespace', 'Demo_1'], '--namespace: expected a Kubernetes namespace name'],
    [['--target', 'openshift'], '--target: expected one of local, cluster, got "openshift"'],
    [['--run-id', 'abc'], '--run-id: only with --target cluster'],
    [['--target', 'cluster', '--run-id', 'not an id'], '--run-id: expected a run id as zdd prints it'],
    [['--load', 'k6-operator'], '--load k6-operator: only with --target cluster (its runners are pods of the cluster'],
    [
      ['--target', 'cluster', '--parallelism', '2', '--runner-image', 'k6:x'],
      '--parallelism, --runner-image: only with --load k6-operator',
    ],
    [
      ['--target', 'cluster', '--load', 'k6-operator', '--parallelism', '0'],
      '--parallelism: expected an integer ≥ 1, got 0',
    ],
    [
      ['--target', 'cluster', '--load', 'k6-operator', '--runner-toleration', 'dedicated=load'],
      '--runner-toleration: expected KEY[=VALUE]:EFFECT with EFFECT one of NoSchedule, PreferNoSchedule, NoExecute (as kubectl taint writes a taint), got "dedicated=load"',
    ],
    [
      ['--target', 'cluster', '--load', 'k6-operator', '--runner-requests', 'cpu=2', '--runner-limits', 'cpu=1'],
      "the runners' cpu request 2 is more than their limit 1 (--runner-requests and --runner-limits, or k6Operator.runner.resources in the config file)",
    ],
    [
      ['--target', 'cluster', '--load', 'k6-operator', '--runner-node-selector', 'pool'],
      '--runner-node-selector: expected KEY=VALUE (a node label, each key once), got "pool"',
    ],
    [
      ['--target', 'cluster', '--load', 'k6-operator', '--rate', '1200'],
      '--rate: at most 500 requests per second per variant with 1 k6 runner(s) (500 each); raise --parallelism, got 1200',
    ],
  ])('%j', async (args, message) => {
    const result = await zdd(['compare', ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test('neither oc nor kubectl on PATH: exit 2, says what to install', async () => {
    const result = await zdd(
      ['compare', '--target', 'cluster', '--namespace', 'demo', '--results', join(scratch, 'results')],
      { env: { PATH: scratch, HOME: scratch } },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--target cluster needs oc or kubectl on PATH');
  });
});

describe.skipIf(NO_KUBECTL)(
  'compare --target cluster: a server that cannot be reached fails at once, saying why',
  () => {
    const unreachableArgs = [
      'compare',
      '--target',
      'cluster',
      '--load',
      'builtin',
      '--results',
      join(scratch, 'results'),
    ];

    test('nothing listens: refused, with the server, the command, and only the flags not given', async () => {
      const kubeconfig = await deadKubeconfig();
      const result = await zdd([...unreachableArgs, '--kubeconfig', kubeconfig]);
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/zdd: the API server https:\/\/127\.0\.0\.1:\d+ refuses connections/);
      expect(result.stderr).toContain('--namespace from-context get --raw /api/v1/namespaces/from-context');
      // --kubeconfig was given: the hint names only --context.
      expect(result.stderr).toMatch(/; to use another cluster, pass --context$/);
      expect(result.stderr).not.toContain('did not become reachable');
      expect(result.stderr).not.toContain('oc login');
    });

    test('a server name that does not resolve: says so, and names no flag already given', async () => {
      const kubeconfig = await deadKubeconfig(`https://${UNRESOLVABLE}:6443`);
      const result = await zdd([
        ...unreachableArgs,
        '--kubeconfig',
        kubeconfig,
        '--context',
        'dead',
        '--namespace',
        'demo',
      ]);
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        `zdd: the API server's host ${UNRESOLVABLE} does not resolve (DNS: no such host)`,
      );
      expect(result.stderr).not.toMatch(/pass --|did not become reachable/);
    });

    test('a server that accepts connections and never answers: "does not answer", after one bounded call', async () => {
      const sockets: Socket[] = [];
      const server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      try {
        const kubeconfig = await deadKubeconfig(`https://127.0.0.1:${port}`);
        const result = await zdd([...unreachableArgs, '--kubeconfig', kubeconfig]);
        expect(result.exitCode, result.stderr).toBe(2);
        expect(result.stderr).toMatch(
          new RegExp(`zdd: the API server https://127\\.0\\.0\\.1:${port} does not answer \\(`),
        );
        expect(result.stderr).toContain('--request-timeout 10s');
        // One call: the permission checks (each would wait as long again) never ran.
        expect(result.stderr).not.toMatch(/auth can-i|did not become reachable/);
      } finally {
        for (const socket of sockets) socket.destroy();
        server.close();
      }
    }, 120_000);
  },
);

describe.skipIf(NO_KUBECTL)('compare --target cluster --dry-run', () => {
  test("the config file's k6Operator section sets the runners; a flag overrides its field; synth passes it over", async () => {
    const config = join(scratch, 'k6-operator.yaml');
    writeFileSync(
      config,
      `replicas: 3
k6Operator:
  parallelism: 4
  routerAddress: router-internal-default.openshift-ingress.svc:80
  runner:
    image: registry.example/k6:1.8.1
    resources: { requests: { cpu: 500m }, limits: { memory: 1Gi } }
    nodeSelector: { pool: load }
    tolerations:
      - { key: dedicated, operator: Exists, effect: NoSchedule }
    serviceAccountName: k6
`,
    );
    const kubeconfig = await deadKubeconfig();
    const dryRun = (...more: string[]) =>
      zdd([
        'compare',
        '--target',
        'cluster',
        '--dry-run',
        '--kubeconfig',
        kubeconfig,
        '--config',
        config,
        '--load',
        'k6-operator',
        ...more,
        '--results',
        join(scratch, 'results'),
      ]);
    const result = await dryRun('--parallelism', '2');
    expect(result.exitCode, result.stderr).toBe(0);
    const file = /--filename (\S+k6-operator-load\.json)$/m.exec(result.stdout)?.[1] ?? '';
    const list = JSON.parse(readFileSync(file, 'utf8')) as { items: Array<{ spec?: { arguments?: string } }> };
    expect(list.items[1]?.spec).toMatchObject({
      parallelism: 2,
      runner: {
        image: 'registry.example/k6:1.8.1',
        resources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
        nodeSelector: { pool: 'load' },
        tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
        serviceAccountName: 'k6',
      },
    });
    expect(list.items[1]?.spec?.arguments).toContain(
      '"url":"http://router-internal-default.openshift-ingress.svc:80/"',
    );
    // Without --load k6-operator the section waits for the runs that use it; synth reads the same file.
    const builtin = await zdd([
      'compare',
      '--target',
      'cluster',
      '--dry-run',
      '--kubeconfig',
      kubeconfig,
      '--config',
      config,
      '--load',
      'builtin',
      '--results',
      join(scratch, 'results'),
    ]);
    expect(builtin.exitCode, builtin.stderr).toBe(0);
    const synth = await zdd(['synth', '--config', config, '--out', join(scratch, 'dist-k6-operator')]);
    expect(synth.exitCode, synth.stderr).toBe(0);
    // A wrong value names the file, the field and the value as written.
    writeFileSync(config, 'k6Operator:\n  runner:\n    tolerations:\n      - { key: dedicated, effect: Sometimes }\n');
    const wrong = await dryRun();
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain(
      `${config}: k6Operator.runner.tolerations.0.effect: Invalid option: expected one of "NoSchedule"|"PreferNoSchedule"|"NoExecute", got Sometimes`,
    );
  });

  test('--load k6-operator: the operator check, the ConfigMap and TestRun it would create (and their file), the stop', async () => {
    const result = await zdd([
      'compare',
      '--target',
      'cluster',
      '--dry-run',
      '--kubeconfig',
      await deadKubeconfig(),
      '--load',
      'k6-operator',
      '--parallelism',
      '2',
      '--runner-router-address',
      'router-internal-default.openshift-ingress.svc:80',
      '--runner-node-selector',
      'pool=load',
      '--runner-toleration',
      'dedicated=load:NoSchedule',
      '--runner-requests',
      'cpu=500m,memory=256Mi',
      '--runner-service-account',
      'k6',
      '--cleanup',
      '--results',
      join(scratch, 'results'),
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const order = [
      at(/auth can-i create deploymentconfigs/),
      at(/get --raw \/apis\/k6\.io\/v1alpha1 --request-timeout 10s$/),
      at(/auth can-i create testruns\.k6\.io$/),
      at(/auth can-i get pods --subresource log$/),
      at(/create --save-config --filename \S+manifests\.yaml$/),
      at(/^#\s+kind: TestRun$/),
      at(/create --save-config --filename \S+k6-operator-load\.json$/),
      at(/get pods --selector k6_cr=zdd-load-[0-9a-f]{6},runner=true --output json$/),
      at(/logs --follow '<each runner pod/),
      at(/patch deploymentconfigs.apps.openshift.io\/default-app/),
      at(/delete testruns\.k6\.io\/zdd-load-[0-9a-f]{6} --ignore-not-found --wait=false$/),
      at(/^kubectl .* delete \S*configmaps,testruns\.k6\.io --selector zdd\/run-id=/),
    ];
    expect(
      order.every((index) => index >= 0),
      JSON.stringify(order),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The objects as printed, and whole in the file the printed create command reads.
    const file = /--filename (\S+k6-operator-load\.json)$/m.exec(result.stdout)?.[1] ?? '';
    const list = JSON.parse(readFileSync(file, 'utf8')) as {
      items: Array<{ kind: string; spec?: unknown; data?: Record<string, string> }>;
    };
    const [configMap, testRun] = list.items;
    expect(configMap?.data?.['rollout-load.js']).toBe(readFileSync(join(REPO, 'k6', 'rollout-load.js'), 'utf8'));
    expect(testRun?.spec).toMatchObject({
      parallelism: 2,
      initializer: { disabled: true },
      runner: {
        image: 'grafana/k6:1.8.1',
        nodeSelector: { pool: 'load' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'load', effect: 'NoSchedule' }],
        resources: { requests: { cpu: '500m', memory: '256Mi' } },
        serviceAccountName: 'k6',
      },
    });
    const args = String((testRun?.spec as { arguments?: string } | undefined)?.arguments);
    expect(args).toContain('-e SAMPLES=log');
    expect(args).toContain(
      '"url":"http://router-internal-default.openshift-ingress.svc:80/","connection":"new","host":"host-of-default-app.invalid"',
    );
    expect(result.stdout).toContain("#       rollout-load.js: <zdd's k6/rollout-load.js>");
  });

  test('prints every command, in order, with the run id; contacts nothing (the kubeconfig points nowhere)', async () => {
    const result = await zdd([
      'compare',
      '--target',
      'cluster',
      '--dry-run',
      '--kubeconfig',
      await deadKubeconfig(),
      '--rounds',
      '2',
      '--router-address',
      '127.0.0.1:8080',
      '--load',
      'builtin',
      '--cleanup',
      '--results',
      join(scratch, 'results'),
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const commands = lines.filter((line) => line.startsWith('kubectl '));
    const first = (pattern: RegExp) => commands.findIndex((line) => pattern.test(line));
    // The context's namespace, read from the kubeconfig alone.
    expect(commands.every((line) => line.includes('--namespace from-context'))).toBe(true);
    expect(first(/auth can-i create deploymentconfigs/)).toBeGreaterThanOrEqual(0);
    expect(first(/auth can-i delete poddisruptionbudgets/)).toBeGreaterThanOrEqual(0);
    // The reach check, the permissions, the ownership gets, the create, the watches, the rollouts and the
    // cleanup, in that order.
    const order = [
      first(/get --raw \/api\/v1\/namespaces\/from-context --request-timeout 10s/),
      first(/auth can-i/),
      first(/get deploymentconfigs.apps.openshift.io\/default-app --ignore-not-found/),
      first(/create --save-config --filename \S+manifests\.yaml$/),
      first(/get pods .* --watch/),
      first(/get routes.route.openshift.io\/zero-downtime-app .*# its host/),
      first(/patch deploymentconfigs.apps.openshift.io\/default-app --type merge/),
      first(
        /delete deploymentconfigs.apps.openshift.io,services,routes.route.openshift.io,poddisruptionbudgets.policy/,
      ),
    ];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(
      commands.filter((line) => /patch deploymentconfigs.apps.openshift.io\/zero-downtime-app/.test(line)),
    ).toHaveLength(2);
    const runId = /labelled zdd\/run-id=(\S+)/.exec(result.stdout)?.[1];
    expect(runId).toMatch(/^\d{8}t\d{6}z-[0-9a-f]{6}$/);
    expect(result.stdout).toContain(`--selector zdd/run-id=${runId}`);
    expect(result.stdout).toContain('sent to 127.0.0.1:8080 with that Host header');
    // kubectl runs: no oc-only permission; the revisions it reads are asked for.
    expect(first(/auth can-i get replicationcontrollers$/)).toBeGreaterThanOrEqual(0);
    expect(result.stdout).not.toContain('--subresource instantiate');
    // The create reads a file that exists and holds the labelled manifests: the command can be typed again.
    const file = /create --save-config --filename (\S+)$/m.exec(result.stdout)?.[1] ?? '';
    const manifests = readFileSync(file, 'utf8');
    expect(manifests.match(new RegExp(`zdd/run-id: ${runId}`, 'g'))).toHaveLength(7);
    expect(result.stdout).not.toContain('stdin');
  });

  test('--expose gateway: the HTTPRoutes are asked for, read for their host and removed like the rest', async () => {
    const result = await zdd([
      'compare',
      '--target',
      'cluster',
      '--dry-run',
      '--kubeconfig',
      await deadKubeconfig(),
      '--workload',
      'deployment',
      '--expose',
      'gateway',
      '--gateway',
      'gw/infra',
      '--domain',
      'apps.example',
      '--load',
      'builtin',
      '--cleanup',
      '--results',
      join(scratch, 'results'),
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/auth can-i create httproutes\.gateway\.networking\.k8s\.io$/m);
    expect(result.stdout).toMatch(/get httproutes\.gateway\.networking\.k8s\.io\/zero-downtime-app .*# its host/);
    expect(result.stdout).toMatch(/delete deployments\.apps,services,httproutes\.gateway\.networking\.k8s\.io,/);
  });

  test('with oc: also asks for the instantiate subresource that oc rollout latest needs', async () => {
    const result = await zdd(
      [
        'compare',
        '--target',
        'cluster',
        '--dry-run',
        '--kubeconfig',
        await deadKubeconfig(),
        '--load',
        'builtin',
        '--results',
        join(scratch, 'results'),
      ],
      { env: { ...(process.env as Record<string, string>), PATH: pathWithOc(), HOME: scratch } },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('oc --kubeconfig');
    expect(result.stdout).toMatch(
      /^oc .* auth can-i create deploymentconfigs\.apps\.openshift\.io --subresource instantiate$/m,
    );
    expect(result.stdout).toMatch(/^oc .* rollout latest dc\/default-app$/m);
  });
});
