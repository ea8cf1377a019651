import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import type { SampleRepo } from './ci-sample-repo.js';
import { BIN, REPO } from './cli.js';

/** The job of the GitLab CI template (ci/gitlab/zdd.gitlab-ci.yml), as far as the tests read it. */
export interface Job {
  stage: string;
  image: string;
  variables: Record<string, string>;
  script: string[];
  artifacts: { when: string; paths: string[]; reports: { codequality: string } };
}

export const TEMPLATE = join(REPO, 'ci/gitlab/zdd.gitlab-ci.yml');
export const job = (parse(readFileSync(TEMPLATE, 'utf8')) as { zdd: Job }).zdd;

/** The job's script in one bash session (GitLab: `set -eo pipefail`), the job's variables expanded as GitLab does. */
export async function runJob(sample: SampleRepo, variables: Record<string, string>) {
  const ci: Record<string, string> = {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PROJECT_DIR: sample.dir,
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_DIFF_BASE_SHA: sample.base ?? '',
    HOME: sample.temp,
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
  };
  const env: Record<string, string> = { ...ci };
  for (const [name, value] of Object.entries({ ...job.variables, ...variables })) {
    env[name] = value.replace(/\$(\w+)/g, (_, other: string) => ci[other] ?? '');
  }
  const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', job.script.join('\n')], {
    cwd: sample.dir,
    env,
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 120_000,
  });
  return {
    exitCode: result.exitCode,
    log: result.all,
    artifact: (path: string) => readFileSync(join(sample.dir, path), 'utf8'),
  };
}

/** The template's npx line swapped for the CLI built here: the package is not in a registry this test may reach. */
export const LOCAL = { ZDD: `${process.execPath} ${BIN}` };
