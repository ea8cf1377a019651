import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { freePort } from '../../src/runtime/free-port.js';
import { REPO, zdd } from '../helpers/cli.js';
import { until } from '../helpers/wait.js';

/**
 * Bad input around files and settings, through the real CLI: each gets one
 * message naming the flag or field, the path or value and what is wrong, in
 * words; exit 2; no stack trace; nothing half-written.
 */

const BIN = fileURLToPath(new URL('../../bin/zdd.js', import.meta.url));
const FILES = ['default.yaml', 'zero-downtime.yaml'];
/**
 * Root reads and writes whatever it likes: permission tests need an ordinary
 * user. As root they run the CLI as `nobody` through runuser, if there is one.
 */
const isRoot = process.getuid?.() === 0;
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser'].find((path) => existsSync(path));
const cannotDenyPermission = isRoot && RUNUSER === undefined;
/** Node's error codes, which a message should put in words. */
const BARE_CODE = /\bE(NOENT|ACCES|ISDIR|NOTDIR|EXIST|PERM|ROFS|NOSPC)\b/;

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-bad-input-'));
});
afterEach(async () => {
  await chmod(scratch, 0o700).catch(() => undefined);
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the CLI, killed after `limitMs`: a hang fails the test quickly instead of stalling the suite. */
async function bounded(args: string[], limitMs = 20_000, run = zdd(args)) {
  const timer = setTimeout(() => run.kill('SIGKILL'), limitMs);
  const result = await run;
  clearTimeout(timer);
  return { ...result, hung: result.isTerminated };
}

/** Runs the CLI as an ordinary user (see RUNUSER). */
async function unprivileged(args: string[]) {
  if (!isRoot || RUNUSER === undefined) return bounded(args);
  // The scratch folder is private to root; nobody must reach the paths inside.
  await chmod(scratch, 0o755);
  const run = execa(RUNUSER, ['-u', 'nobody', '--', process.execPath, BIN, ...args], {
    cwd: REPO,
    reject: false,
    env: { NO_COLOR: '1' },
  });
  return bounded(args, 20_000, run);
}

/** The common shape of a rejection: exit 2, a zdd message, no stack trace, no bare error code, nothing on stdout. */
function expectRejected(result: Awaited<ReturnType<typeof bounded>>, message: string | RegExp): void {
  expect(result.hung, 'the command hung and was killed').toBe(false);
  expect(result.stderr).toMatch(message);
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toMatch(BARE_CODE);
  expect(result.stdout).toBe('');
}

describe('zdd synth --out', () => {
  test.skipIf(!existsSync('/proc/self'))(
    "a folder on procfs fails at once (Node's recursive mkdir loops forever there) (skipped: no /proc)",
    async () => {
      for (const out of ['/proc/zdd-x', '/proc/zdd-x/y/z']) {
        const result = await bounded(['synth', '--out', out]);
        expectRejected(
          result,
          '--out: cannot create /proc/zdd-x: /proc does not allow new folders; nothing was written',
        );
      }
    },
  );

  test('a destination that is a folder: nothing is replaced, no temporary file is left', async () => {
    const out = join(scratch, 'out');
    await mkdir(join(out, 'zero-downtime.yaml'), { recursive: true });
    await writeFile(join(out, 'default.yaml'), 'the old default\n');
    const result = await bounded(['synth', '--out', out]);
    expectRejected(result, `--out: cannot write ${join(out, 'zero-downtime.yaml')}: is a folder; nothing was written`);
    expect(await readFile(join(out, 'default.yaml'), 'utf8')).toBe('the old default\n');
    expect((await readdir(out)).sort()).toEqual(FILES);
  });

  test('a path under a file', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, '');
    const result = await bounded(['synth', '--out', join(file, 'dist')]);
    expectRejected(result, `--out: cannot create ${join(file, 'dist')}: ${file} is a file, not a folder`);
  });

  test('missing levels are created one by one', async () => {
    const out = join(scratch, 'a', 'b', 'c');
    const result = await bounded(['synth', '--out', out, '--format', 'plain']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(FILES);
  });

  test.skipIf(cannotDenyPermission)('a folder without write permission (skipped: root, no runuser)', async () => {
    const locked = join(scratch, 'locked');
    await mkdir(locked, { mode: 0o555 });
    const result = await unprivileged(['synth', '--out', join(locked, 'dist')]);
    expectRejected(result, `--out: cannot write to ${locked} (to create ${join(locked, 'dist')}): permission denied`);
  });

  test.skipIf(!existsSync('/dev/full'))(
    '--stdout on a full device: a message, no stack trace (skipped: no /dev/full)',
    async () => {
      // The device itself as the child's stdout (execa's file option would pipe it through this process).
      const full = await open('/dev/full', 'w');
      const cli = spawn(process.execPath, [BIN, 'synth', '--stdout'], {
        cwd: REPO,
        stdio: ['ignore', full.fd, 'pipe'],
      });
      let stderr = '';
      cli.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exitCode = await new Promise<number | null>((resolve) => cli.once('close', resolve)).finally(() =>
        full.close(),
      );
      expect(stderr).toBe(
        'zdd: --stdout: cannot write the manifests to standard output: no space left on the device\n',
      );
      expect(exitCode).toBe(2);
    },
  );

  test('an empty --out', async () => {
    expectRejected(await bounded(['synth', '--out=']), '--out: expected a folder, got an empty path');
  });
});

describe('zdd synth --config', () => {
  test.each([
    ['a folder', (dir: string) => dir, 'is a folder, expected a file'],
    ['a missing file', (dir: string) => join(dir, 'nope.yaml'), 'does not exist'],
    ['a path under a file', (dir: string) => join(dir, 'file.yaml', 'x'), 'part of the path is a file, not a folder'],
  ])('%s: the reason in words', async (_, pathIn, reason) => {
    await writeFile(join(scratch, 'file.yaml'), 'port: 8080\n');
    const path = pathIn(scratch);
    expectRejected(await bounded(['synth', '--stdout', '--config', path]), `--config: cannot read ${path}: ${reason}`);
  });

  test.skipIf(cannotDenyPermission)('an unreadable file (skipped: root, no runuser)', async () => {
    const path = join(scratch, 'secret.yaml');
    await writeFile(path, 'port: 8080\n', { mode: 0o000 });
    expectRejected(
      await unprivileged(['synth', '--stdout', '--config', path]),
      `--config: cannot read ${path}: permission denied`,
    );
  });

  test.skipIf(!existsSync('/dev/zero'))(
    'an endless device is refused, not read into memory (skipped: no /dev/zero)',
    async () => {
      expectRejected(
        await bounded(['synth', '--stdout', '--config', '/dev/zero']),
        '--config: /dev/zero is a character device, expected a regular file',
      );
    },
  );

  test('a 50 MB value is echoed cut, with its length', async () => {
    const path = join(scratch, 'huge.yaml');
    await writeFile(path, `names:\n  default: ${'a'.repeat(52_428_800)}\n`);
    const result = await bounded(['synth', '--stdout', '--config', path], 60_000);
    expectRejected(result, `got "${'a'.repeat(200)}"… (52428800 characters)`);
    expect(result.stderr.length).toBeLessThan(1000);
  });

  test('an unknown key of 1 MB and 30 unknown keys are echoed cut', async () => {
    const path = join(scratch, 'keys.json');
    const keys = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`key${i}`, 1]));
    await writeFile(path, JSON.stringify({ zeroDowntime: { ['k'.repeat(1_000_000)]: 1 }, ...keys }));
    const result = await bounded(['synth', '--stdout', '--config', path]);
    expectRejected(result, `zeroDowntime: Unrecognized key: "${'k'.repeat(200)}"… (1000000 characters)`);
    expect(result.stderr).toContain('"key0", "key1", "key2", "key3", "key4" and 25 more');
    expect(result.stderr.length).toBeLessThan(1000);
  });

  test.each([
    ['port: .nan\n', 'port: Invalid input: expected number, got .nan'],
    ['replicas: "3"\n', 'replicas: Invalid input: expected number, got "3"'],
    ['replicas: 1e400\n', 'replicas: Invalid input: expected number, got 1e400'],
    ['zeroDowntime:\n  preStop: yes\n', 'zeroDowntime.preStop: Invalid input: expected false or object, got yes'],
  ])('%j: the value as written in the file, not as parsed', async (text, message) => {
    const path = join(scratch, 'typed.yaml');
    await writeFile(path, text);
    expectRejected(await bounded(['synth', '--stdout', '--config', path]), `${path}: ${message}`);
  });

  test('YAML aliases that expand to too much data', async () => {
    const path = join(scratch, 'aliases.yaml');
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f'].entries()) {
      const previous = String.fromCharCode('a'.charCodeAt(0) + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    await writeFile(path, `${levels.join('\n')}\n`);
    expectRejected(
      await bounded(['synth', '--stdout', '--config', path]),
      `${path}: not valid YAML or JSON: its aliases (*name) expand to too much data`,
    );
  });

  test('two YAML documents', async () => {
    const path = join(scratch, 'two.yaml');
    await writeFile(path, 'port: 1\n---\nport: 2\n');
    expectRejected(
      await bounded(['synth', '--stdout', '--config', path]),
      `${path}: holds 2 YAML documents (separated by "---"); expected one`,
    );
  });
});

