import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { REPO } from './cli.js';

/** The fixture manifests: zdd's own variants, one clean and one with findings. */
export const GOOD = join(REPO, 'test/fixtures/ci/manifests/good.yaml');
export const BAD = join(REPO, 'test/fixtures/ci/manifests/bad.yaml');

/** A sample repository's files at one commit: path in the repository → fixture file to copy there. */
export type Files = Readonly<Record<string, string>>;

export interface SampleRepo {
  /** The repository (its work tree at `head`). */
  readonly dir: string;
  /** A folder beside it for a CI run's own files (RUNNER_TEMP, outputs). */
  readonly temp: string;
  /** The base commit (the pull request's target), when there is one. */
  readonly base: string | undefined;
  remove(): void;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'zdd test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'zdd test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

/** Runs git in `dir` with a fixed identity and no user or system config. */
export function git(dir: string, args: readonly string[]) {
  return execa('git', args, {
    cwd: dir,
    env: { ...GIT_ENV, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

/**
 * A git repository as a CI job checks it out: `base` committed first (when given), then `head` on top of it
 * (files of base not in head are removed).
 */
export async function sampleRepo(head: Files, base?: Files): Promise<SampleRepo> {
  const root = mkdtempSync(join(tmpdir(), 'zdd-test-ci-'));
  const dir = join(root, 'repo');
  const temp = join(root, 'runner-temp');
  mkdirSync(dir);
  mkdirSync(temp);
  await git(dir, ['init', '-q', '-b', 'main']);
  const commit = async (files: Files, message: string) => {
    await git(dir, ['rm', '-rq', '--ignore-unmatch', '.']);
    for (const [path, fixture] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      copyFileSync(fixture, join(dir, path));
    }
    writeFileSync(join(dir, 'README.md'), `${message}\n`);
    await git(dir, ['add', '-A']);
    await git(dir, ['commit', '-qm', message]);
    return (await git(dir, ['rev-parse', 'HEAD'])).stdout.trim();
  };
  const baseCommit = base === undefined ? undefined : await commit(base, 'base');
  await commit(head, 'head');
  return { dir, temp, base: baseCommit, remove: () => rmSync(root, { recursive: true, force: true }) };
}
