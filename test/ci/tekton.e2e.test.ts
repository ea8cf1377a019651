import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { packageVersion } from '../../src/runtime/package-info.js';
import { BAD, GOOD, type SampleRepo, sampleRepo } from '../helpers/ci-sample-repo.js';
import { runTask, task, text } from '../helpers/tekton-task.js';

/**
 * The Tekton Task (ci/tekton/zdd-task.yaml): its shape as Tekton requires it, and its steps' scripts run one
 * after the other as a TaskRun runs them (the params, workspace path and result paths substituted, the step
 * template's and the step's env set), against sample repositories.
 */
const version = packageVersion();

const repos: SampleRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.remove();
});

describe('the Tekton Task', () => {
  test('is a tekton.dev/v1 Task whose every $(params.…), $(workspaces.…) and $(results.…) is declared', () => {
    expect(task.apiVersion).toBe('tekton.dev/v1');
    expect(task.kind).toBe('Task');
    expect(task.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(task.spec.steps.length).toBeGreaterThan(0);
    const names = task.spec.steps.map((step) => step.name);
    expect(new Set(names).size).toBe(names.length);
    for (const step of task.spec.steps) {
      expect(step.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(step.image ?? task.spec.stepTemplate.image).toBeTruthy();
      expect(step.script.startsWith('#!')).toBe(true);
    }
    for (const param of task.spec.params) {
      expect(param.type).toBe('string');
      expect(param.description).toBeTruthy();
    }
    const declared = {
      params: new Set(task.spec.params.map((param) => param.name)),
      workspaces: new Set(task.spec.workspaces.map((workspace) => workspace.name)),
      results: new Set(task.spec.results.map((result) => result.name)),
    };
    for (const [, kind, name] of text.matchAll(/\$\((params|workspaces|results)\.([\w-]+)/g))
      expect(declared[kind as keyof typeof declared].has(name as string), `${kind}.${name}`).toBe(true);
    expect(task.spec.params.find((param) => param.name === 'zdd-version')?.default).toBe(version);
  });

  test('a change that adds a manifest with findings: the reports, the diff, the result, and a failed TaskRun', async () => {
    const sample = await sampleRepo({ 'k8s/good.yaml': GOOD, 'k8s/bad.yaml': BAD }, { 'k8s/good.yaml': GOOD });
    repos.push(sample);
    const run = await runTask(sample, { check: 'k8s/good.yaml k8s/bad.yaml', 'diff-base': sample.base as string });
    expect(run.steps.map((step) => [step.name, step.exitCode])).toEqual([
      ['check', 0],
      ['diff', 0],
      ['compare', 0],
      ['verdict', 1],
    ]);
    expect(run.result('check-exit-code')).toBe('1');
    const output = join(sample.dir, '.zdd');
    const report = JSON.parse(readFileSync(join(output, 'check.json'), 'utf8')) as { verdict: string };
    expect(report.verdict).toBe('fail');
    expect((JSON.parse(readFileSync(join(output, 'zdd.sarif'), 'utf8')) as { version: string }).version).toBe('2.1.0');
    const diff = readFileSync(join(output, 'diff.md'), 'utf8');
    expect(diff).toContain('### zdd diff: `k8s/bad.yaml`\n\nNew in this change.');
    expect(diff).toContain(`### zdd diff: \`${sample.base}:k8s/good.yaml\` → \`k8s/good.yaml\``);
    expect(run.steps.at(-1)?.log).toContain('FAIL: 2 findings at or above --fail-on error');
  });

  test('clean manifests without a diff base: every step succeeds', async () => {
    const sample = await sampleRepo({ 'k8s/app.yaml': GOOD });
    repos.push(sample);
    const run = await runTask(sample, { check: 'k8s/', platform: 'openshift-router', output: 'reports' });
    expect(run.steps.map((step) => step.exitCode)).toEqual([0, 0, 0, 0]);
    expect(run.steps[1]?.log).toContain('no diff-base: no diff');
    expect(run.result('check-exit-code')).toBe('0');
    expect(readFileSync(join(sample.dir, 'reports/check.txt'), 'utf8')).toContain('PASS');
  });
});
