import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, test } from 'vitest';
import { packageVersion } from '../../src/runtime/package-info.js';
import { BAD, GOOD, type SampleRepo, sampleRepo } from '../helpers/ci-sample-repo.js';
import { REPO } from '../helpers/cli.js';
import { job, LOCAL, runJob } from '../helpers/gitlab-job.js';

/**
 * The GitLab CI template (ci/gitlab/zdd.gitlab-ci.yml): its job's script run as GitLab's runner runs it (one
 * bash session, stopping at the first failing line) with the variables GitLab sets in a merge request
 * pipeline, against sample repositories; its Code Quality artifact validated against GitLab's documented shape.
 */
const version = packageVersion();
const schema = JSON.parse(
  readFileSync(join(REPO, 'test/fixtures/ci/codequality/gitlab-codequality.schema.json'), 'utf8'),
) as Record<string, unknown>;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const repos: SampleRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('the GitLab CI template', () => {
  test('is a job with a Code Quality report, running the zdd version of package.json', () => {
    expect(job.stage).toBe('test');
    expect(job.image).toMatch(/^node:\d+$/);
    expect(job.variables.ZDD).toBe(`npx --yes zdd@${version}`);
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.codequality).toBe('zdd/gl-code-quality-report.json');
    expect(job.artifacts.paths).toEqual(['zdd/']);
  });

  test('a merge request that adds a manifest with findings: the Code Quality report, the diff, a failed job', async () => {
    const sample = await sampleRepo({ 'k8s/good.yaml': GOOD, 'k8s/bad.yaml': BAD }, { 'k8s/good.yaml': GOOD });
    repos.push(sample);
    const run = await runJob(sample, { ...LOCAL, ZDD_CHECK: 'k8s/good.yaml k8s/bad.yaml' });
    expect(run.exitCode, run.log).toBe(1);
    const issues = JSON.parse(run.artifact('zdd/gl-code-quality-report.json')) as Array<{
      check_name: string;
      severity: string;
      location: { path: string };
    }>;
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
    expect(
      issues.filter((issue) => issue.severity === 'critical').map((issue) => [issue.check_name, issue.location.path]),
    ).toEqual([
      ['readiness-probe-missing', 'k8s/bad.yaml'],
      ['prestop-missing', 'k8s/bad.yaml'],
    ]);
    const diff = run.artifact('zdd/diff.md');
    expect(diff).toContain('### zdd diff: `k8s/bad.yaml`\n\nNew in this change.');
    expect(diff).toContain('### zdd diff: `zdd/base/k8s/good.yaml` → `k8s/good.yaml`');
    // The human report in the job log.
    expect(run.log).toContain('FAIL: 2 findings at or above --fail-on error');
  });

  test('a merge request that fixes a manifest: an empty-of-errors report, the diff table, a green job', async () => {
    const sample = await sampleRepo({ 'k8s/app.yaml': GOOD }, { 'k8s/app.yaml': BAD });
    repos.push(sample);
    const run = await runJob(sample, { ...LOCAL, ZDD_CHECK: 'k8s/', ZDD_PLATFORM: 'openshift-router' });
    expect(run.exitCode, run.log).toBe(0);
    const issues = JSON.parse(run.artifact('zdd/gl-code-quality-report.json')) as Array<{ severity: string }>;
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
    expect(issues.map((issue) => issue.severity)).toEqual(['info']);
    expect(run.artifact('zdd/diff.md')).toMatch(/\| `spec\.template\.spec\.containers\[name=app\]\.readinessProbe` \|/);
  });

  test('without ZDD_CHECK it stops with a message naming the variable', async () => {
    const sample = await sampleRepo({ 'k8s/app.yaml': GOOD });
    repos.push(sample);
    const run = await runJob(sample, LOCAL);
    expect(run.exitCode).toBe(2);
    expect(run.log).toContain('set the variable ZDD_CHECK');
  });
});
