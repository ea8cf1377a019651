import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { freePort } from '../../src/runtime/free-port.js';
import { BIN, REPO, zdd } from '../helpers/cli.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { boxed, flat } from '../helpers/terminal-text.js';
import { until } from '../helpers/wait.js';

/**
 * What a new user runs into first: bad input, tools that fail, images that crash, Ctrl-C and kill -9. Every
 * run goes through the real CLI; each gets its own TMPDIR, so that what it leaves behind can be seen.
 */
const root = mkdtempSync(join(tmpdir(), 'zdd-test-robustness-'));
const children: ChildProcess[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder for one run: its TMPDIR, its results, its scripts. */
function sandbox(): { dir: string; tmp: string; results: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(root, 'run-'));
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  return { dir, tmp, results: join(dir, 'results'), env: { ...process.env, TMPDIR: tmp } as Record<string, string> };
}

/** An executable shell script. */
function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Starts the CLI in the background, collecting its output. */
function start(args: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** True once nothing of a run is left: no process, no temp folder (the watchdog exits just after zdd). */
async function nothingLeft(tmp: string): Promise<boolean> {
  return until(() => processesOf(tmp).length === 0 && leftovers(tmp).length === 0, 5000);
}

/** zdd's temp folders left in a TMPDIR. */
function leftovers(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('zdd-'));
}

/**
 * Processes of one run: their environment names a path in its TMPDIR (zdd, the watchdog, k6 and HAProxy inherit
 * TMPDIR; every pod gets a PID_FILE in the run's temp folder).
 */
function processesOf(tmp: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.some((variable) => variable.slice(variable.indexOf('=') + 1).startsWith(tmp))) found.push(+entry);
    } catch {
      // Gone, or not ours.
    }
  }
  return found;
}

const FAST = ['--load', 'builtin', ...FAST_COMPARE];
/** FAST with some of its flags replaced (a flag given twice is an error). */
function fast(overrides: Record<string, string> = {}): string[] {
  const flags = new Map<string, string>();
  for (let i = 0; i < FAST.length; i += 2) flags.set(FAST[i] ?? '', FAST[i + 1] ?? '');
  for (const [flag, value] of Object.entries(overrides)) flags.set(flag, value);
  return [...flags].flat();
}

