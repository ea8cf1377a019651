import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RULES } from '../../src/check/rules/index.js';
import { sarifErrors } from '../check/sarif-schema.js';
import { BIN, REPO, zdd } from '../helpers/cli.js';
import { flat } from '../helpers/terminal-text.js';

/**
 * `zdd check` through the real CLI (run `npm run -s build` first): the
 * synthesized variants, every rule in every format, exit codes, bad input,
 * standard input, and the shapes real manifests come in.
 */

interface JsonReport {
  verdict: string;
  exitCode: number;
  summary: { files: number; workloads: number; error: number; warning: number; info: number };
  workloads: { kind: string; name: string; file: string; line: number; helmSource: string | null }[];
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    file: string;
    line: number;
    object: { name: string };
  }[];
  notes: { file: string | null; line: number | null; message: string }[];
  inputErrors: { file: string | null; line: number | null; message: string }[];
}

/** Runs the CLI with `input` on its standard input. */
function zddWithInput(args: readonly string[], input: string) {
  return execa(process.execPath, [BIN, ...args], { cwd: REPO, reject: false, input, env: { NO_COLOR: '1' } });
}

async function checkJson(args: readonly string[], input?: string) {
  const result =
    input === undefined
      ? await zdd(['check', '--format', 'json', ...args])
      : await zddWithInput(['check', '--format', 'json', ...args], input);
  return { result, report: JSON.parse(result.stdout) as JsonReport };
}

const ruleIds = (report: JsonReport, object?: string) =>
  [
    ...new Set(report.findings.filter((f) => object === undefined || f.object.name === object).map((f) => f.ruleId)),
  ].sort();

const atLeastWarning = (report: JsonReport, object?: string) =>
  report.findings.filter((f) => (object === undefined || f.object.name === object) && f.severity !== 'info');

