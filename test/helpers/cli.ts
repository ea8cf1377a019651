import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

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
