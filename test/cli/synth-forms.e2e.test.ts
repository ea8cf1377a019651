import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO, zdd } from '../helpers/cli.js';
import { KUSTOMIZE_MISSING, KUSTOMIZE_TOOL, kustomizeBuild } from '../helpers/kustomize.js';
import { findTool, parsedObjects, withoutHelmLabels } from '../helpers/tools.js';

const HELM = findTool('helm');
const HELM_MISSING =
  'helm is not installed; `go install helm.sh/helm/v3/cmd/helm@v3.22.0` puts it in $(go env GOPATH)/bin';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-synth-forms-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Every file under `folder`, by its path inside it. */
async function filesUnder(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(relative(folder, path), await readFile(path, 'utf8'));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Runs `zdd synth` into a new folder; the variants' names come from the plain files. */
async function synthInto(name: string, args: readonly string[]) {
  const out = join(scratch, name.replace(/\W+/g, '-'));
  const result = await zdd(['synth', '--out', out, ...args]);
  expect(result.exitCode, result.stderr).toBe(0);
  const plain = {
    default: await readFile(join(out, 'default.yaml'), 'utf8'),
    zeroDowntime: await readFile(join(out, 'zero-downtime.yaml'), 'utf8'),
  };
  const names = {
    default: parsedObjects(plain.default)[0]?.metadata.name ?? '',
    zeroDowntime: parsedObjects(plain.zeroDowntime)[0]?.metadata.name ?? '',
  };
  const [chart] = await readdir(join(out, 'helm'));
  return { out, plain, names, chartDir: join(out, 'helm', chart ?? '') };
}

async function helm(args: readonly string[]) {
  if (HELM === undefined) throw new Error(HELM_MISSING);
  return execa(HELM, args, { reject: false, timeout: 60_000 });
}

/** `helm template` of one variant, the release named after it so that the names are the plain files'. */
async function helmTemplate(chartDir: string, name: string, enabled: boolean, extra: readonly string[] = []) {
  const result = await helm([
    'template',
    name,
    chartDir,
    '--set',
    `zeroDowntime.enabled=${enabled}`,
    '--set',
    `fullnameOverride=${name}`,
    '--set',
    `nameOverride=${name}`,
    ...extra,
  ]);
  expect(result.exitCode, result.stderr).toBe(0);
  return withoutHelmLabels(parsedObjects(result.stdout));
}

const COMBINATIONS = [
  ['deploymentconfig', 'route', []],
  ['deploymentconfig', 'ingress', ['--domain', 'apps.example.com']],
  ['deploymentconfig', 'none', []],
  ['deployment', 'route', []],
  ['deployment', 'ingress', ['--domain', 'apps.example.com', '--ingress-class', 'nginx']],
  ['deployment', 'none', []],
  ['deploymentconfig', 'gateway', ['--domain', 'apps.example.com', '--gateway', 'gw']],
  ['deployment', 'gateway', ['--domain', 'apps.example.com', '--gateway', 'gw/infra']],
] as const;

/** Every workload × expose combination with both presets, and settings that change the objects' shape. */
const CASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ...(['default', 'seed'] as const).flatMap((preset) =>
    COMBINATIONS.map(
      ([workload, expose, extra]) =>
        [
          `--preset ${preset} --workload ${workload} --expose ${expose}`,
          ['--preset', preset, '--workload', workload, '--expose', expose, ...extra],
        ] as const,
    ),
  ),
  ['the example config file', ['--config', 'examples/zdd.yaml']],
  ['every part switched off', ['--no-readiness-probe', '--no-prestop', '--no-pdb']],
  ['native preStop sleep', ['--prestop-action', 'sleep', '--prestop-sleep', '15']],
  ['an Istio sidecar that drains as long as the preStop sleep', ['--platform', 'istio-sidecar']],
  [
    'an AWS ALB on Kubernetes 1.30: the native sleep for its 125 s',
    ['--platform', 'aws-alb-ip', '--kubernetes-version', '1.30', '--shutdown-command', ''],
  ],
  [
    'probe on "http", env in its order, one replica, no shutdown command, a Route host',
    [
      '--probe-port',
      'http',
      '--env',
      'B=2',
      '--env',
      'A=1',
      '--replicas',
      '1',
      '--shutdown-command',
      '',
      '--domain',
      'apps.example.com',
    ],
  ],
  ['percentages', ['--replicas', '5', '--max-surge', '50%', '--max-unavailable', '10%', '--cpu-limit', '2']],
];

