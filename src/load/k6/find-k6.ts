/**
 * Where k6 is installed, and which version it is.
 */
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa, execaSync } from 'execa';
import { findOnPath, isExecutableFile, pathFolders } from '../../runtime/executables.js';
import { K6Error, K6NotFoundError } from './errors.js';

/**
 * The places zdd looks for k6, in order: every `PATH` folder, then the `bin`
 * folder of every GOPATH entry (`go env GOPATH` when Go is installed, else
 * `$GOPATH`, else `$HOME/go`), where `go install go.k6.io/k6@…` puts it.
 */
export function k6Candidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates = [
    ...pathFolders(env).map((folder) => join(folder, 'k6')),
    ...goPaths(env).map((path) => join(path, 'bin', 'k6')),
  ];
  return [...new Set(candidates)];
}

/** The first executable k6 among `k6Candidates(env)`, or undefined. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return k6Candidates(env).find(isExecutableFile);
}

/** Like `findK6`, but throws `K6NotFoundError` (with the install hint) when k6 is missing. */
export function requireK6(env: NodeJS.ProcessEnv = process.env): string {
  const found = findK6(env);
  if (found === undefined) throw new K6NotFoundError(k6Candidates(env));
  return found;
}

/** k6's version, e.g. `v1.8.1`, from `k6 version` (at most 10 s). */
export async function k6Version(k6Path: string): Promise<string> {
  if (!isExecutableFile(k6Path)) throw new K6NotFoundError([k6Path]);
  const result = await execa(k6Path, ['version'], { reject: false, timeout: 10_000, stdin: 'ignore' });
  const version = /\bk6 (v\d+\.\d+\.\d+\S*)/.exec(result.stdout)?.[1];
  if (result.failed || version === undefined) {
    throw new K6Error(
      `\`${k6Path} version\` did not print a k6 version${result.failed ? `: ${result.shortMessage}` : ''}`,
      {
        exitCode: result.exitCode,
        signal: result.signal,
        timedOut: result.timedOut,
        stderrTail: result.stderr,
      },
    );
  }
  return version;
}

function goPaths(env: NodeJS.ProcessEnv): string[] {
  const go = findOnPath('go', env);
  let gopath = '';
  if (go !== undefined) {
    const result = execaSync(go, ['env', 'GOPATH'], { env, extendEnv: false, reject: false, timeout: 5_000 });
    if (!result.failed) gopath = result.stdout.trim();
  }
  if (gopath === '') gopath = env.GOPATH ?? join(env.HOME ?? homedir(), 'go');
  return gopath.split(delimiter).filter((path) => path !== '');
}
