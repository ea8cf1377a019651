import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, get, type IncomingHttpHeaders } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const WAIT_MS = 5_000; // the longest any single wait in these tests may take

interface Proc {
  child: ChildProcess;
  pid: number;
  output: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null if killed by a signal) and the time of exit. */
  exited: Promise<{ code: number | null; at: number }>;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

let scratch: string;
let pidFile: string;
const started: Proc[] = [];
const agents: Agent[] = [];

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'zdd-app-'));
  pidFile = join(scratch, 'app.pid');
});

afterEach(async () => {
  // No process may outlive its test.
  for (const proc of started.splice(0)) {
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      process.kill(proc.pid, 'SIGKILL');
      await within(proc.exited, WAIT_MS, `pid ${proc.pid} to die`);
    }
  }
  for (const agent of agents.splice(0)) agent.destroy();
  await rm(scratch, { recursive: true, force: true });
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function run(script: string, env: Record<string, string>): Proc {
  const file = script.endsWith('.sh') ? 'sh' : 'node';
  const child = spawn(file, [script], { cwd: REPO, env: { ...process.env, ...env }, stdio: 'pipe' });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => {
    child.once('exit', (code) => resolve({ code, at: Date.now() }));
  });
  const proc = { child, pid: child.pid, output: () => stdout, stderr: () => stderr, exited };
  started.push(proc);
  return proc;
}

async function startApp(env: Record<string, string> = {}) {
  const port = await freePort();
  const app = run('app/server.js', {
    PORT: String(port),
    HOST: '127.0.0.1',
    STARTUP_DELAY_MS: '300',
    WARMUP_MS: '300',
    PID_FILE: pidFile,
    POD_NAME: 'test-pod',
    ...env,
  });
  return { ...app, port };
}

/** Waits (bounded) until the process has logged a line matching `pattern`. */
async function logged(proc: Proc, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!pattern.test(proc.output())) {
    if (Date.now() > deadline) throw new Error(`no log line ${pattern} in:\n${proc.output()}${proc.stderr()}`);
    if (proc.child.exitCode !== null) throw new Error(`exited before ${pattern}:\n${proc.output()}${proc.stderr()}`);
    await sleep(20);
  }
}

function request(port: number, path: string, agent: Agent | false = false): Promise<Reply> {
  return within(
    new Promise<Reply>((resolve, reject) => {
      const req = get({ host: '127.0.0.1', port, path, agent }, (res) => {
        const socket = res.socket;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket }));
        res.on('error', reject);
      });
      req.on('error', reject);
    }),
    WAIT_MS,
    `GET ${path}`,
  );
}

/** The error code a request fails with, or 'no error'. */
async function failure(reply: Promise<Reply>): Promise<string> {
  try {
    await reply;
    return 'no error';
  } catch (error: unknown) {
    return error instanceof Error && 'code' in error ? String(error.code) : String(error);
  }
}

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

describe('sample app phases', () => {
  test('refuses connections while booting, answers 503 while warming up, then 200', async () => {
    // Phases long enough for a busy machine: Node's own start-up (hundreds of ms under load) counts as boot.
    const app = await startApp({ STARTUP_DELAY_MS: '2000', WARMUP_MS: '2000' });

    await logged(app, /phase=booting/);
    expect(await failure(request(app.port, '/'))).toBe('ECONNREFUSED');

    await logged(app, /phase=listening port=\d+/);
    const warming = await request(app.port, '/session/index.jsp');
    expect(warming.status).toBe(503);
    expect(warming.headers['x-pod']).toBe('test-pod');
    expect(warming.headers['x-app-phase']).toBe('warmup');
    expect((await request(app.port, '/healthz')).status).toBe(503);

    await logged(app, /phase=serving/);
    const served = await request(app.port, '/session/index.jsp');
    expect(served.status).toBe(200);
    expect(served.headers['x-pod']).toBe('test-pod');
    expect(served.headers['x-app-phase']).toBe('serving');
    expect(JSON.parse(served.body)).toEqual({ pod: 'test-pod', version: '1', path: '/session/index.jsp' });
    expect(JSON.parse((await request(app.port, '/')).body)).toMatchObject({ path: '/' });
    const health = await request(app.port, '/healthz');
    expect([health.status, health.body.trim()]).toEqual([200, 'ok']);
    expect((await readFile(pidFile, 'utf8')).trim()).toBe(String(app.pid));
  });

  test('WARMUP_STATUS=404: refuses while booting, 404 on every path while the webapp deploys, then 200', async () => {
    const app = await startApp({ STARTUP_DELAY_MS: '2000', WARMUP_MS: '2000', WARMUP_STATUS: '404' });

    await logged(app, /phase=booting/);
    expect(await failure(request(app.port, '/session/index.jsp'))).toBe('ECONNREFUSED');

    await logged(app, /phase=listening port=\d+/);
    for (const path of ['/session/index.jsp', '/', '/healthz']) {
      const deploying = await request(app.port, path);
      expect([path, deploying.status, deploying.headers['x-app-phase']]).toEqual([path, 404, 'warmup']);
      expect(deploying.body).toMatch(/not deployed/);
    }

    await logged(app, /phase=serving/);
    const served = await request(app.port, '/session/index.jsp');
    expect(served.status).toBe(200);
    expect(JSON.parse(served.body)).toMatchObject({ path: '/session/index.jsp' });
  });

  test.each(['200', '302', '600', 'abc'])(
    'rejects WARMUP_STATUS=%s: exit 1, a message, no PID file',
    async (status) => {
      const app = await startApp({ WARMUP_STATUS: status });
      expect((await within(app.exited, WAIT_MS, 'exit')).code).toBe(1);
      expect(app.stderr()).toMatch(
        /WARMUP_STATUS must be (an HTTP error status from 400 to 599|a non-negative integer)/,
      );
      expect(existsSync(pidFile)).toBe(false);
    },
  );

  test('keeps connections alive while serving', async () => {
    const app = await startApp();
    await logged(app, /phase=serving/);
    const agent = keepAliveAgent();
    const first = await request(app.port, '/', agent);
    const second = await request(app.port, '/', agent);
    expect(first.headers.connection).toBe('keep-alive');
    expect(second.socket).toBe(first.socket);
  });
});