describe.each(CASES)('synth %s', (name, args) => {
  let synthesized: Awaited<ReturnType<typeof synthInto>>;
  beforeAll(async () => {
    synthesized = await synthInto(name, args);
  });

  test.skipIf(KUSTOMIZE_TOOL === undefined)(
    `kubectl kustomize of the base and the overlay gives the plain files' objects${KUSTOMIZE_TOOL ? '' : ` (skipped: ${KUSTOMIZE_MISSING})`}`,
    async () => {
      const kustomize = join(synthesized.out, 'kustomize');
      expect(parsedObjects(await kustomizeBuild(join(kustomize, 'base')))).toEqual(
        parsedObjects(synthesized.plain.default),
      );
      expect(parsedObjects(await kustomizeBuild(join(kustomize, 'overlays', 'zero-downtime')))).toEqual(
        parsedObjects(synthesized.plain.zeroDowntime),
      );
    },
  );

  test.skipIf(HELM === undefined)(
    `helm template with zeroDowntime.enabled false and true gives the two variants; helm lint --strict passes${HELM ? '' : ` (skipped: ${HELM_MISSING})`}`,
    async () => {
      const { chartDir, names, plain } = synthesized;
      expect(await helmTemplate(chartDir, names.default, false)).toEqual(
        withoutHelmLabels(parsedObjects(plain.default)),
      );
      expect(await helmTemplate(chartDir, names.zeroDowntime, true)).toEqual(
        withoutHelmLabels(parsedObjects(plain.zeroDowntime)),
      );
      const lint = await helm(['lint', '--strict', chartDir]);
      expect(lint.exitCode, lint.stdout).toBe(0);
      expect(lint.stdout).toContain('0 chart(s) failed');
    },
  );
});

