import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { everyCommand } from '../../src/cli/commands.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/zdd.js', import.meta.url));

/** Runs the built CLI (`npm run build` first) the way a user does. Never throws. */
export function zdd(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeout?: number } = {},
) {
  return execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    reject: false,
    env: { NO_COLOR: '1', ...options.env },
    extendEnv: options.env === undefined,
    // A CLI that hangs fails its test instead of holding the suite.
    ...(options.timeout !== undefined && { timeout: options.timeout }),
  });
}

/**
 * Runs an ES module script (`node --input-type=module -e`) from the repository, as a program using the built
 * library would, and resolves with the child and the JSON it prints on its first line (empty until then; the
 * wait gives up after `timeoutMs` or when the child exits).
 */
export async function runProgram<T>(
  script: string,
  timeoutMs = 90_000,
): Promise<{ child: ChildProcess; first: T | undefined; stderr: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = Date.now() + timeoutMs;
  while (!out.includes('\n') && child.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const line = out.split('\n')[0] ?? '';
  return { child, first: line.trim() === '' ? undefined : (JSON.parse(line) as T), stderr };
}

/** Every command and subcommand, as typed after `zdd` (the first: none), for tests that go through them all. */
export const EVERY_COMMAND: readonly (readonly string[])[] = [[], ...everyCommand().map(({ path }) => path.split(' '))];
