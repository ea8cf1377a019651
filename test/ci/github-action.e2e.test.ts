import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { sarifErrors } from '../check/sarif-schema.js';
import { BAD, GOOD, type SampleRepo, sampleRepo } from '../helpers/ci-sample-repo.js';
import { ACTION_FILE, actionMetadata, runAction } from '../helpers/github-action.js';

/**
 * The GitHub Action (action.yml) run as GitHub's runner runs a composite action (test/helpers/github-action.ts)
 * on sample repositories: what it leaves for upload-sarif, the step summary, a PR comment and the job's outcome.
 */
const repos: SampleRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.remove();
});

async function repo(head: Record<string, string>, base?: Record<string, string>) {
  const made = await sampleRepo(head, base);
  repos.push(made);
  return made;
}

interface SarifLog {
  version: string;
  runs: Array<{
    results: Array<{
      ruleId: string;
      level: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
    }>;
  }>;
}

describe('action.yml', () => {
  test('is valid GitHub Action metadata (SchemaStore github-action.json)', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../fixtures/ci/schemas/github-action.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const metadata: unknown = parse(readFileSync(ACTION_FILE, 'utf8'));
    expect(validate(metadata), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The inputs the README names.
    expect(Object.keys(actionMetadata().inputs)).toEqual(
      expect.arrayContaining(['check', 'platform', 'fail-on', 'diff-base', 'compare', 'compare-args']),
    );
  });

  test('a pull request that fixes a manifest: SARIF, a summary and a comment with the diff, and a green job', async () => {
    const sample = await repo({ 'k8s/app.yaml': GOOD }, { 'k8s/app.yaml': BAD });
    const run = await runAction({
      with: { check: 'k8s/' },
      workspace: sample.dir,
      temp: sample.temp,
      pullRequestBase: sample.base as string,
    });
    expect(run.steps.map((step) => [step.name, step.exitCode])).toEqual([
      ["Build zdd from the action's own checkout", 0],
      ['zdd check, diff and compare', 0],
    ]);
    expect(run.outputs['check-exit-code']).toBe('0');
    expect(run.outputs.results).toBe('');

    const sarif = JSON.parse(readFileSync(run.outputs.sarif as string, 'utf8')) as SarifLog;
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.filter((result) => result.level === 'error')).toEqual([]);

    const comment = readFileSync(run.outputs.comment as string, 'utf8');
    expect(comment).toMatch(/^<!-- zdd -->\n## zdd\n/);
    expect(comment).toContain('PASS: no finding at or above --fail-on error');
    // The diff against the base commit, which it names by its short hash.
    const short = (sample.base as string).slice(0, 7);
    expect(comment).toMatch(new RegExp(`### zdd diff: \`${short}[0-9a-f]*:k8s/\` → \`k8s/\``));
    expect(comment).toMatch(
      /\| DeploymentConfig .*\| `spec\.template\.spec\.containers\[name=app\]\.readinessProbe` \|/,
    );
    expect(comment).not.toContain(sample.temp);
    // The summary holds the comment and the check's whole output.
    expect(run.summary.startsWith(comment)).toBe(true);
    expect(run.summary).toContain('<details><summary>zdd check</summary>');
    expect(run.summary).toContain('DeploymentConfig/zero-downtime-app  k8s/app.yaml:1');
  });

  test('a pull request that adds a manifest with findings: SARIF results at its lines, and a failed job', async () => {
    const sample = await repo({ 'k8s/good.yaml': GOOD, 'k8s/bad.yaml': BAD }, { 'k8s/good.yaml': GOOD });
    const run = await runAction({
      with: { check: 'k8s/good.yaml\nk8s/bad.yaml' },
      workspace: sample.dir,
      temp: sample.temp,
      pullRequestBase: sample.base as string,
    });
    expect(run.steps.map((step) => step.exitCode)).toEqual([0, 0, 1]);
    expect(run.steps[2]?.output).toContain('::error title=zdd::zdd check exited 1');
    expect(run.outputs['check-exit-code']).toBe('1');

    const sarif = JSON.parse(readFileSync(run.outputs.sarif as string, 'utf8')) as SarifLog;
    expect(sarifErrors(sarif)).toEqual([]);
    const errors = sarif.runs[0]?.results.filter((result) => result.level === 'error') ?? [];
    expect(errors.map((result) => result.ruleId).sort()).toEqual(['prestop-missing', 'readiness-probe-missing']);
    // Relative to the repository root, as code scanning resolves them.
    expect(errors.map((result) => result.locations[0]?.physicalLocation.artifactLocation.uri)).toEqual([
      'k8s/bad.yaml',
      'k8s/bad.yaml',
    ]);

    const comment = readFileSync(run.outputs.comment as string, 'utf8');
    expect(comment).toContain('FAIL: 2 findings at or above --fail-on error');
    expect(comment).toContain('### zdd diff: `k8s/bad.yaml`\n\nNew in this change');
    expect(comment).toMatch(/### zdd diff: `[0-9a-f]{7,}:k8s\/good\.yaml` → `k8s\/good\.yaml`/);
  });

  test('outside a pull request: no diff, the check alone', async () => {
    const sample = await repo({ 'deploy/app.yaml': GOOD });
    const run = await runAction({
      with: { check: 'deploy', platform: 'aws-alb-ip', 'fail-on': 'info' },
      workspace: sample.dir,
      temp: sample.temp,
    });
    // With --fail-on info, the readiness-window info alone fails it.
    expect(run.outputs['check-exit-code']).toBe('1');
    expect(run.steps.at(-1)?.exitCode).toBe(1);
    const comment = readFileSync(run.outputs.comment as string, 'utf8');
    expect(comment).toContain('(platform aws-alb-ip)');
    expect(comment).not.toContain('zdd diff');
  });

  test("fail: 'false' reports the findings without failing the job", async () => {
    const sample = await repo({ 'k8s/app.yaml': BAD });
    const run = await runAction({
      with: { check: 'k8s/app.yaml', fail: 'false' },
      workspace: sample.dir,
      temp: sample.temp,
    });
    expect(run.steps.map((step) => step.exitCode)).toEqual([0, 0]);
    expect(run.outputs['check-exit-code']).toBe('1');
    expect(run.summary).toContain('FAIL: 2 findings');
  });
});