describe.skipIf(HELM === undefined)(`the Helm chart's values${HELM ? '' : ` (skipped: ${HELM_MISSING})`}`, () => {
  let chartDir: string;
  beforeAll(async () => {
    ({ chartDir } = await synthInto('values', []));
  });

  test.each([
    [
      '--set workload=deployment,expose=ingress,domain=apps.example.com',
      ['--workload', 'deployment', '--expose', 'ingress', '--domain', 'apps.example.com'],
    ],
    ['--set replicas=1 (no PodDisruptionBudget)', ['--replicas', '1']],
    ['--set zeroDowntime.preStop.action=sleep,zeroDowntime.preStop.shutdownCommand=', ['--prestop-action', 'sleep']],
    ['--set port=9090 (the probe follows it)', ['--port', '9090']],
    [
      '--set expose=gateway,domain=apps.example.com,gateway.name=gw,gateway.namespace=infra',
      ['--expose', 'gateway', '--domain', 'apps.example.com', '--gateway', 'gw/infra'],
    ],
    [
      '--set expose=gateway,domain=apps.example.com,gateway.name=gw',
      ['--expose', 'gateway', '--domain', 'apps.example.com', '--gateway', 'gw'],
    ],
    ['--set-string zeroDowntime.rolling.maxSurge=50%', ['--max-surge', '50%']],
  ])('the chart of the default settings with %s equals synth with those settings', async (setting, flags) => {
    const [flag, values] = setting.split(' ') as [string, string];
    const expected = await synthInto(`values ${setting}`, flags);
    for (const [enabled, name, plain] of [
      [false, expected.names.default, expected.plain.default],
      [true, expected.names.zeroDowntime, expected.plain.zeroDowntime],
    ] as const) {
      expect(await helmTemplate(chartDir, name, enabled, [flag, values])).toEqual(
        withoutHelmLabels(parsedObjects(plain)),
      );
    }
  });

  test('NOTES.txt says which variant runs and how to roll it out', async () => {
    // `helm template` leaves NOTES.txt out and `helm install --dry-run` needs a cluster: render it as a template.
    const copy = join(scratch, 'notes-chart');
    await cp(chartDir, copy, { recursive: true });
    await rename(join(copy, 'templates', 'NOTES.txt'), join(copy, 'templates', 'notes.yaml'));
    const on = await helm(['template', 'zero-downtime-app', copy, '--show-only', 'templates/notes.yaml']);
    expect(on.exitCode, on.stderr).toBe(0);
    expect(on.stdout).toContain('zero-downtime-app is installed in default: the zero-downtime variant');
    expect(on.stdout).toContain('oc rollout latest dc/zero-downtime-app -n default');
    const off = await helm([
      'template',
      'shop',
      copy,
      '--show-only',
      'templates/notes.yaml',
      '--set',
      'zeroDowntime.enabled=false,workload=deployment,expose=ingress,domain=apps.example.com',
    ]);
    expect(off.exitCode, off.stderr).toBe(0);
    expect(off.stdout).toContain('the default variant');
    expect(off.stdout).toContain('kubectl rollout restart deployment/shop-zero-downtime-app -n default');
    expect(off.stdout).toContain('Its host: shop-zero-downtime-app.apps.example.com');
    const gateway = await helm([
      'template',
      'shop',
      copy,
      '--show-only',
      'templates/notes.yaml',
      '--set',
      'expose=gateway,domain=apps.example.com,gateway.name=gw,gateway.namespace=infra',
    ]);
    expect(gateway.exitCode, gateway.stderr).toBe(0);
    expect(gateway.stdout).toContain('Its host: shop-zero-downtime-app.apps.example.com, through Gateway gw in infra');
  });

  test.each([
    ['--set', 'replicas=0', "at '/replicas': minimum: got 0, want 1"],
    ['--set', 'workload=statefulset', "at '/workload': value must be one of 'deploymentconfig', 'deployment'"],
    ['--set', 'zeroDowntime.gracePeriod=30', "at '/zeroDowntime': additional properties 'gracePeriod' not allowed"],
    ['--set', 'expose=ingress', "at '/domain': minLength: got 0, want 1"],
    ['--set', 'expose=gateway,domain=apps.example.com', "at '/gateway/name': minLength: got 0, want 1"],
    ['--set', 'expose=gateway,gateway.name=gw', "at '/domain': minLength: got 0, want 1"],
    ['--set', 'expose=gateway,domain=a.b,gateway.name=gw,gateway.namespace=In_Fra', "at '/gateway/namespace'"],
    [
      '--set',
      'zeroDowntime.rolling.maxUnavailable=1',
      "at '/zeroDowntime/rolling/maxUnavailable': maximum: got 1, want 0",
    ],
    ['--set', 'zeroDowntime.rolling.maxSurge=0', "at '/zeroDowntime/rolling/maxSurge': minimum: got 0, want 1"],
    ['--set', 'zeroDowntime.preStop.action=sleep', "at '/zeroDowntime/preStop/shutdownCommand': maxLength"],
    ['--set', 'image=a b', "at '/image'"],
    [
      '--set',
      'zeroDowntime.preStop.sleepSeconds=40',
      'zeroDowntime.preStop.sleepSeconds (40) must be shorter than zeroDowntime.terminationGracePeriodSeconds (40), or the pod is SIGKILLed during the hook',
    ],
    [
      '--set',
      'zeroDowntime.readinessProbe.port=9090',
      'zeroDowntime.readinessProbe.port (9090) must be a port the container exposes: port (8080), "http" or empty',
    ],
    [
      '--set-string',
      'zeroDowntime.rolling.maxUnavailable=50%',
      'zeroDowntime.rolling.maxUnavailable (50%) must come to 0 pods with 2 replicas',
    ],
  ])('helm template %s %s is refused: %s', async (flag, value, message) => {
    const result = await helm(['template', 'x', chartDir, flag, value]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});

describe('zdd synth forms', () => {
  test('writes the three forms by default, and --format writes only those asked for', async () => {
    const all = await synthInto('all', []);
    expect((await readdir(all.out)).sort()).toEqual(['default.yaml', 'helm', 'kustomize', 'zero-downtime.yaml']);
    expect([...(await filesUnder(join(all.out, 'helm')))].map(([path]) => path)).toEqual([
      'zero-downtime-app/Chart.yaml',
      'zero-downtime-app/README.md',
      'zero-downtime-app/templates/NOTES.txt',
      'zero-downtime-app/templates/_helpers.tpl',
      'zero-downtime-app/templates/deployment.yaml',
      'zero-downtime-app/templates/deploymentconfig.yaml',
      'zero-downtime-app/templates/httproute.yaml',
      'zero-downtime-app/templates/ingress.yaml',
      'zero-downtime-app/templates/poddisruptionbudget.yaml',
      'zero-downtime-app/templates/route.yaml',
      'zero-downtime-app/templates/service.yaml',
      'zero-downtime-app/values.schema.json',
      'zero-downtime-app/values.yaml',
    ]);
    for (const [format, expected] of [
      ['helm', ['helm']],
      ['kustomize', ['kustomize']],
      ['plain', ['default.yaml', 'zero-downtime.yaml']],
      ['kustomize,plain', ['default.yaml', 'kustomize', 'zero-downtime.yaml']],
    ] as const) {
      const out = join(scratch, `only-${format}`);
      const result = await zdd(['synth', '--out', out, '--format', format]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect((await readdir(out)).sort()).toEqual(expected);
      expect(result.stdout).toContain(`wrote ${out}/`);
    }
  });

  test('--format with an unknown form, and with --stdout, is refused before anything is written', async () => {
    const out = join(scratch, 'refused');
    for (const [args, message] of [
      [
        ['--format', 'plain,chart'],
        '--format: expected plain, kustomize, helm or a comma-separated list of them, got "chart"',
      ],
      [['--format', ''], '--format: expected plain, kustomize, helm or a comma-separated list of them, got ""'],
      [
        ['--format', 'helm', '--stdout'],
        '--stdout prints the plain manifests; it cannot be combined with --format helm',
      ],
    ] as const) {
      const result = await zdd(['synth', '--out', out, ...args]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(message);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    }
  });

  test('is deterministic: two runs write byte-identical files in every form', async () => {
    const [first, second] = await Promise.all([
      synthInto('twice-1', ['--config', 'examples/zdd.yaml']),
      synthInto('twice-2', ['--config', 'examples/zdd.yaml']),
    ]);
    const [a, b] = await Promise.all([filesUnder(first.out), filesUnder(second.out)]);
    expect(a.size).toBeGreaterThan(20);
    expect(b).toEqual(a);
  });

  test('the committed dist/ holds what synth writes now, every form', async () => {
    const { out } = await synthInto('dist', []);
    expect(await filesUnder(join(REPO, 'dist'))).toEqual(await filesUnder(out));
  });

  test('all or nothing across the nested folders: a folder in the way leaves --out as it was', async () => {
    const out = join(scratch, 'blocked');
    await synthInto('blocked', []);
    const before = await filesUnder(out);
    // `helm` becomes a file: the chart cannot be written, so nothing is.
    await rm(join(out, 'helm'), { recursive: true });
    await writeFile(join(out, 'helm'), 'not a folder\n');
    const result = await zdd(['synth', '--out', out, '--replicas', '3']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `--out: cannot create ${join(out, 'helm', 'zero-downtime-app')}: ${join(out, 'helm')} is a file, not a folder; nothing was written`,
    );
    const after = await filesUnder(out);
    expect(after.get('default.yaml')).toBe(before.get('default.yaml'));
    expect(after.get('kustomize/overlays/zero-downtime/settings/deploymentconfig.yaml')).toBe(
      before.get('kustomize/overlays/zero-downtime/settings/deploymentconfig.yaml'),
    );
    expect([...after.keys()].filter((path) => path.includes('.tmp') || path.includes('.old'))).toEqual([]);
  });
});
