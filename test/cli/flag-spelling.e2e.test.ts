import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { zdd } from '../helpers/cli.js';

/**
 * One spelling per flag, a value where one is needed, and yargs' own messages in words: through the real CLI,
 * each refusal is exit 2 with one line naming what was typed, before anything runs or is written.
 */

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'zdd-flags-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI in the scratch folder with no oc, kubectl or k6 on PATH: a refusal cannot come from a tool. */
function run(args: readonly string[]) {
  return zdd(args, { cwd: scratch, env: { PATH: '/nonexistent', HOME: scratch }, timeout: 60_000 });
}

function expectRefused(result: Awaited<ReturnType<typeof run>>, message: string): void {
  expect(result.stderr.split('\n')[0], result.stderr).toBe(`zdd: ${message}`);
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(result.stdout).toBe('');
  // Nothing written: no dist/, no results/, no <file>-report/.
  expect(readdirSync(scratch)).toEqual([]);
}

describe('one spelling per flag', () => {
  test('a camelCase twin cannot override a flag', async () => {
    const result = await run(['compare', '--max-error-rate', '0', '--maxErrorRate', '100']);
    expectRefused(result, 'unknown option --maxErrorRate (the flag is spelled --max-error-rate)');
  });

  test('check --routerReloadInterval is unknown', async () => {
    const result = await run(['check', 'x.yaml', '--routerReloadInterval', '1']);
    expectRefused(result, 'unknown option --routerReloadInterval (the flag is spelled --reload-interval)');
  });

  test.each([['check', 'x.yaml'], ['compare'], ['local', 'up'], ['testbed', 'up']])(
    '%s: the former --router-reload-interval names --reload-interval',
    async (...command) => {
      const result = await run([...command, '--router-reload-interval', '10']);
      expectRefused(result, 'unknown option --router-reload-interval (the flag is spelled --reload-interval)');
    },
  );

  test.each([['check'], ['platforms'], ['compare'], ['local', 'up'], ['testbed', 'up']])(
    '%s --help: --reload-interval, default 5',
    async (...command) => {
      const result = await run([...command, '--help']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toMatch(
        /--reload-interval\s+seconds between the router's reloads\s+\(OpenShift's\s+RELOAD_INTERVAL\)\s+\[number\]\s+\[default: 5\]/,
      );
      expect(result.stdout).not.toContain('router-reload-interval');
    },
  );

  test.each([
    [['--maxSurge', '1'], 'unknown option --maxSurge (the flag is spelled --max-surge)'],
    [['--max_surge', '1'], 'unknown option --max_surge (the flag is spelled --max-surge)'],
    [['--image.tag', 'x'], 'unknown option --image.tag (the flag is spelled --image)'],
    [['--no-image'], 'unknown option --no-image (--image takes a value; it has no --no- form)'],
    [['-stdout'], 'unknown option -stdout (the flag is spelled --stdout)'],
    [['--pdb=yes'], '--pdb takes no value (or =true, =false), got "yes"'],
    [['--no-prestop=true'], '--no-prestop takes no value, got "true"'],
  ])('synth %j', async (args, message) => {
    expectRefused(await run(['synth', ...args]), message);
  });

  test.each([
    [['diff', '--files', 'a.yaml', 'b.yaml'], 'unknown option --files'],
    [['report', '--dir', 'results'], 'unknown option --dir'],
    [['local', 'rollout', 'default-app', '--workloads', 'other'], 'unknown option --workloads'],
  ])('a positional argument is not a flag: %j', async (args, message) => {
    expectRefused(await run(args), message);
  });

  test('the declared spellings still work, --no- forms and =false included', async () => {
    const result = await run(['synth', '--stdout', '--no-prestop', '--pdb=false', '--max-surge', '1']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('maxSurge: 1');
    expect(result.stdout).not.toContain('preStop');
    expect(result.stdout).not.toContain('PodDisruptionBudget');
  });
});

describe('a flag without its value', () => {
  test.each([
    [['compare', '--rate'], '--rate needs a value'],
    [['local', 'up', '--image-command'], '--image-command needs a value'],
    [['synth', '--out', '--stdout'], '--out needs a value'],
    [['synth', '--memory-limit', '-5Mi'], '--memory-limit needs a value; to give "-5Mi", write --memory-limit=-5Mi'],
  ])('%j', async (args, message) => {
    expectRefused(await run(args), message);
  });

  test('report --from without a file creates no folder', async () => {
    expectRefused(await run(['report', '--from']), '--from needs a value');
    expect(existsSync(join(scratch, '-report'))).toBe(false);
  });

  test('a negative number is a value', async () => {
    const result = await run(['synth', '--replicas', '-1']);
    expect(result.stderr).toContain('invalid setting replicas (--replicas): must be an integer from 1 to');
    expect(result.exitCode).toBe(2);
  });
});

describe("yargs' and the control API's messages, in words", () => {
  test.each([
    [
      ['local', 'rollout'],
      'local rollout: name at least one workload to roll out (e.g. zdd local rollout default-app)',
    ],
    [
      ['check', '--format', 'json'],
      'check: name at least one file or folder to check, or - for standard input (e.g. zdd check dist/)',
    ],
    [['synt'], 'unknown command "synt"; did you mean synth?'],
    [['local', 'rolout', 'default-app'], 'unknown command "rolout"; did you mean rollout?'],
    [
      ['compare', '--target', 'cluster', '--router-address', 'router:99999'],
      '--router-address: the port in "router:99999" must be from 1 to 65535',
    ],
    [
      ['compare', '--target', 'cluster', '--route-url', 'default-app=http://router:70000/'],
      '--route-url: the port in "http://router:70000/" must be from 1 to 65535',
    ],
    [
      ['synth', '--memory-limit=-5Mi'],
      'invalid setting resources.limits.memory (--memory-limit): must not be negative (Kubernetes refuses a negative request or limit), got "-5Mi"',
    ],
  ])('%j', async (args, message) => {
    expectRefused(await run(args), message);
  });
});
