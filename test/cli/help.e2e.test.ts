import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { packageVersion } from '../../src/runtime/package-info.js';
import { BIN, EVERY_COMMAND, REPO, zdd } from '../helpers/cli.js';

/**
 * `--help` of every command, through the real CLI: words are never cut at the end of a line (yargs' ES module
 * build used to: "a kustomize base a / nd overlay", "grace per / iod"), at a terminal's width or piped, and
 * numeric flags say `[number]`.
 */

/** The settings flags that take a number (synth, diff and compare declare them all). */
const NUMERIC_SETTINGS = [
  'port',
  'replicas',
  'probe-initial-delay',
  'probe-timeout',
  'probe-period',
  'probe-success-threshold',
  'probe-failure-threshold',
  'prestop-sleep',
  'grace-period',
];

/** Each command's own numeric flags; check's reload interval is found by its ending, whatever its prefix. */
const NUMERIC_FLAGS: Readonly<Record<string, readonly string[]>> = {
  synth: NUMERIC_SETTINGS,
  diff: NUMERIC_SETTINGS,
  compare: [
    ...NUMERIC_SETTINGS,
    'rate',
    'warmup',
    'cooldown',
    'rounds',
    'max-error-rate',
    'time-scale',
    'reload-interval',
    'seed',
    'timeout',
  ],
  check: ['*reload-interval', 'shutdown-seconds'],
  platforms: ['*reload-interval'],
  report: ['max-error-rate'],
  'local up': ['time-scale', 'reload-interval', 'control-port'],
  'local rollout': ['control-port'],
  'local events': ['control-port'],
  'testbed up': ['reload-interval', 'seed'],
};

/** `--help` piped (no terminal: laid out 80 columns wide, or as wide as COLUMNS says up to 110). */
async function pipedHelp(command: readonly string[]): Promise<string> {
  const result = await zdd([...command, '--help'], { timeout: 30_000 });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
}

const hasScript = (await execa('script', ['--version'], { reject: false })).exitCode === 0;

/** `--help` on a terminal `columns` wide: a pseudo-terminal from util-linux's `script`. */
async function terminalHelp(command: readonly string[], columns: number): Promise<string> {
  const line = `stty cols ${columns} rows 50; exec "${process.execPath}" "${BIN}" ${command.join(' ')} --help`;
  const result = await execa('script', ['-qec', line, '/dev/null'], {
    cwd: REPO,
    reject: false,
    env: { NO_COLOR: '1' },
    timeout: 30_000,
  });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout.replace(/\r/g, '');
}

const words = (text: string): Set<string> => new Set(text.split(/\s+/).filter((word) => word !== ''));

/** The type yargs shows for each flag (`[number]`), from the flag's line or the lines below it. */
function flagTypes(help: string): Map<string, string> {
  const types = new Map<string, string>();
  let flag: string | undefined;
  for (const line of help.split('\n')) {
    const named = /^\s+(?:-\w, )?--([\w-]+)/.exec(line)?.[1];
    if (named !== undefined) flag = named;
    else if (!/^\s{4,}/.test(line)) flag = undefined;
    const type = /\[(number|string|boolean|array|count)\]/.exec(line)?.[1];
    if (flag !== undefined && type !== undefined && !types.has(flag)) types.set(flag, type);
  }
  return types;
}

describe.each(EVERY_COMMAND.map((command) => [command.join(' ') || '(no command)', command] as const))(
  'zdd %s --help',
  (name, command) => {
    test('no word is cut at the end of a line, piped or on a terminal 80 or 100 wide', async () => {
      const outputs = [['piped', await pipedHelp(command)]];
      if (hasScript) {
        for (const columns of [80, 100]) outputs.push([`${columns} columns`, await terminalHelp(command, columns)]);
      }
      // The same text laid out at another width has the same words; a cut word's pieces appear at one width only.
      for (const [width, help] of outputs) {
        for (const [otherWidth, other] of outputs) {
          const missing = [...words(help ?? '')].filter((word) => !words(other ?? '').has(word));
          expect(missing, `words of the help ${width} that are not in the help ${otherWidth}`).toEqual([]);
        }
      }
      for (const [width, help] of outputs) {
        for (const line of (help ?? '').split('\n')) {
          expect(line.length, `a line of the help ${width}: ${line}`).toBeLessThanOrEqual(110);
        }
      }
    });

    test('numeric flags show [number]', async () => {
      const types = flagTypes(await pipedHelp(command));
      for (const flag of NUMERIC_FLAGS[name] ?? []) {
        const found = flag.startsWith('*') ? [...types.keys()].filter((key) => key.endsWith(flag.slice(1))) : [flag];
        expect(found, flag).not.toEqual([]);
        for (const key of found) expect(types.get(key), `--${key}`).toBe('number');
      }
    });
  },
);

test('the descriptions that used to be cut read whole', async () => {
  const root = (await pipedHelp([])).replace(/\s+/g, ' ');
  expect(root).toContain('a kustomize base and overlay, a Helm chart');
  expect(root).toContain('grace period, rolling parameters');
  if (hasScript) {
    const narrow = (await terminalHelp(['check'], 80)).replace(/\s+/g, ' ');
    expect(narrow).toContain('preStop vs the platform, grace period, rolling parameters, PDBs');
  }
});

test('zdd --version prints the package version alone and exits 0; a command takes it too', async () => {
  const version = packageVersion();
  for (const args of [['--version'], ['compare', '--version']]) {
    const result = await zdd(args);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(version);
    expect(result.stderr).toBe('');
  }
});
