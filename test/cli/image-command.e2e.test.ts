import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { freePort } from '../../src/runtime/free-port.js';
import { zdd } from '../helpers/cli.js';
import { nothingLeft, type Sandbox, sandbox, script } from '../helpers/sandbox.js';

/**
 * `--image-command` names a program that must be there to run: a mapping that cannot start is exit 2 naming
 * the mapping and why, before anything is deployed; a program that disappears later is a container that
 * cannot start (restarts, then crash-looping), never an unhandled spawn error.
 */

const boxes: Sandbox[] = [];
afterEach(() => {
  for (const box of boxes.splice(0)) box.remove();
});

function box(): Sandbox {
  const made = sandbox('zdd-image-command-');
  boxes.push(made);
  return made;
}

const FAST = ['--load', 'builtin', '--time-scale', '0.1', '--warmup', '5', '--cooldown', '5'];

/** The mappings that cannot run, and why; `dir` holds the files they name. */
function badMappings(dir: string): Array<[string, string]> {
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'not a program\n');
  chmodSync(text, 0o644);
  return [
    [`zdd-sample-app:*=${join(dir, 'missing.sh')}`, `${join(dir, 'missing.sh')} does not exist`],
    [`zdd-sample-app:*=${text} --port`, `${text} is not executable (no execute permission)`],
    [`zdd-sample-app:*=${dir}`, `${dir} is a folder, not a program`],
    ['zdd-sample-app:*=no-such-program-zdd serve', 'no program "no-such-program-zdd" on PATH'],
  ];
}

describe('--image-command that cannot run', () => {
  test('compare: exit 2 naming the mapping and why, nothing deployed, nothing left', async () => {
    const run = box();
    for (const [mapping, why] of badMappings(run.dir)) {
      const results = join(run.dir, 'results');
      const result = await zdd(['compare', ...FAST, '--image-command', mapping, '--results', results], {
        env: run.env,
        timeout: 60_000,
      });
      expect(result.stderr).toBe(
        `zdd: --image-command ${JSON.stringify(mapping)}: ${why}; nothing was started\nRun "zdd --help" for usage.`,
      );
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(existsSync(results)).toBe(false);
      expect(await nothingLeft(run.tmp)).toBe(true);
    }
  });

  test('local up: the same, before any pod starts', async () => {
    const run = box();
    const port = String(await freePort());
    for (const [mapping, why] of badMappings(run.dir)) {
      const result = await zdd(['local', 'up', '--image-command', mapping, '--control-port', port], {
        env: run.env,
        timeout: 60_000,
      });
      expect(result.stderr).toContain(`zdd: --image-command ${JSON.stringify(mapping)}: ${why}; nothing was started`);
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(await nothingLeft(run.tmp)).toBe(true);
    }
  });

  test('a program that is gone when its container restarts: crash-looping, exit 2, no spawn error', async () => {
    const run = box();
    // Runs once: deletes itself and exits, so that the kubelet's restart finds nothing to run.
    const once = script(run.dir, 'once.sh', 'rm -f "$0"\nexit 1');
    const result = await zdd(
      [
        'local',
        'up',
        '--time-scale',
        '0.1',
        '--image-command',
        `zdd-sample-app:*=${once}`,
        '--control-port',
        String(await freePort()),
      ],
      { env: run.env, timeout: 90_000 },
    );
    expect(result.stderr).not.toMatch(/ENOENT|internal error|\n\s+at /);
    expect(result.stdout).toMatch(/container-restarted .* exited with code 1; restart 1/);
    expect(result.stdout).toContain(`could not start: ${once} does not exist; restart 2`);
    expect(result.stderr).toMatch(/is crash-looping: its container exited 3 times without becoming ready/);
    expect(result.stderr).toContain(`zdd: ${once} could not start: does not exist`);
    expect(result.exitCode).toBe(2);
    expect(await nothingLeft(run.tmp)).toBe(true);
  });
});
