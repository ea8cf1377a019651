import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { GOOD, type SampleRepo, sampleRepo } from '../helpers/ci-sample-repo.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { runAction } from '../helpers/github-action.js';
import { LOCAL, runJob } from '../helpers/gitlab-job.js';
import { runTask } from '../helpers/tekton-task.js';

/**
 * The CI recipes with compare on (in vitest.config.ts's TIMING: each runs a sped-up compare): the results folder
 * where each recipe says, compare's Markdown report beside the check's, and the outcome following compare's.
 */
const repos: SampleRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.remove();
});

async function repo() {
  const made = await sampleRepo({ 'k8s/app.yaml': GOOD });
  repos.push(made);
  return made;
}

/** The one run folder inside a results folder, and its verdict's exit code. */
function resultsRun(results: string): { folder: string; exitCode: number } {
  const [name, ...more] = readdirSync(results);
  expect(more).toEqual([]);
  const folder = join(results, name as string);
  for (const file of ['summary.json', 'report.html', 'report.md'])
    expect(existsSync(join(folder, file)), file).toBe(true);
  const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as { verdict: { exitCode: number } };
  return { folder, exitCode: summary.verdict.exitCode };
}

describe('compare in the CI recipes', () => {
  test('GitHub Action: the results folder as the output results, the report in the comment and the summary', async () => {
    const sample = await repo();
    const run = await runAction({
      with: { check: 'k8s/', compare: 'true', 'compare-args': FAST_COMPARE.join(' ') },
      workspace: sample.dir,
      temp: sample.temp,
    });
    const results = run.outputs.results as string;
    expect(results).toBe(join(sample.temp, 'zdd/results'));
    const { exitCode } = resultsRun(results);
    expect(run.outputs['compare-exit-code']).toBe(String(exitCode));
    const comment = readFileSync(run.outputs.comment as string, 'utf8');
    expect(comment).toContain('default-app');
    expect(comment).toContain('zero-downtime-app');
    expect(run.summary).toContain(comment);
    // The job fails exactly when compare did not pass (check passes on these manifests).
    expect(run.steps.at(-1)?.exitCode).toBe(exitCode === 0 ? 0 : 1);
  });

  test('GitLab: the results and compare.md in the zdd/ artifacts, the job failing when compare does', async () => {
    const sample = await repo();
    const run = await runJob(sample, {
      ...LOCAL,
      ZDD_CHECK: 'k8s/',
      ZDD_COMPARE: 'true',
      ZDD_COMPARE_ARGS: FAST_COMPARE.join(' '),
    });
    const { exitCode } = resultsRun(join(sample.dir, 'zdd/results'));
    expect(run.exitCode, run.log).toBe(exitCode);
    expect(run.artifact('zdd/compare.md')).toContain('zero-downtime-app');
  });

  test('Tekton: the results and compare.md in the output folder; the compare step fails when compare does', async () => {
    const sample = await repo();
    const run = await runTask(sample, { check: 'k8s/', compare: 'true', 'compare-args': FAST_COMPARE.join(' ') });
    const { exitCode } = resultsRun(join(sample.dir, '.zdd/results'));
    expect(run.steps.find((step) => step.name === 'compare')?.exitCode).toBe(exitCode);
    expect(readFileSync(join(sample.dir, '.zdd/compare.md'), 'utf8')).toContain('zero-downtime-app');
  });
});