describe('SIGTERM', () => {
  test('refuses new connections, closes idle ones, finishes in-flight requests, exits 0', async () => {
    const app = await startApp({ RESPONSE_DELAY_MS: '500' });
    await logged(app, /phase=serving/);
    const idle = await request(app.port, '/healthz', keepAliveAgent());
    const idleClosed = new Promise((resolve) => idle.socket.once('close', resolve));

    const inFlight = request(app.port, '/session/index.jsp', keepAliveAgent());
    await sleep(200); // the request has reached the server; its response is due 500 ms after
    process.kill(app.pid, 'SIGTERM');
    await logged(app, /phase=stopping reason=SIGTERM/);

    expect(await failure(request(app.port, '/'))).toBe('ECONNREFUSED');
    expect(app.child.exitCode).toBeNull(); // refused by a live server, not by a dead one
    await within(idleClosed, WAIT_MS, 'the idle keep-alive connection to close');

    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    expect(reply.headers['x-app-phase']).toBe('stopping');
    expect((await within(app.exited, WAIT_MS, 'exit')).code).toBe(0);
    expect(app.output()).toMatch(/phase=exited/);
    expect(existsSync(pidFile)).toBe(false);
  });

  test('exits at once while booting', async () => {
    const app = await startApp({ STARTUP_DELAY_MS: '10000' });
    await logged(app, /phase=booting/);
    process.kill(app.pid, 'SIGTERM');
    expect((await within(app.exited, 1_000, 'exit')).code).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });

  test('gives up on in-flight requests after SHUTDOWN_TIMEOUT_MS and exits 0', async () => {
    const app = await startApp({ RESPONSE_DELAY_MS: '10000', SHUTDOWN_TIMEOUT_MS: '300' });
    await logged(app, /phase=serving/);
    const inFlight = request(app.port, '/');
    await sleep(200);
    process.kill(app.pid, 'SIGTERM');
    expect(await failure(inFlight)).toBe('ECONNRESET');
    expect((await within(app.exited, WAIT_MS, 'exit')).code).toBe(0);
  });
});

// shutdown.js runs in the image; shutdown.sh, the same without Node's start-up, on the local cluster.
describe.each(['app/shutdown.js', 'app/shutdown.sh'])('shutdown command %s', (command) => {
  test('drains the server and returns only after it has exited', async () => {
    const app = await startApp({ RESPONSE_DELAY_MS: '500' });
    await logged(app, /phase=serving/);
    const inFlight = request(app.port, '/', keepAliveAgent());
    await sleep(200);

    const shutdown = run(command, { PID_FILE: pidFile });
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');

    const [server, shut] = await within(Promise.all([app.exited, shutdown.exited]), WAIT_MS, 'both to exit');
    expect(server.code).toBe(0);
    expect(shut.code).toBe(0);
    expect(shut.at).toBeGreaterThanOrEqual(server.at);
    expect(app.output()).toMatch(/phase=stopping reason=shutdown-command/);
    expect(existsSync(pidFile)).toBe(false);
  });

  test('a SIGTERM after the shutdown command changes nothing', async () => {
    const app = await startApp({ RESPONSE_DELAY_MS: '500' });
    await logged(app, /phase=serving/);
    const inFlight = request(app.port, '/', keepAliveAgent());
    await sleep(200);

    const shutdown = run(command, { PID_FILE: pidFile });
    await logged(app, /phase=stopping reason=shutdown-command/);
    process.kill(app.pid, 'SIGTERM'); // what the kubelet sends once the preStop hook has returned, or timed out

    expect((await inFlight).status).toBe(200);
    const [server, shut] = await within(Promise.all([app.exited, shutdown.exited]), WAIT_MS, 'both to exit');
    expect([server.code, shut.code]).toEqual([0, 0]);
    expect(app.output()).not.toMatch(/reason=SIGTERM/);
  });

  test('fails with a message when there is no PID file', async () => {
    const shutdown = run(command, { PID_FILE: join(scratch, 'missing.pid') });
    expect((await within(shutdown.exited, WAIT_MS, 'exit')).code).toBe(1);
    expect(shutdown.stderr()).toMatch(/cannot read PID file .*missing\.pid/);
  });
});