describe('compare: checks before anything is deployed', () => {
  test.each([
    [['--time-scale', '1e-9'], /--time-scale: expected a number from 0\.01 to 100, got 1e-9/],
    [['--rate', 'fast'], /--rate: expected a number, got "fast"/],
    [['--rate', '5000', '--time-scale', '1'], /--rate: at most 1000 requests per second per variant, got 5000/],
    [['--rate', '200'], /--rate 200 at --time-scale 0\.1 is 2000 requests per real second per variant/],
    [
      ['--time-scale', '1', '--rate', '1000', '--rounds', '100'],
      /would need about \d+ requests per variant and connection pattern, more than the 1000000 zdd keeps/,
    ],
    [['--rounds', '0'], /--rounds: expected an integer ≥ 1, got 0/],
    [['--connections', 'some'], /--connections: expected one of both, reused, new, got "some"/],
    [['--load', 'jmeter'], /--load: expected one of auto, k6, builtin, k6-operator, got "jmeter"/],
    [['--preset', 'default', '--preset', 'seed'], /--preset is given 2 times \(default, seed\); give it once/],
    [['--image', 'a:1', '--image', 'b:2'], /--image is given 2 times \(a:1, b:2\); give it once/],
    [['--replicas', '50'], /replicas 50 is more than the local cluster runs \(at most 10 per workload/],
  ])('%j', async (args, message) => {
    const box = sandbox();
    const overrides = new Set(args.filter((arg) => arg.startsWith('--')));
    const base = FAST.filter((arg, i) => !overrides.has(arg) && !overrides.has(FAST[i - 1] ?? ''));
    const result = await zdd(['compare', ...base, '--results', box.results, ...args], { env: box.env });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.stdout).toBe('');
    expect(await nothingLeft(box.tmp)).toBe(true);
  });

  test('--results that cannot be written: exit 2 before deploying', async () => {
    const box = sandbox();
    const file = join(box.dir, 'a-file');
    writeFileSync(file, '');
    const result = await zdd(['compare', ...FAST, '--results', join(file, 'results')], { env: box.env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--results: cannot create .*a-file\/results: .*a-file is a file, not a folder/);
    expect(result.stderr).not.toContain('deploying');
    const proc = await zdd(['compare', ...FAST, '--results', '/proc/zdd-results'], { env: box.env, timeout: 20_000 });
    expect(proc.exitCode).toBe(2);
    expect(proc.stderr).toContain('--results: cannot create /proc/zdd-results: /proc does not allow new folders');
  });

  test('--load k6 where k6 is missing: exit 2 before deploying, with the install command', async () => {
    const box = sandbox();
    const result = await zdd(['compare', ...fast({ '--load': 'k6' }), '--results', box.results], {
      env: { ...box.env, PATH: '/usr/bin:/bin', GOPATH: '/nonexistent' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('go install go.k6.io/k6@v1.8.1');
    expect(result.stderr).not.toContain('deploying');
  });
});

describe('compare: failures of what it runs', () => {
  test('a --timeout that cannot be met: exit 2 at once, nothing left running (it used to hang)', async () => {
    const box = sandbox();
    const run = start(
      [
        'compare',
        ...fast({ '--warmup': '0', '--cooldown': '0', '--rate': '1' }),
        '--timeout',
        '0.001',
        '--results',
        box.results,
      ],
      box.env,
    );
    const code = await Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve('hang'), 30_000))]);
    expect(code, run.output()).toBe(2);
    expect(run.output()).toContain('the variants did not become reachable (--timeout 0.001)');
    expect(await nothingLeft(box.tmp)).toBe(true);
  });

  test('an image that crash-loops: each restart reported as it happens, then exit 2 with its last log lines, logs kept', async () => {
    const box = sandbox();
    const crash = script(box.dir, 'crash.sh', 'echo "boom: cannot open /config/app.yaml" >&2\nexit 1');
    const run = await zdd(
      ['compare', ...FAST, '--image-command', `zdd-sample-app:*=${crash}`, '--results', box.results],
      { env: box.env },
    );
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/container-restarted\s+\S+-app\/\S+-app-1-\w+\s+exited with code 1; restart 1/);
    expect(run.stderr).toMatch(/is crash-looping: its container exited 3 times without becoming ready/);
    expect(run.stderr).toContain('boom: cannot open /config/app.yaml');
    const kept = /the events and the pods' logs are in (\S+)\//.exec(run.stderr)?.[1] ?? '';
    expect(kept).toMatch(/\.failed$/);
    const logs = readdirSync(join(kept, 'logs'));
    expect(logs.length).toBeGreaterThan(0);
    expect(readFileSync(join(kept, 'logs', logs[0] ?? ''), 'utf8')).toContain('boom');
    expect(existsSync(join(kept, 'events.json'))).toBe(true);
    expect(await nothingLeft(box.tmp)).toBe(true);
  });

  test('a rollout that fails is never a PASS: INCONCLUSIVE, exit 3, and the table says which and why', async () => {
    const box = sandbox();
    // Revision 1 serves; every pod of revision 2 exits at once. The zero-downtime rollout waits for a ready pod
    // until --timeout (20 s × 0.1) and rolls back; the default one may complete, its pods counting as ready
    // whenever their process runs (no readinessProbe), as on a real cluster.
    const app = script(
      box.dir,
      'app.sh',
      `case "$POD_NAME" in *-2-*) echo "bad release" >&2; exit 1;; esac\nSTARTUP_DELAY_MS=200 WARMUP_MS=600 exec node ${join(REPO, 'app/server.js')}`,
    );
    const run = await zdd(
      [
        'compare',
        ...fast({ '--warmup': '10', '--cooldown': '10' }),
        '--timeout',
        '20',
        '--image-command',
        `zdd-sample-app:*=${app}`,
        '--results',
        box.results,
      ],
      { env: { ...box.env, COLUMNS: '200' } },
    );
    expect(run.exitCode, run.stderr).toBe(3);
    // The rollouts table (200 columns wide: a row on one line).
    expect(boxed(run.stdout)).toMatch(
      /│ 1 │ zero-downtime-app → zero-downtime-app-2 │ failed │ [\d.]+ │ not complete within --timeout \(20 s\)/,
    );
    expect(flat(run.stdout)).toMatch(
      /INCONCLUSIVE: .*round 1: the rollout of zero-downtime-app to zero-downtime-app-2 failed \(not complete within --timeout \(20 s\)/m,
    );
    const folder = /results:\s+(\S+)\/\s+\(/.exec(run.stdout)?.[1] ?? '';
    const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8'));
    expect(summary.verdict).toMatchObject({ outcome: 'inconclusive', exitCode: 3, passed: false });
    expect(summary.rounds[0].rollouts[1]).toMatchObject({ workload: 'zero-downtime-app', outcome: 'failed' });
  });

  test('k6 that crashes is named as the failing tool, with its last lines, exit 2 (not "a bug in zdd")', async () => {
    const box = sandbox();
    const fake = mkdtempSync(join(box.dir, 'fake-'));
    script(
      fake,
      'k6',
      `if [ "$1" = version ]; then echo "k6 v1.8.1 (go1.26, linux/amd64)"; exit 0; fi\necho 'time="2026-01-01T00:00:00Z" level=error msg="GoError: out of memory"' >&2\nexit 107`,
    );
    const run = await zdd(['compare', ...fast({ '--load': 'k6' }), '--results', box.results], {
      env: { ...box.env, PATH: `${fake}:${process.env.PATH}` },
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain('zdd: k6 failed: k6 exited with code 107: GoError: out of memory');
    expect(run.stderr).toContain('the last lines k6 printed:');
    expect(run.stderr).not.toContain('bug in zdd');
    expect(await nothingLeft(box.tmp)).toBe(true);
  });

  test('HAProxy that refuses to start is named as the failing tool, exit 2', async () => {
    const box = sandbox();
    const fake = mkdtempSync(join(box.dir, 'fake-'));
    script(
      fake,
      'haproxy',
      `if [ "$1" = -v ]; then echo "HAProxy version 2.6.12-1+deb12u1 2023/12/16"; exit 0; fi\necho "[ALERT] config : parsing [haproxy.cfg:12] : unknown keyword 'balance2'" >&2\nexit 1`,
    );
    const run = await zdd(['compare', ...FAST, '--router', 'haproxy', '--results', box.results], {
      env: { ...box.env, PATH: `${fake}:${process.env.PATH}` },
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/zdd: HAProxy failed: HAProxy exited with code 1/);
    expect(run.stderr).toContain("unknown keyword 'balance2'");
    expect(run.stderr).not.toContain('bug in zdd');
    expect(await nothingLeft(box.tmp)).toBe(true);
  });
});

describe('compare and local up: stopped from outside', () => {
  test('compare, Ctrl-C during the warm-up: everything stops, the temp folders go, exit 130', async () => {
    const box = sandbox();
    const run = start(['compare', ...fast({ '--warmup': '600' }), '--results', box.results], box.env);
    await until(() => run.output().includes('warm-up'), 30_000);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output()).toContain('stopped by SIGINT; everything zdd started was stopped');
    expect(await nothingLeft(box.tmp)).toBe(true);
  });

  test('compare, kill -9: the watchdog kills every process and removes the temp folders', async () => {
    const box = sandbox();
    const run = start(['compare', ...fast({ '--warmup': '600' }), '--results', box.results], box.env);
    await until(() => run.output().includes('warm-up'), 30_000);
    expect(leftovers(box.tmp).length).toBeGreaterThan(0);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await nothingLeft(box.tmp)).toBe(true);
  });

  test('local up, Ctrl-C while the pods still start: it stops at once, not at the readiness deadline', async () => {
    const box = sandbox();
    const port = await freePort();
    // Real timings: the zero-downtime pods take 10 s to become ready.
    const run = start(['local', 'up', '--manifests', 'dist', '--control-port', String(port)], box.env);
    await until(() => processesOf(box.tmp).length >= 4, 10_000);
    run.child.kill('SIGINT');
    const stoppedAt = Date.now();
    expect(await run.exited).toBe(130);
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    expect(await nothingLeft(box.tmp)).toBe(true);
  });

  test('local up with a crash-looping image says so within seconds, with the log', async () => {
    const box = sandbox();
    const crash = script(box.dir, 'crash.sh', 'echo "fatal: no database" >&2\nexit 3');
    const run = await zdd(
      [
        'local',
        'up',
        '--time-scale',
        '0.1',
        '--image-command',
        `zdd-sample-app:*=${crash}`,
        '--control-port',
        String(await freePort()),
      ],
      { env: box.env },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(/container-restarted .* exited with code 3; restart 1/);
    expect(run.stderr).toMatch(/is crash-looping: its container exited 3 times without becoming ready/);
    expect(run.stderr).toContain('fatal: no database');
    expect(await nothingLeft(box.tmp)).toBe(true);
  });
});

describe('local rollout / events against something that is not zdd', () => {
  test.each([['rollout', 'default-app'], ['events']])('%s: exit 2, says what answers there', async (...args) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    servers.push(server);
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    const result = await zdd(['local', ...args, '--control-port', String(port)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `something answers on 127.0.0.1:${port} (HTTP 200), but it is not the control API of "zdd local up"`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