/** `${NAME}`, a Template parameter reference as written. */
const param = (name: string) => ['$', '{', name, '}'].join('');

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-check-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('zdd check on the synthesized variants', () => {
  test('the zero-downtime variant passes with no warning or error', async () => {
    const { result, report } = await checkJson(['dist/zero-downtime.yaml']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(report.verdict).toBe('pass');
    expect(atLeastWarning(report)).toEqual([]);
    expect(report.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(['DeploymentConfig/zero-downtime-app']);
  });

  test('the default variant fails with exactly the rules it breaks', async () => {
    const { result, report } = await checkJson(['dist/default.yaml']);
    expect(result.exitCode).toBe(1);
    expect(ruleIds(report)).toEqual(['pdb-missing', 'prestop-missing', 'readiness-probe-missing']);
  });

  test("the seed preset, piped from synth --stdout: custom-app passes, default-app fails exactly as the seed's app did", async () => {
    const synth = await zdd(['synth', '--preset', 'seed', '--stdout']);
    expect(synth.exitCode).toBe(0);
    const { result, report } = await checkJson(['-'], synth.stdout);
    expect(result.exitCode).toBe(1);
    expect(atLeastWarning(report, 'custom-app')).toEqual([]);
    expect(ruleIds(report, 'custom-app')).toEqual(['readiness-window', 'single-replica']);
    expect(ruleIds(report, 'default-app')).toEqual(['prestop-missing', 'readiness-probe-missing', 'single-replica']);
    expect(report.findings.find((f) => f.ruleId === 'readiness-window')?.message).toContain('30–40 s');
  });

  test.each([
    ['deploymentconfig-route'],
    ['deploymentconfig-ingress'],
    ['deploymentconfig-none'],
    ['deployment-route'],
    ['deployment-ingress'],
    ['deployment-none'],
    ['deploymentconfig-gateway'],
    ['deployment-gateway'],
    ['seed'],
  ])('every golden zero-downtime variant passes (%s)', async (variant) => {
    const { result, report } = await checkJson([`test/golden/${variant}/zero-downtime.yaml`]);
    expect(result.exitCode).toBe(0);
    expect(atLeastWarning(report)).toEqual([]);
  });

  test('an HTTPRoute exposes the workload: the human output says so, and the findings name it', async () => {
    const result = await zdd(['check', 'test/golden/deployment-gateway/default.yaml']);
    expect(result.exitCode).toBe(1);
    expect(flat(result.stdout)).toContain('exposed by HTTPRoute/default-app');
    expect(flat(result.stdout)).toContain('Service/default-app (HTTPRoute/default-app) may still send it requests');
  });

  test('the native preStop sleep variant passes too', async () => {
    const synth = await zdd(['synth', '--stdout', '--prestop-action', 'sleep', '--workload', 'deployment']);
    const { report } = await checkJson(['-'], synth.stdout);
    expect(atLeastWarning(report, 'zero-downtime-app')).toEqual([]);
  });
});

describe('every rule through the CLI', () => {
  const fixtures = 'test/fixtures/check/rules';

  test('human output: grouped by object with file:line, each finding with its rule and fix', async () => {
    const result = await zdd(['check', fixtures]);
    expect(result.exitCode).toBe(1);
    // Lines wrap at 80 columns when piped: a path that does not fit goes on a line of its own.
    for (const rule of RULES)
      expect(flat(result.stdout), rule.id).toContain(` ${rule.id} ${fixtures}/${rule.id}.yaml:`);
    expect(flat(result.stdout)).toContain(`Deployment/fire-no-probe ${fixtures}/readiness-probe-missing.yaml:2 `);
    expect(result.stdout).toMatch(/\n {10}fix: Add a readinessProbe/);
    expect(result.stdout).toMatch(/\nFAIL: \d+ findings at or above --fail-on error$/);
  });

  test('json output: every rule id, with file and line', async () => {
    const { result, report } = await checkJson([fixtures]);
    expect(result.exitCode).toBe(1);
    expect(ruleIds(report)).toEqual(RULES.map((rule) => rule.id).sort());
    for (const finding of report.findings) expect(finding.line).toBeGreaterThan(0);
  });

  test('sarif output: every rule id, valid against the SARIF 2.1.0 schema', async () => {
    const result = await zdd(['check', '--format', 'sarif', fixtures]);
    expect(result.exitCode).toBe(1);
    const log = JSON.parse(result.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; level: string; locations: unknown[] }[];
      }[];
    };
    expect(sarifErrors(log)).toEqual([]);
    const [run] = log.runs;
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    expect([...new Set(run?.results.map((r) => r.ruleId))].sort()).toEqual(RULES.map((rule) => rule.id).sort());
    expect(new Set(run?.results.map((r) => r.level))).toEqual(new Set(['error', 'warning', 'note']));
  });

  test('sarif with unreadable input and standard input is still valid, the problems as notifications', async () => {
    const result = await zddWithInput(
      ['check', '--format', 'sarif', 'dist/default.yaml', join(scratch, 'missing.yaml'), '-'],
      'kind: [\n',
    );
    expect(result.exitCode).toBe(2);
    const log = JSON.parse(result.stdout);
    expect(sarifErrors(log)).toEqual([]);
    expect(JSON.stringify(log.runs[0].invocations)).toContain('does not exist');
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
  });
});

