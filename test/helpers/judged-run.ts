import { flat } from './terminal-text.js';

/**
 * A compare run with a verdict. A run that could not send its requests on time (INCONCLUSIVE, exit 3: on a
 * machine as busy as `stress-ng --cpu 2` makes it, sometimes) has no verdict to check: zdd says so itself, and
 * the run is made again, at most twice. Any other outcome counts at once.
 */
export async function judgedRun<T extends { exitCode?: number; stdout: string }>(
  what: string,
  run: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await run();
    if (attempt === 3 || result.exitCode !== 3 || !/were not sent on time/.test(flat(result.stdout))) return result;
    console.log(`${what}: not sent on time (a busy machine); run again`);
  }
}
