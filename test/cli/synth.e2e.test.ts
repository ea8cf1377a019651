import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO, zdd } from '../helpers/cli.js';

const FILES = ['default.yaml', 'zero-downtime.yaml'];
/** What `--out` holds after a synth of every form: the plain files and the kustomize and Helm folders. */
const ENTRIES = ['default.yaml', 'helm', 'kustomize', 'zero-downtime.yaml'];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-synth-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function synthInto(name: string, args: string[] = []) {
  const out = join(scratch, name);
  const result = await zdd(['synth', '--out', out, ...args]);
  return { result, out, read: (file: string) => readFile(join(out, file), 'utf8') };
}

function objects(yaml: string) {
  // biome-ignore lint/suspicious/noExplicitAny: assertions walk the parsed YAML
  return parseAllDocuments(yaml).map((document) => document.toJS() as any);
}

describe('zdd synth', () => {
  test('writes one file per variant and says what to do next', async () => {
    const { result, out } = await synthInto('plain');
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect((await readdir(out)).sort()).toEqual(ENTRIES);
    expect(result.stdout).toContain(
      'DeploymentConfig/zero-downtime-app, Service/zero-downtime-app, Route/zero-downtime-app, PodDisruptionBudget/zero-downtime-app',
    );
    expect(result.stdout).toContain(`diff ${out}/default.yaml ${out}/zero-downtime.yaml`);
  });

  test('the committed dist/ is what synth writes now', async () => {
    const { read } = await synthInto('dist');
    for (const file of FILES) expect(await read(file), file).toBe(await readFile(join(REPO, 'dist', file), 'utf8'));
  });

  test('is deterministic: two runs give byte-identical files', async () => {
    const [first, second] = await Promise.all([
      synthInto('run-1', ['--preset', 'seed']),
      synthInto('run-2', ['--preset', 'seed']),
    ]);
    for (const file of FILES) expect(await first.read(file)).toBe(await second.read(file));
  });

  test.each([
    ['deploymentconfig', 'route', []],
    ['deploymentconfig', 'ingress', ['--domain', 'apps.example.com']],
    ['deploymentconfig', 'none', []],
    ['deployment', 'route', []],
    ['deployment', 'ingress', ['--domain', 'apps.example.com']],
    ['deployment', 'none', []],
    ['deploymentconfig', 'gateway', ['--domain', 'apps.example.com', '--gateway', 'gw']],
    ['deployment', 'gateway', ['--domain', 'apps.example.com', '--gateway', 'gw/infra']],
  ])('golden files: --workload %s --expose %s', async (workload, expose, extra) => {
    const { result, read } = await synthInto(`${workload}-${expose}`, [
      '--workload',
      workload,
      '--expose',
      expose,
      ...extra,
    ]);
    expect(result.exitCode).toBe(0);
    for (const file of FILES)
      await expect(await read(file)).toMatchFileSnapshot(`../golden/${workload}-${expose}/${file}`);
  });

  test("--preset seed contains the seed's container settings verbatim", async () => {
    const { result, read } = await synthInto('seed', ['--preset', 'seed']);
    expect(result.exitCode).toBe(0);
    const [dc] = objects(await read('zero-downtime.yaml'));
    expect(dc.metadata.name).toBe('custom-app');
    expect(dc.spec.replicas).toBe(1);
    const pod = dc.spec.template.spec;
    expect(pod.containers[0].readinessProbe).toEqual({
      httpGet: { path: '/session/index.jsp', port: 8080, scheme: 'HTTP' },
      initialDelaySeconds: 30,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(pod.containers[0].lifecycle).toEqual({
      preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 10; /opt/jws-5.3/tomcat/bin/shutdown.sh'] } },
    });
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    const [defaultDc] = objects(await read('default.yaml'));
    expect(defaultDc.metadata.name).toBe('default-app');
    for (const file of FILES) await expect(await read(file)).toMatchFileSnapshot(`../golden/seed/${file}`);
  });

  test('--stdout prints both variants and writes nothing', async () => {
    const result = await zdd(['synth', '--stdout', '--out', join(scratch, 'never')]);
    expect(result.exitCode).toBe(0);
    expect(objects(result.stdout).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'DeploymentConfig/default-app',
      'Service/default-app',
      'Route/default-app',
      'DeploymentConfig/zero-downtime-app',
      'Service/zero-downtime-app',
      'Route/zero-downtime-app',
      'PodDisruptionBudget/zero-downtime-app',
    ]);
    await expect(readdir(join(scratch, 'never'))).rejects.toThrow();
  });

  test('--config (YAML or JSON) overrides the preset, and flags override the config file', async () => {
    const yamlFile = join(scratch, 'settings.yaml');
    await writeFile(yamlFile, 'preset: seed\nreplicas: 3\nzeroDowntime:\n  preStop:\n    sleepSeconds: 20\n');
    const jsonFile = join(scratch, 'settings.json');
    await writeFile(jsonFile, JSON.stringify({ workload: 'deployment', env: { MODE: 'demo' } }));
    for (const [file, expected] of [
      [yamlFile, { kind: 'DeploymentConfig', replicas: 2, script: 'sleep 20; /opt/jws-5.3/tomcat/bin/shutdown.sh' }],
      [jsonFile, { kind: 'Deployment', replicas: 2, script: 'sleep 10; node /opt/app-root/src/shutdown.js' }],
    ] as const) {
      const result = await zdd(['synth', '--stdout', '--config', file, '--replicas', '2']);
      expect(result.exitCode, result.stderr).toBe(0);
      const workload = objects(result.stdout).find((o) => o.metadata.name !== 'default-app');
      expect(workload.kind).toBe(expected.kind);
      expect(workload.spec.replicas).toBe(expected.replicas);
      expect(workload.spec.template.spec.containers[0].lifecycle.preStop.exec.command[2]).toBe(expected.script);
    }
  });

  test('the example config file in the README works', async () => {
    const result = await zdd(['synth', '--stdout', '--config', 'examples/zdd.yaml']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(objects(result.stdout).map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Deployment/shop');
  });

  test('`cdk8s synth` (cdk8s.yaml) writes the same bytes', async () => {
    const out = join(scratch, 'cdk8s');
    await execa('npx', ['cdk8s', 'synth', '--output', out], { cwd: REPO });
    for (const file of FILES) {
      expect(await readFile(join(out, file), 'utf8'), file).toBe(await readFile(join(REPO, 'dist', file), 'utf8'));
    }
  });
});

describe('zdd synth rejects bad input: one message naming the field and the rule, exit 2, nothing written', () => {
  // Named before the scratch folder exists, because the test table below needs the paths; removed in afterAll.
  const badConfig = join(tmpdir(), `zdd-bad-config-${process.pid}.yaml`);
  const unknownKeyConfig = join(tmpdir(), `zdd-unknown-key-${process.pid}.json`);
  beforeAll(async () => {
    await writeFile(badConfig, 'port: 8080\n  oops: [\n');
    await writeFile(unknownKeyConfig, '{"zeroDowntime": {"gracePeriod": 30}}');
  });
  afterAll(async () => {
    await Promise.all([badConfig, unknownKeyConfig].map((path) => rm(path, { force: true })));
  });

  test.each([
    [['--name-default', 'Default_App'], 'invalid setting names.default (--name-default): must be a DNS-1035 label'],
    [
      ['--name-zero-downtime', 'x'.repeat(64)],
      'invalid setting names.zeroDowntime (--name-zero-downtime): must be a DNS-1035 label',
    ],
    [['--port', '0'], 'invalid setting port (--port): must be an integer port number from 1 to 65535, got 0'],
    [['--port', '65536'], 'invalid setting port (--port): must be an integer port number from 1 to 65535, got 65536'],
    [['--port', 'http'], '--port: expected a number, got "http"'],
    [
      ['--grace-period=-5'],
      'invalid setting zeroDowntime.terminationGracePeriodSeconds (--grace-period): must be an integer from 1 to 2147483647, got -5',
    ],
    [
      ['--prestop-sleep', '2.5'],
      'invalid setting zeroDowntime.preStop.sleepSeconds (--prestop-sleep): must be an integer from 0 to 2147483647, got 2.5',
    ],
    [
      ['--probe-period', '0'],
      'invalid setting zeroDowntime.readinessProbe.periodSeconds (--probe-period): must be an integer from 1 to 2147483647, got 0',
    ],
    [
      ['--prestop-sleep', '60', '--grace-period', '60'],
      'invalid setting zeroDowntime.preStop.sleepSeconds (--prestop-sleep): must be shorter than terminationGracePeriodSeconds (60), or the pod is SIGKILLed during the hook, got 60',
    ],
    [
      ['--probe-port', '9090'],
      'invalid setting zeroDowntime.readinessProbe.port (--probe-port): must be a port the container exposes (8080 or "http"), got 9090',
    ],
    [
      ['--expose', 'gateway', '--domain', 'apps.example'],
      'invalid setting gateway.name (--gateway): is required with expose "gateway": the name (and namespace) of the Gateway the HTTPRoute attaches to',
    ],
    [
      ['--expose', 'gateway', '--gateway', 'gw'],
      'invalid setting domain (--domain): is required with expose "gateway": each variant needs a host of its own',
    ],
    [
      ['--expose', 'gateway', '--domain', 'apps.example', '--gateway', 'gw/In_Fra'],
      'invalid setting gateway.namespace (--gateway): must be a DNS-1123 label',
    ],
    [
      ['--expose', 'gateway', '--domain', 'apps.example', '--gateway', 'GW'],
      'invalid setting gateway.name (--gateway): must be a DNS-1123 subdomain',
    ],
    // The wording of these three is the argument parser's (src/cli): match only what each must name.
    [['--replicass', '2'], /unknown.*replicass/i],
    [['--preset', 'fast'], /preset.*"fast"/],
    [['--workload', 'statefulset'], /workload.*"statefulset"/],
    [['--config', '/nonexistent/zdd.yaml'], '--config: cannot read /nonexistent/zdd.yaml: does not exist'],
    [
      ['--config', badConfig],
      `${badConfig}: not valid YAML or JSON: Nested mappings are not allowed in compact mappings at line 1, column 7`,
    ],
    [['--config', unknownKeyConfig], `${unknownKeyConfig}: zeroDowntime: Unrecognized key: "gracePeriod"`],
  ])('%j', async (args, message) => {
    const out = join(scratch, `bad-${randomUUID()}`, 'dist');
    const result = await zdd(['synth', '--out', out, ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  test('an existing dist/ is left untouched', async () => {
    const { out, read } = await synthInto('untouched');
    const before = await Promise.all(FILES.map(read));
    const result = await zdd(['synth', '--out', out, '--port', '99999']);
    expect(result.exitCode).toBe(2);
    expect(await Promise.all(FILES.map(read))).toEqual(before);
    expect((await readdir(out)).sort()).toEqual(ENTRIES);
  });

  test('--out that is a file', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, '');
    const result = await zdd(['synth', '--out', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`--out: ${file} is a file, not a folder`);
  });

  test('an unknown command', async () => {
    const result = await zdd(['deploy']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown.*deploy/i);
  });
});