describe('exit codes', () => {
  test('--fail-on decides which findings fail: info fails the zero-downtime variant, warning does not', async () => {
    expect((await zdd(['check', 'dist/zero-downtime.yaml', '--fail-on', 'warning'])).exitCode).toBe(0);
    const info = await zdd(['check', 'dist/zero-downtime.yaml', '--fail-on', 'info']);
    expect(info.exitCode).toBe(1);
    expect(info.stdout).toContain('FAIL: 1 finding at or above --fail-on info');
  });

  test('bad YAML names the file and line, exits 2, and the other files are still checked', async () => {
    const folder = join(scratch, 'broken');
    await mkdir(folder);
    await writeFile(
      join(folder, 'a-bad.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: [2\n  selector: {}\n',
    );
    await writeFile(join(folder, 'b-bad.json'), '{\n  "kind": "Service",\n  "metadata": {},,\n}\n');
    await writeFile(join(folder, 'c-good.yaml'), await readFile(join(REPO, 'dist/default.yaml'), 'utf8'));
    const result = await zdd(['check', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`zdd: ${folder}/a-bad.yaml:5: not valid YAML: `);
    expect(result.stderr).toContain(`zdd: ${folder}/b-bad.json:3: not valid YAML: `);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(flat(result.stdout)).toContain(`DeploymentConfig/default-app ${folder}/c-good.yaml:1`);
    expect(result.stdout).toContain('readiness-probe-missing');
    expect(result.stdout).toContain('INPUT ERROR: 2 input problems (on stderr); the rest was checked');
    const { report } = await checkJson([folder]);
    expect(report.exitCode).toBe(2);
    expect(report.inputErrors.map((e) => `${e.file}:${e.line}`)).toEqual([
      `${folder}/a-bad.yaml:5`,
      `${folder}/b-bad.json:3`,
    ]);
  });

  test('a path that does not exist is named, the others are checked', async () => {
    const missing = join(scratch, 'nope.yaml');
    const result = await zdd(['check', missing, 'dist/zero-downtime.yaml']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`zdd: ${missing}: cannot read: does not exist`);
    expect(result.stdout).toContain('DeploymentConfig/zero-downtime-app');
  });

  test('a folder is read like oc apply -f DIR: its manifest files, and a note naming the folders inside it', async () => {
    const folder = join(scratch, 'nested');
    await mkdir(join(folder, 'helm'), { recursive: true });
    await writeFile(join(folder, 'app.yml'), await readFile(join(REPO, 'dist/zero-downtime.yaml'), 'utf8'));
    await writeFile(join(folder, 'README.md'), 'not a manifest');
    const result = await zdd(['check', folder]);
    expect(result.exitCode).toBe(0);
    expect(flat(result.stdout)).toContain(`DeploymentConfig/zero-downtime-app ${folder}/app.yml:1`);
    expect(flat(result.stdout)).toContain(`not read: ${folder}/helm (folders inside a folder are not read`);
  });

  test('input with no workload exits 2 and says what it found', async () => {
    const result = await zddWithInput(['check', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'zdd: no DeploymentConfig, Deployment or StatefulSet in <stdin>; nothing to check (found: ConfigMap/settings)',
    );
  });

  test.each([
    [['--reload-interval', 'soon'], '--reload-interval: expected a number, got "soon"'],
    [['--shutdown-seconds', '-1'], '--shutdown-seconds: expected a number ≥ 0, got -1'],
    [['--format', 'xml'], '--format: expected one of human, json, sarif, codequality, got "xml"'],
    [['--fail-on', 'never'], '--fail-on: expected one of error, warning, info, got "never"'],
    [['--format', 'json', '--format', 'sarif'], '--format is given 2 times'],
  ])('bad flags %j exit 2 with a message', async (flags, message) => {
    const result = await zdd(['check', 'dist/', ...flags]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

describe('settings', () => {
  test('--reload-interval: a 10 s preStop sleep is too short for a 10 s interval', async () => {
    const { report } = await checkJson(['dist/zero-downtime.yaml', '--reload-interval', '10']);
    const finding = report.findings.find((f) => f.ruleId === 'prestop-shorter-than-propagation');
    expect(finding?.message).toContain("less than the router's reload interval (10 s) + 2 s = 12 s");
    expect(report.exitCode).toBe(1);
  });

  test('--shutdown-seconds: a 40 s grace period does not cover a 10 s sleep and a 35 s shutdown', async () => {
    const { report } = await checkJson(['dist/zero-downtime.yaml', '--shutdown-seconds', '35']);
    expect(report.findings.find((f) => f.ruleId === 'grace-period-budget')?.message).toBe(
      "terminationGracePeriodSeconds 40 is less than the preStop delay (10 s) + the app's shutdown (35 s) = 45 s: the app is SIGKILLed 30 s into its shutdown",
    );
  });
});

describe('the shapes real manifests come in: parsed and checked, never skipped silently', () => {
  test.each([
    ['template.yaml', 'DeploymentConfig/tmpl-app', 'readiness-probe-missing'],
    ['template.json', `DeploymentConfig/${param('APP_NAME')}`, 'prestop-shorter-than-propagation'],
    ['openshift3-legacy.yaml', 'DeploymentConfig/legacy-app', 'recreate-strategy'],
    ['list.yaml', 'Deployment/listed-app', 'readiness-probe-missing'],
    ['multi-document.yaml', 'Deployment/streamed-app', 'recreate-strategy'],
    ['anchors.yaml', 'Deployment/anchored-app', 'readiness-same-as-liveness'],
    ['helm-rendered.yaml', 'Deployment/release-shop', 'readiness-same-as-liveness'],
  ])('%s: %s is checked (%s)', async (file, workload, ruleId) => {
    const { report } = await checkJson([`test/fixtures/check/shapes/${file}`]);
    expect(report.inputErrors).toEqual([]);
    expect(report.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual([workload]);
    expect(ruleIds(report)).toContain(ruleId);
  });

  test('Helm output on standard input: each object names its template', async () => {
    const helm = await readFile(join(REPO, 'test/fixtures/check/shapes/helm-rendered.yaml'), 'utf8');
    const result = await zddWithInput(['check', '-'], helm);
    expect(flat(result.stdout)).toContain('Deployment/release-shop <stdin>:23 (from shop/templates/deployment.yaml)');
    expect(flat(result.stdout)).toContain('Pod/release-shop-test-connection: not checked');
  });

  test('a Template parameter without a value where a number belongs is said, with its line', async () => {
    const { report } = await checkJson(['test/fixtures/check/shapes/template.json']);
    expect(report.notes).toContainEqual({
      file: 'test/fixtures/check/shapes/template.json',
      line: 16,
      object: `DeploymentConfig/${param('APP_NAME')}`,
      message: `spec.replicas: expected an integer from 0 to 2147483647, got "${param('{REPLICAS}')}"; judged as 0, the default`,
    });
  });

  test('a removed API version is a finding, and the object is still related', async () => {
    const { report } = await checkJson(['test/fixtures/check/rules/pdb-missing.yaml']);
    expect(report.findings.map((f) => `${f.ruleId} ${f.message}`)).toContain(
      'removed-api-version PodDisruptionBudget/pm-4 is written in apiVersion policy/v1beta1, which Kubernetes 1.25 and later no longer serve: applying it fails; use policy/v1',
    );
    expect(
      report.findings.filter((f) => f.object.name === 'dont-fire-v1beta1-budget' && f.ruleId === 'pdb-missing'),
    ).toEqual([]);
  });
});

describe('manifests zdd did not write: what their authors get wrong', () => {
  /** The zero-downtime variant as zdd writes it, with `edit` applied: clean at --fail-on warning. */
  async function variant(edit: (text: string) => string): Promise<string> {
    const text = await readFile(join(REPO, 'dist/zero-downtime.yaml'), 'utf8');
    const edited = edit(text);
    expect(edited, 'the edit applies').not.toBe(text);
    return edited;
  }

  test('the unedited variant is clean at --fail-on warning', async () => {
    const result = await zddWithInput(['check', '-', '--fail-on', 'warning'], await variant((t) => `${t}\n`));
    expect(result.exitCode).toBe(0);
  });

  test('a probe on a port number the container does not declare is probed all the same: no finding', async () => {
    const text = await variant((t) =>
      t.replace('port: 8080\n              scheme', 'port: 9090\n              scheme'),
    );
    const result = await zddWithInput(['check', '-', '--fail-on', 'warning'], text);
    expect(result.stdout).not.toContain('probe-port-not-exposed');
    expect(result.exitCode).toBe(0);
    // A name must still resolve to a declared port.
    const named = await zddWithInput(
      ['check', '-', '--fail-on', 'warning'],
      text.replace('port: 9090\n              scheme', 'port: health\n              scheme'),
    );
    expect(named.exitCode).toBe(1);
    expect(flat(named.stdout)).toContain(
      'the readinessProbe connects to port "health", a name the container does not have (its ports: http=8080): the probe always fails',
    );
  });

  test('a removed API is an error finding in every format, and the budget still guards the pods', async () => {
    const text = await variant((t) => t.replace('apiVersion: policy/v1\n', 'apiVersion: policy/v1beta1\n'));
    const { result, report } = await checkJson(['-'], text);
    expect(result.exitCode).toBe(1);
    const [finding, ...others] = atLeastWarning(report);
    expect(others).toEqual([]);
    expect([finding?.ruleId, finding?.severity, finding?.object.name, finding?.line]).toEqual([
      'removed-api-version',
      'error',
      'zero-downtime-app',
      text.split('\n').indexOf('apiVersion: policy/v1beta1') + 1,
    ]);
    expect(finding?.message).toBe(
      'PodDisruptionBudget/zero-downtime-app is written in apiVersion policy/v1beta1, which Kubernetes 1.25 and later no longer serve: applying it fails; use policy/v1',
    );
    const sarif = await zddWithInput(['check', '-', '--format', 'sarif'], text);
    expect(sarif.exitCode).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(sarifErrors(log)).toEqual([]);
    const results: { ruleId: string; level: string }[] = log.runs[0].results;
    expect(results.filter((r) => r.level !== 'note').map((r) => `${r.ruleId} ${r.level}`)).toEqual([
      'removed-api-version error',
    ]);
  });

  test('a removed API in a kind zdd does not check, with no workload beside it, is still a finding', async () => {
    const cronJob = [
      'apiVersion: batch/v1beta1',
      'kind: CronJob',
      'metadata: { name: nightly }',
      'spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { containers: [] } } } } }',
      '',
    ].join('\n');
    const result = await zddWithInput(['check', '-'], cronJob);
    expect(result.exitCode).toBe(1);
    expect(flat(result.stdout)).toContain(
      'CronJob/nightly is written in apiVersion batch/v1beta1, which Kubernetes 1.25 and later no longer serve: applying it fails; use batch/v1',
    );
  });

  test('a Service that selects the pods of two workloads names both', async () => {
    const text = await variant(
      (t) =>
        `${t}---\n${[
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: { name: batch-worker }',
          'spec:',
          '  replicas: 2',
          '  selector: { matchLabels: { app.kubernetes.io/name: zero-downtime-app, role: worker } }',
          '  template:',
          '    metadata: { labels: { app.kubernetes.io/name: zero-downtime-app, role: worker } }',
          '    spec: { containers: [{ name: worker, image: example/worker:1 }] }',
          '',
        ].join('\n')}`,
    );
    const { result, report } = await checkJson(['-', '--fail-on', 'warning'], text);
    expect(result.exitCode).toBe(1);
    const finding = report.findings.find((f) => f.ruleId === 'service-selects-several-workloads');
    expect(finding?.severity).toBe('warning');
    expect(finding?.object.name).toBe('zero-downtime-app');
    expect(finding?.message).toBe(
      "Service/zero-downtime-app selects the pods of DeploymentConfig/zero-downtime-app and Deployment/batch-worker: it spreads its requests over all of them, and a rollout of one sends them to the other's pods",
    );
  });

  test.each([
    [
      'spec.publishNotReadyAddresses',
      (t: string) =>
        t.replace(
          '  selector:\n    app.kubernetes.io/name: zero-downtime-app\n---',
          '  publishNotReadyAddresses: true\n  selector:\n    app.kubernetes.io/name: zero-downtime-app\n---',
        ),
      'sets spec.publishNotReadyAddresses: true',
    ],
    [
      'the tolerate-unready-endpoints annotation',
      (t: string) =>
        t.replace(
          'kind: Service\nmetadata:\n',
          'kind: Service\nmetadata:\n  annotations:\n    service.alpha.kubernetes.io/tolerate-unready-endpoints: "true"\n',
        ),
      'has the deprecated annotation service.alpha.kubernetes.io/tolerate-unready-endpoints',
    ],
  ])('a Service with %s sends requests to pods that are not ready: an error', async (_, edit, said) => {
    const { result, report } = await checkJson(['-'], await variant(edit));
    expect(result.exitCode).toBe(1);
    const finding = report.findings.find((f) => f.ruleId === 'service-publishes-unready-pods');
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toContain(`Service/zero-downtime-app ${said}`);
    expect(finding?.message).toContain('DeploymentConfig/zero-downtime-app');
    expect(finding?.message).toContain('readinessProbe protects nothing');
  });
});
