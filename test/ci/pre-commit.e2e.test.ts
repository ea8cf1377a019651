import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { BAD, GOOD, git, type SampleRepo, sampleRepo } from '../helpers/ci-sample-repo.js';
import { REPO } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';

/**
 * .pre-commit-hooks.yaml through the real pre-commit: `pre-commit try-repo <this repo> zdd-check --all-files`
 * in a sample repository, first with a clean manifest (passes), then with one with findings too (fails, naming
 * them). try-repo clones this repository at HEAD (with uncommitted changes, if any), and the hook's script builds
 * zdd in that clone on first use (npm ci, preferring npm's cache) with the system's Node.js: the slow part; the
 * second run reuses the build.
 */
const preCommit = findTool('pre-commit');
const why = preCommit ? '' : ' — skipped: pre-commit is not installed (pip install pre-commit)';

const repos: SampleRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('the pre-commit hook', () => {
  test('.pre-commit-hooks.yaml is valid (SchemaStore pre-commit-hooks.json) and runs zdd check on YAML and JSON', () => {
    const schema = JSON.parse(
      readFileSync(join(REPO, 'test/fixtures/ci/schemas/pre-commit-hooks.json'), 'utf8'),
    ) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const hooks = parse(readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
    expect(validate(hooks), JSON.stringify(validate.errors)).toBe(true);
    const [hook] = hooks;
    expect(hook).toMatchObject({ id: 'zdd-check', entry: 'ci/pre-commit/zdd-check.sh', language: 'script' });
    const files = new RegExp(hook?.files as string);
    expect(['k8s/app.yaml', 'a.yml', 'list.json'].every((name) => files.test(name))).toBe(true);
    expect(files.test('README.md')).toBe(false);
  });

  test.skipIf(!preCommit)(
    `pre-commit try-repo … zdd-check: a clean manifest passes, one with findings fails naming them${why}`,
    { timeout: 900_000 },
    async () => {
      const sample = await sampleRepo({ 'k8s/app.yaml': GOOD });
      repos.push(sample);
      const tmp = join(sample.temp, 'tmp');
      mkdirSync(tmp);
      const env = {
        ...(process.env as Record<string, string>),
        // pre-commit's clones and environments, and npm's temp files, in the test's folder, removed with it.
        PRE_COMMIT_HOME: join(sample.temp, 'pre-commit-home'),
        TMPDIR: tmp,
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
        NO_COLOR: '1',
      };
      const tryRepo = () =>
        execa(preCommit as string, ['try-repo', REPO, 'zdd-check', '--all-files', '--color', 'never'], {
          cwd: sample.dir,
          env,
          extendEnv: false,
          reject: false,
          all: true,
          timeout: 840_000,
        });
      const clean = await tryRepo();
      expect(clean.all).toMatch(/zdd check \(zero-downtime rollouts\)\.+Passed/);
      expect(clean.exitCode, clean.all).toBe(0);

      copyFileSync(BAD, join(sample.dir, 'k8s/bad.yaml'));
      await git(sample.dir, ['add', 'k8s/bad.yaml']);
      const findings = await tryRepo();
      expect(findings.exitCode, findings.all).toBe(1);
      expect(findings.all).toMatch(/zdd check \(zero-downtime rollouts\)\.+Failed/);
      expect(findings.all).toContain('readiness-probe-missing  k8s/bad.yaml:');
      expect(findings.all).toContain('FAIL: 2 findings at or above --fail-on error');
    },
  );
});
