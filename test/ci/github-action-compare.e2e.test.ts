import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { GOOD, type SampleRepo, sampleRepo } from '../helpers/ci-sample-repo.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { runAction } from '../helpers/github-action.js';

/**
 * The GitHub Action with `compare: 'true'` (in vitest.config.ts's TIMING: it runs a sped-up compare): the
 * results folder as the output `results`, for actions/upload-artifact, and compare's report in the comment.
 */
const repos: SampleRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.remove();
});

test('compare: the results folder as an output, its Markdown report in the comment and the summary', async () => {
  const sample = await sampleRepo({ 'k8s/app.yaml': GOOD });
  repos.push(sample);
  const run = await runAction({
    with: { check: 'k8s/', compare: 'true', 'compare-args': FAST_COMPARE.join(' ') },
    workspace: sample.dir,
    temp: sample.temp,
  });
  const results = run.outputs.results as string;
  expect(results).toBe(join(sample.temp, 'zdd/results'));
  const [folder, ...more] = readdirSync(results);
  expect(more).toEqual([]);
  for (const file of ['summary.json', 'report.html', 'report.md'])
    expect(existsSync(join(results, folder as string, file)), file).toBe(true);
  const exitCode = run.outputs['compare-exit-code'];
  const verdict = (
    JSON.parse(readFileSync(join(results, folder as string, 'summary.json'), 'utf8')) as {
      verdict: { exitCode: number };
    }
  ).verdict;
  expect(exitCode).toBe(String(verdict.exitCode));
  const comment = readFileSync(run.outputs.comment as string, 'utf8');
  expect(comment).toContain('default-app');
  expect(comment).toContain('zero-downtime-app');
  expect(run.summary).toContain(comment);
  // The job fails exactly when compare did not pass (check passes on these manifests).
  expect(run.steps.at(-1)?.exitCode).toBe(exitCode === '0' ? 0 : 1);
});
