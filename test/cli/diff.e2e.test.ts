import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, REPO, zdd } from '../helpers/cli.js';
import { flat } from '../helpers/terminal-text.js';
import { findTool } from '../helpers/tools.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-diff-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const ESC = '\u001b[';

describe('zdd diff of the two variants', () => {
  test('text: each changed field with old → new and why, the numbers from the settings; no colour when piped', async () => {
    const result = await zdd(['diff']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    // Lines wrap at 80 columns when piped: the text, however it wraps.
    const out = flat(result.stdout);
    expect(out).toContain('zdd diff: default (default-app) → zero-downtime (zero-downtime-app)');
    expect(out).toContain('DeploymentConfig default-app → zero-downtime-app');
    expect(out).toContain('+ spec.strategy.rollingParams: { maxSurge: 1, maxUnavailable: 0 }');
    expect(out).toContain(
      'with 2 replicas: up to 3 pods during a rollout (maxSurge 1) and never fewer than 2 ready (maxUnavailable 0); before, maxSurge 25% and maxUnavailable 25% came to the same 1 and 0 at 2 replicas, but lets a pod go unready from 4 replicas on',
    );
    expect(out).toContain(
      'preStop sleep 10 s: keeps the old pod serving while the router, reloading every 5 s, removes it, then `node /opt/app-root/src/shutdown.js` stops the app',
    );
    expect(out).toContain(
      'ready at the earliest 0 s after it starts, and at most 2 s after the app can serve (a probe every 2 s)',
    );
    expect(out).toContain('+ spec.template.spec.terminationGracePeriodSeconds: 40');
    expect(out).toContain('SIGKILL 40 s after deletion: after the 10 s preStop sleep, 30 s remain');
    expect(out).toContain('+ PodDisruptionBudget zero-downtime-app (added)');
    expect(out).toContain('a node drain or cluster upgrade evicts at most 1 of the 2 pods at a time: 1 keeps serving');
    expect(out).toContain('= 6 fields only follow the name: ');
    expect(out).toContain('4 fields differ in 1 object; 1 object added; 3 objects renamed');
    expect(out).not.toContain(ESC);
  });

  test('the numbers follow the settings flags, as with synth', async () => {
    const result = await zdd([
      'diff',
      '--prestop-sleep',
      '3',
      '--grace-period',
      '20',
      '--replicas',
      '4',
      '--probe-period',
      '5',
      '--probe-success-threshold',
      '2',
      '--probe-initial-delay',
      '10',
      '--workload',
      'deployment',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    // Lines wrap at 80 columns when piped: the text, however it wraps.
    const out = flat(result.stdout);
    expect(out).toContain(
      "preStop sleep 3 s is shorter than the router's 7 s worst propagation (its 5 s reload interval + 2 s): for up to 4 s it may still route requests to the pod after the sleep",
    );
    expect(out).toContain(
      "SIGKILL 20 s after deletion: after the 3 s preStop sleep, 17 s remain for SIGTERM and in-flight requests, less than the router's 30 s server timeout",
    );
    expect(out).toContain(
      'succeeds 2 times in a row: ready at the earliest 15 s after it starts, and at most 10 s after the app can serve',
    );
    expect(out).toContain(
      'with 4 replicas: up to 5 pods during a rollout (maxSurge 1) and never fewer than 4 ready (maxUnavailable 0); before, 1 of 4 pods could be unready (maxUnavailable 25%)',
    );
    expect(out).toContain('+ spec.strategy.rollingUpdate:');
    expect(out).toContain('evicts at most 1 of the 4 pods at a time: 3 keep serving');
  });

  test('--preset seed: one replica, so no PodDisruptionBudget; its own probe timings', async () => {
    const result = await zdd(['diff', '--preset', 'seed']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(flat(result.stdout)).toContain('DeploymentConfig default-app → custom-app');
    expect(flat(result.stdout)).toContain(
      'ready at the earliest 30 s after it starts, and at most 10 s after the app can serve',
    );
    expect(flat(result.stdout)).toContain('after the 10 s preStop sleep, 50 s remain');
    expect(result.stdout).not.toContain('PodDisruptionBudget');
  });

  test('markdown: a table ready for a pull-request comment', async () => {
    const result = await zdd(['diff', '--format', 'markdown']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(flat(result.stdout)).toContain('| object | field | before | after | why it matters for a rollout |');
    expect(result.stdout).not.toContain(ESC);
    await expect(result.stdout).toMatchFileSnapshot('../golden/diff/default.md');
  });

  test('json: every field with its values and why, and the fields that follow the name', async () => {
    const result = await zdd(['diff', '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toBe('4 fields differ in 1 object; 1 object added; 3 objects renamed');
    const [workload] = report.objects;
    expect(workload).toMatchObject({ kind: 'DeploymentConfig', before: 'default-app', after: 'zero-downtime-app' });
    expect(workload.fields.map((field: { path: string }) => field.path)).toEqual([
      'spec.strategy.rollingParams',
      'spec.template.spec.containers[name=app].lifecycle',
      'spec.template.spec.containers[name=app].readinessProbe',
      'spec.template.spec.terminationGracePeriodSeconds',
    ]);
    expect(workload.fields[3]).toMatchObject({ change: 'added', after: 40 });
    expect(workload.fields[3].why).toMatch(/^SIGKILL 40 s after deletion/);
    expect(workload.renamed).toContain('metadata.name');
    expect(report.objects.at(-1)).toMatchObject({ kind: 'PodDisruptionBudget', status: 'added' });
  });

  test.skipIf(findTool('script') === undefined)(
    `colour on a terminal, none with NO_COLOR${findTool('script') ? '' : ' (skipped: `script` from util-linux is not installed)'}`,
    async () => {
      // `script` gives the command a pseudo-terminal, as a user's shell would.
      const run = (env: Record<string, string>) =>
        execa('script', ['-qec', `${process.execPath} ${BIN} diff`, '/dev/null'], {
          cwd: REPO,
          env,
          extendEnv: false,
          reject: false,
          timeout: 60_000,
        });
      const colour = await run({ PATH: process.env.PATH ?? '', TERM: 'xterm' });
      expect(colour.exitCode, colour.stderr).toBe(0);
      expect(colour.stdout).toContain(`${ESC}32m+${ESC}39m spec.template.spec.terminationGracePeriodSeconds`);
      const plain = await run({ PATH: process.env.PATH ?? '', TERM: 'xterm', NO_COLOR: '1' });
      expect(plain.stdout).toContain('+ spec.template.spec.terminationGracePeriodSeconds');
      expect(plain.stdout).not.toContain(ESC);
    },
  );
});

const DEPLOYMENT = (name: string, extra: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${extra.includes('replicas') ? '' : '2'}${extra}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: web
          image: shop:1
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
            periodSeconds: 10
`;

describe('zdd diff A B: any two manifest files or folders', () => {
  test('two folders: objects matched by kind and name; the reasons use each side', async () => {
    const [before, after] = [join(scratch, 'old'), join(scratch, 'new')];
    await mkdir(before);
    await mkdir(after);
    await writeFile(
      join(before, 'app.yaml'),
      `${DEPLOYMENT('shop', '')}---\napiVersion: v1\nkind: Service\nmetadata: { name: shop }\nspec: { selector: { app: shop }, ports: [{ port: 80 }] }\n`,
    );
    await writeFile(
      join(after, 'app.yaml'),
      DEPLOYMENT('shop', '').replace(
        'periodSeconds: 10',
        'periodSeconds: 2\n          lifecycle:\n            preStop:\n              sleep: { seconds: 8 }',
      ),
    );
    await writeFile(
      join(after, 'service.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'shop' },
        spec: { selector: { app: 'shop' }, ports: [{ port: 80 }] },
      }),
    );
    await mkdir(join(after, 'ignored.yaml'));
    const result = await zdd(['diff', before, after]);
    expect(result.exitCode, result.stderr).toBe(0);
    // Lines wrap at 80 columns when piped: the text, however it wraps.
    const out = flat(result.stdout);
    expect(out).toContain(`zdd diff: ${before} → ${after}`);
    expect(result.stdout).toContain('\nDeployment shop\n');
    expect(out).toContain('~ spec.template.spec.containers[name=web].readinessProbe.periodSeconds: 10 → 2');
    expect(out).toContain(
      'at most 2 s after the app can serve (a probe every 2 s); a pod that stops answering leaves the endpoints after 3 failed probes, 6 s (before: at the earliest 0 s, at most 10 s)',
    );
    expect(out).toContain(
      '+ spec.template.spec.containers[name=web].lifecycle: { preStop: { sleep: { seconds: 8 } } }',
    );
    expect(out).toContain(
      'preStop sleep 8 s: keeps the old pod serving while the router, reloading every 5 s, removes it',
    );
    expect(out).not.toContain('Service shop');
    expect(out).toContain('2 fields differ in 1 object');
  });

  test('the HTTPRoutes of two gateway variants are matched, and differ only by the name', async () => {
    const result = await zdd([
      'diff',
      'test/golden/deployment-gateway/default.yaml',
      'test/golden/deployment-gateway/zero-downtime.yaml',
      '--format',
      'json',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      objects: Array<{ kind: string; before?: string; after?: string; fields: unknown[]; renamed: string[] }>;
    };
    const route = report.objects.find((object) => object.kind === 'HTTPRoute');
    expect(route).toMatchObject({ before: 'default-app', after: 'zero-downtime-app', fields: [] });
    expect(route?.renamed).toEqual(
      expect.arrayContaining([
        'spec.hostnames[0]',
        'spec.rules[0].backendRefs[name=default-app]',
        'spec.rules[0].backendRefs[name=zero-downtime-app]',
      ]),
    );
  });

  test('two files whose objects are named differently: matched by kind', async () => {
    const [a, b] = [join(scratch, 'a.yaml'), join(scratch, 'b.yaml')];
    await writeFile(a, DEPLOYMENT('shop-old', ''));
    await writeFile(b, DEPLOYMENT('shop-new', '').replace('replicas: 2', 'replicas: 1'));
    const result = await zdd(['diff', a, b, '--format', 'markdown']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(flat(result.stdout)).toContain(
      '| Deployment `shop-old` → `shop-new` | `spec.replicas` | `2` | `1` | one pod: while it is replaced, nothing else serves',
    );
    expect(flat(result.stdout)).toContain('Fields that follow the names');
  });

  test.each([
    [
      ['only-one.yaml'],
      'diff: expected two manifest files or folders to compare (or none, for the two variants), got 1',
    ],
    [['/nonexistent/a.yaml', 'dist/default.yaml'], 'diff: cannot read /nonexistent/a.yaml: does not exist'],
    [['BAD_YAML', 'dist/default.yaml'], 'BAD_YAML: not valid YAML: '],
    [['NO_KIND', 'dist/default.yaml'], 'NO_KIND: document 2 has no "kind"'],
    [['NO_NAME', 'dist/default.yaml'], 'NO_NAME: document 1 (Deployment) has no metadata.name'],
    [
      ['TWICE', 'dist/default.yaml'],
      'TWICE: a second Service/x (the first is in TWICE); each object may appear once per side',
    ],
    [['EMPTY_FOLDER', 'dist/default.yaml'], 'diff: EMPTY_FOLDER: no .yaml, .yml or .json files in this folder'],
    [
      ['dist/default.yaml', 'dist/zero-downtime.yaml', '--replicas', '3'],
      "diff: --replicas applies to zdd's own variants; two files are compared as they are",
    ],
  ])('bad input %j: the file and what is wrong, exit 2', async (args, message) => {
    const files: Record<string, [string, string]> = {
      BAD_YAML: ['bad.yaml', 'kind: [Deployment\n'],
      NO_KIND: ['no-kind.yaml', 'kind: Service\nmetadata: { name: a }\n---\nmetadata: { name: b }\n'],
      NO_NAME: ['no-name.yaml', 'kind: Deployment\nmetadata: {}\n'],
      TWICE: ['twice.yaml', 'kind: Service\nmetadata: { name: x }\n---\nkind: Service\nmetadata: { name: x }\n'],
    };
    const resolved: string[] = [];
    const shown: Record<string, string> = {};
    for (const arg of args) {
      if (arg === 'EMPTY_FOLDER') {
        const folder = join(scratch, 'empty');
        await mkdir(folder, { recursive: true });
        resolved.push(folder);
        shown[arg] = folder;
      } else if (files[arg]) {
        const [name, content] = files[arg];
        const path = join(scratch, name);
        await writeFile(path, content);
        resolved.push(path);
        shown[arg] = path;
      } else resolved.push(arg);
    }
    const result = await zdd(['diff', ...resolved]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      message.replace(/BAD_YAML|NO_KIND|NO_NAME|TWICE|EMPTY_FOLDER/g, (key) => shown[key] ?? key),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });
});