describe('zdd synth settings Kubernetes would refuse', () => {
  test('the two variants under one name', async () => {
    expectRejected(
      await bounded(['synth', '--stdout', '--name-default', 'a', '--name-zero-downtime', 'a']),
      'invalid setting names.zeroDowntime (--name-zero-downtime): must differ from names.default: with one name both variants would write the same objects and select the same pods, got "a"',
    );
  });

  test.each([
    [['--replicas', '2147483648'], 'replicas (--replicas): must be an integer from 1 to 2147483647, got 2147483648'],
    [
      ['--probe-timeout', '2147483648'],
      'zeroDowntime.readinessProbe.timeoutSeconds (--probe-timeout): must be an integer from 1 to 2147483647, got 2147483648',
    ],
    [
      ['--probe-success-threshold', '3000000000'],
      'zeroDowntime.readinessProbe.successThreshold (--probe-success-threshold): must be an integer from 1 to 2147483647, got 3000000000',
    ],
    [
      ['--grace-period', '2147483648'],
      'zeroDowntime.terminationGracePeriodSeconds (--grace-period): must be an integer from 1 to 2147483647, got 2147483648',
    ],
    [
      ['--prestop-sleep', '2147483648'],
      'zeroDowntime.preStop.sleepSeconds (--prestop-sleep): must be an integer from 0 to 2147483647, got 2147483648',
    ],
    [
      ['--max-surge', '2147483648'],
      'zeroDowntime.rolling.maxSurge (--max-surge): must be an integer from 0 to 2147483647, got 2147483648',
    ],
    [['--replicas', '1.5'], 'replicas (--replicas): must be an integer from 1 to 2147483647, got 1.5'],
  ])('%j beyond int32 or not an integer', async (args, message) => {
    expectRejected(await bounded(['synth', '--stdout', ...args]), `invalid setting ${message}`);
  });

  test('the largest int32 is still accepted', async () => {
    const result = await bounded(['synth', '--stdout', '--replicas', '2147483647']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('replicas: 2147483647');
  });
});

describe('zdd local up --manifests (stops at reading)', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 80 }] } };
  const route = {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'x' },
    spec: { to: { name: 'x' } },
  };

  test('a subfolder named x.yaml is not a manifest: skipped, as oc apply -f skips it', async () => {
    const folder = join(scratch, 'manifests');
    await mkdir(join(folder, 'x.yaml'), { recursive: true });
    expectRejected(
      await bounded(['local', 'up', '--manifests', folder]),
      `--manifests: no .yaml, .yml or .json files in ${folder}, only ${join(folder, 'x.yaml')}, which is not a regular file`,
    );
    await writeFile(join(folder, 'service.yaml'), stringify(service));
    expectRejected(
      await bounded(['local', 'up', '--manifests', folder]),
      `--manifests: no DeploymentConfig or Deployment in ${folder}; nothing to run (found: Service/x)`,
    );
  });

  test('kind: List (what oc get -o yaml prints) is read, nested Lists too', async () => {
    const path = join(scratch, 'list.yaml');
    const inner = { apiVersion: 'v1', kind: 'List', items: [route] };
    await writeFile(path, stringify({ apiVersion: 'v1', kind: 'List', items: [service, inner], metadata: {} }));
    expectRejected(
      await bounded(['local', 'up', '--manifests', path]),
      `--manifests: no DeploymentConfig or Deployment in ${path}; nothing to run (found: Service/x, Route/x)`,
    );
  });

  test.each([
    ['a missing path', (dir: string) => join(dir, 'nope'), 'does not exist'],
    ['a path under a file', (dir: string) => join(dir, 'file.yaml', 'x'), 'part of the path is a file, not a folder'],
  ])('%s: the reason in words', async (_, pathIn, reason) => {
    await writeFile(join(scratch, 'file.yaml'), stringify(service));
    const path = pathIn(scratch);
    expectRejected(await bounded(['local', 'up', '--manifests', path]), `--manifests: ${path}: ${reason}`);
  });

  test.skipIf(cannotDenyPermission)('an unreadable manifest or folder (skipped: root, no runuser)', async () => {
    const path = join(scratch, 'secret.yaml');
    await writeFile(path, stringify(service), { mode: 0o000 });
    expectRejected(
      await unprivileged(['local', 'up', '--manifests', path]),
      `--manifests: cannot read ${path}: permission denied`,
    );
    const folder = join(scratch, 'private');
    await mkdir(folder, { mode: 0o700 });
    expectRejected(
      await unprivileged(['local', 'up', '--manifests', folder]),
      `--manifests: cannot list ${folder}: permission denied`,
    );
  });

  test('YAML aliases that expand to too much data', async () => {
    const path = join(scratch, 'aliases.yaml');
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f'].entries()) {
      const previous = String.fromCharCode('a'.charCodeAt(0) + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    await writeFile(path, `${levels.join('\n')}\n`);
    expectRejected(
      await bounded(['local', 'up', '--manifests', path]),
      `${path}: not valid YAML: its aliases (*name) expand to too much data`,
    );
  });

  test('the same workload twice', async () => {
    const path = join(scratch, 'twice.yaml');
    const dc = await readFile(join(REPO, 'dist', 'default.yaml'), 'utf8');
    await writeFile(path, `${dc}---\n${dc}`);
    expectRejected(
      await bounded(['local', 'up', '--manifests', path]),
      `${path}: DeploymentConfig/default-app: a second workload named "default-app" (the first is in ${path} as DeploymentConfig/default-app); names must be unique`,
    );
  });

  test('a 5 MB object name is echoed cut', async () => {
    const path = join(scratch, 'long-name.yaml');
    await writeFile(path, stringify({ ...service, metadata: { name: 'n'.repeat(5_242_880) }, spec: {} }));
    const result = await bounded(['local', 'up', '--manifests', path]);
    expectRejected(result, `Service/${'n'.repeat(200)}… (5242880 characters): spec.ports: missing (expected array)`);
    expect(result.stderr.length).toBeLessThan(1000);
  });
});

describe('zdd local up runs a kind: List', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    // Whatever a failed test left: kill it by PID.
    if (child?.pid && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  test('the synthesized manifests wrapped in one List serve like the files', async () => {
    const items = [];
    for (const file of FILES) {
      const text = await readFile(join(REPO, 'dist', file), 'utf8');
      items.push(...parseAllDocuments(text).map((document) => document.toJS() as unknown));
    }
    const path = join(scratch, 'list.yaml');
    await writeFile(path, stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }));
    const controlPort = await freePort();
    const started = spawn(
      process.execPath,
      [BIN, 'local', 'up', '--manifests', path, '--time-scale', '0.1', '--control-port', String(controlPort)],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    await until(() => output.includes('press Ctrl-C') || started.exitCode !== null, 30_000);
    expect(output).toContain('workloads: default-app, zero-downtime-app; press Ctrl-C to stop');
    const url = /route zero-downtime-app\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
    expect((await fetch(url ?? 'http://127.0.0.1:1/')).status).toBe(200);
    started.kill('SIGINT');
    await until(() => started.exitCode !== null, 20_000);
    expect(output).toContain('stopping the local cluster');
    expect(started.exitCode, output).not.toBeNull();
  });
});
