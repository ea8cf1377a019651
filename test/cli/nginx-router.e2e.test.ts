import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { NginxRouter } from '../../src/cluster/router/nginx-router.js';
import { BIN, REPO, zdd } from '../helpers/cli.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { flat } from '../helpers/terminal-text.js';
import { until } from '../helpers/wait.js';

/** `--router nginx` through the real CLI; each run gets its own TMPDIR, so that what it leaves behind can be seen. */
const available = await NginxRouter.available();
const missing = 'nginx is not installed (apt-get install nginx)';
const root = mkdtempSync(join(tmpdir(), 'zdd-test-nginx-'));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FAST = ['--load', 'builtin', ...FAST_COMPARE, '--router', 'nginx'];

function sandbox(): { dir: string; tmp: string; results: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(root, 'run-'));
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  return { dir, tmp, results: join(dir, 'results'), env: { ...process.env, TMPDIR: tmp } as Record<string, string> };
}

/**
 * Processes of one run: their environment names a path in its TMPDIR (zdd, the watchdog, the pods). Not
 * nginx's: its process titles overwrite the memory /proc shows as their environment; see nginxPids.
 */
function processesOf(tmp: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.some((variable) => variable.slice(variable.indexOf('=') + 1).startsWith(tmp))) found.push(entry);
    } catch {
      // Gone, or not ours.
    }
  }
  return found;
}

async function nothingLeft(tmp: string): Promise<boolean> {
  return until(
    () => processesOf(tmp).length === 0 && readdirSync(tmp).filter((name) => name.startsWith('zdd-')).length === 0,
    5000,
  );
}

/** nginx's processes its error log names: the master (`<pid>#<tid>: start worker processes`) and each worker. */
function nginxPids(log: string): number[] {
  const masters = [...log.matchAll(/ (\d+)#\d+: start worker processes/g)].map((match) => Number(match[1]));
  const workers = [...log.matchAll(/start worker process (\d+)/g)].map((match) => Number(match[1]));
  return [...new Set([...masters, ...workers])];
}

/** Those of `pids` that still run nginx (a zombie has no command line; a reused pid runs something else). */
function stillNginx(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('nginx:');
    } catch {
      return false;
    }
  });
}

describe('--router nginx without nginx', () => {
  test('exit 2 before deploying, naming the Debian package', async () => {
    const box = sandbox();
    const fake = join(box.dir, 'fake');
    mkdirSync(fake);
    // An nginx that does not run; zdd takes the one on PATH before /usr/sbin/nginx.
    writeFileSync(join(fake, 'nginx'), '#!/bin/sh\nexit 127\n');
    chmodSync(join(fake, 'nginx'), 0o755);
    const run = await zdd(['compare', ...FAST, '--results', box.results], {
      env: { ...box.env, PATH: `${fake}:${process.env.PATH}` },
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain('--router nginx: nginx is not installed (apt-get install nginx)');
    expect(run.stderr).not.toMatch(/bug in zdd|\n\s+at /);
    expect(await nothingLeft(box.tmp)).toBe(true);
  });

  test('an nginx that refuses to start is named as the failing tool, with what it logged, exit 2', async () => {
    const box = sandbox();
    const fake = join(box.dir, 'fake');
    mkdirSync(fake);
    writeFileSync(
      join(fake, 'nginx'),
      `#!/bin/sh\nif [ "$1" = -v ]; then echo "nginx version: nginx/1.22.1" >&2; exit 0; fi\necho 'nginx: [emerg] bind() to 127.0.0.1:1 failed (13: Permission denied)' >&2\nexit 1\n`,
    );
    chmodSync(join(fake, 'nginx'), 0o755);
    const run = await zdd(['compare', ...FAST, '--results', box.results], {
      env: { ...box.env, PATH: `${fake}:${process.env.PATH}` },
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/zdd: nginx failed: nginx exited with code 1 during start/);
    expect(run.stderr).toContain('[emerg] bind() to 127.0.0.1:1 failed');
    expect(run.stderr).not.toMatch(/bug in zdd|\n\s+at /);
    expect(await nothingLeft(box.tmp)).toBe(true);
  });
});

describe.skipIf(!available)(`compare --router nginx${available ? '' : ` — skipped: ${missing}`}`, () => {
  test("gives a verdict, keeps nginx's error log with the pods' logs, and leaves no nginx process", async () => {
    const box = sandbox();
    const run = await zdd(['compare', ...FAST, '--results', box.results], { env: box.env, timeout: 180_000 });
    expect([0, 1], run.stdout + run.stderr).toContain(run.exitCode);
    expect(flat(run.stdout)).toMatch(/router nginx/);
    expect(run.stdout).toMatch(/^(PASS|FAIL): /m);
    const [folder] = readdirSync(box.results).filter((name) => !name.includes('.'));
    expect(folder).toBeDefined();
    const log = readFileSync(join(box.results, folder ?? '', 'logs', 'router-nginx.log'), 'utf8');
    expect(log).toMatch(/SIGHUP/);
    const pids = nginxPids(log);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(await until(() => stillNginx(pids).length === 0, 5000), `left: ${stillNginx(pids)}`).toBe(true);
    expect(await nothingLeft(box.tmp)).toBe(true);
  }, 180_000);

  test('kill -9 during the warm-up: the watchdog kills nginx and its workers', async () => {
    const box = sandbox();
    const flags = FAST.map((arg, i) => (FAST[i - 1] === '--warmup' ? '600' : arg));
    const child = spawn(process.execPath, [BIN, 'compare', ...flags, '--results', box.results], {
      cwd: REPO,
      env: box.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await until(() => out.includes('warm-up'), 60_000);
    const [local] = readdirSync(box.tmp).filter((name) => name.startsWith('zdd-local-'));
    const pids = nginxPids(readFileSync(join(box.tmp, local ?? '', 'router-nginx', 'log'), 'utf8'));
    expect(stillNginx(pids).length, 'the master and a worker run').toBeGreaterThanOrEqual(2);
    child.kill('SIGKILL');
    await exited;
    expect(await until(() => stillNginx(pids).length === 0, 5000), `left: ${stillNginx(pids)}`).toBe(true);
    expect(await nothingLeft(box.tmp)).toBe(true);
  }, 120_000);
});
