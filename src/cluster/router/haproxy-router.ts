import { execFile } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { RefusedConnection } from '../../platforms/profile.js';
import { canConnect } from '../../runtime/can-connect.js';
import { ToolError } from '../../runtime/errors.js';
import { findOnPath, isExecutableFile } from '../../runtime/executables.js';
import { freePorts } from '../../runtime/free-port.js';
import type { ProcessSupervisor } from '../../runtime/processes.js';
import { delay } from '../../runtime/timing.js';
import { backendName, renderHaproxyConfig, serverName } from './haproxy-config.js';
import { ProxyProcess, SerialQueue } from './proxy-process.js';
import type { RouterBackend, RouterState, RouterTimings } from './router.js';

/** The router could not start, reload or stop HAProxy; the message says what to do. */
export class RouterError extends ToolError {
  override name = 'RouterError';
  constructor(message: string) {
    super('HAProxy', message);
  }
}

export interface HaproxyRouterOptions {
  readonly supervisor: ProcessSupervisor;
  readonly timings: RouterTimings;
  /** See `HaproxyConfigInput`. @default 'retry' */
  readonly refusedConnection?: RefusedConnection;
  /**
   * `reload`: each state is a soft reload, as OpenShift's router applies one; `runtime`: through the worker's
   * runtime API (servers added, put in maintenance, back to ready), with no reload, as a proxy that is pushed
   * its endpoints applies them: no old worker goes on routing its kept-alive connections with the state before.
   * @default 'reload'
   */
  readonly applyBy?: 'reload' | 'runtime';
  /** A directory the router may write its configuration and sockets to (keep the path short: socket paths). */
  readonly workDir: string;
  /** Default: `haproxy` found on PATH, else /usr/sbin/haproxy (Debian's place, often not on a user's PATH). */
  readonly haproxyPath?: string;
  /** Bound on start(), apply() and stop() each (default 10 s). */
  readonly timeoutMs?: number;
}

/** One line of the master CLI's `show proc`. */
export interface ProcLine {
  readonly pid: number;
  readonly reloads: number;
}

/** The master CLI's `show proc`, parsed. */
export interface ProcTable {
  readonly master: ProcLine & { readonly failed: number };
  /** Workers of the current configuration. */
  readonly workers: readonly ProcLine[];
  /** Workers of earlier configurations, still finishing their connections. */
  readonly oldWorkers: readonly ProcLine[];
}

const DEBIAN_PATH = '/usr/sbin/haproxy';
const POLL_MS = 20;
const CLI_TIMEOUT_MS = 1000;
const STDERR_KEEP = 8192;
const NOT_INSTALLED = 'haproxy is not installed: apt-get install haproxy, or use --router builtin';

/**
 * The real HAProxy as the router: one master-worker HAProxy (`haproxy -W -db`), a foreground child of
 * the supervisor, so that it dies with zdd. A reload is OpenShift's soft reload: the master re-reads the
 * configuration and forks a new worker, which tells the old one to stop accepting (`-sf`); the old one
 * finishes its in-flight requests and exits.
 */
export class HaproxyRouter implements RouterBackend {
  private readonly options: HaproxyRouterOptions;
  private readonly timeoutMs: number;
  private readonly configPath: string;
  private readonly statsSocket: string;
  private readonly masterSocket: string;
  private process: ProxyProcess | undefined;
  private stopped = false;
  private routes: ReadonlyMap<string, number> = new Map();
  /** apply() and stop() run one after another. */
  private readonly queue = new SerialQueue();
  /** With `applyBy: 'runtime'`: per backend, every server the worker has (ready or in maintenance), and the ready ones. */
  private readonly runtimeServers = new Map<string, { known: Set<string>; ready: Set<string> }>();

  constructor(options: HaproxyRouterOptions) {
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.configPath = join(options.workDir, 'haproxy.cfg');
    this.statsSocket = join(options.workDir, 'stats.sock');
    this.masterSocket = join(options.workDir, 'master.sock');
  }

  /** Whether `haproxy -v` runs (bounded by `timeoutMs`) and reports HAProxy 2.0 or newer. */
  static async available(haproxyPath?: string, timeoutMs = 3000): Promise<boolean> {
    const path = await resolveHaproxyPath(haproxyPath);
    // A version probe exits at once; execFile kills it at the timeout, so it needs no supervisor.
    return new Promise((resolve) => {
      execFile(path, ['-v'], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout) => {
        const version = /HA-?Proxy version (\d+)\.(\d+)/.exec(String(stdout));
        resolve(error === null && version !== null && Number(version[1]) >= 2);
      });
    });
  }

  /** The master's pid while HAProxy runs. */
  get pid(): number | undefined {
    return this.running() ? this.process?.child.pid : undefined;
  }

  /** The admin socket of the current worker (`show stat`, `show servers state`, ...). */
  get statsSocketPath(): string {
    return this.statsSocket;
  }

  /** The master CLI (`show proc`, `@!<pid> <command>`). */
  get masterSocketPath(): string {
    return this.masterSocket;
  }

  async start(routes: readonly string[]): Promise<ReadonlyMap<string, number>> {
    if (this.process !== undefined) throw new RouterError('The HAProxy router was already started; create a new one');
    if (new Set(routes).size !== routes.length)
      throw new RouterError(`Routes must be unique, got ${routes.join(', ')}`);
    const ports = await freePorts(routes.length);
    this.routes = new Map(routes.map((route, index) => [route, ports[index] as number]));
    await mkdir(this.options.workDir, { recursive: true });
    await this.writeConfig(new Map());

    const path = await resolveHaproxyPath(this.options.haproxyPath);
    this.process = new ProxyProcess(
      this.options.supervisor,
      path,
      ['-W', '-db', '-f', this.configPath, '-S', this.masterSocket],
      STDERR_KEEP,
    );

    const deadline = Date.now() + this.timeoutMs;
    try {
      // The master binds the ports, so the kernel accepts connections before a worker runs: wait for both.
      await waitFor(
        deadline,
        () => this.failIfExited('start'),
        async () => {
          const accepting = await Promise.all(ports.map((port) => canConnect('127.0.0.1', port, CLI_TIMEOUT_MS)));
          return accepting.every(Boolean);
        },
      );
      await waitFor(
        deadline,
        () => this.failIfExited('start'),
        async () => {
          const table = await this.showProc();
          const worker = table?.workers[0];
          return worker !== undefined && (await this.workerState(worker.pid)) === 'serving';
        },
      );
    } catch (error) {
      await this.kill();
      if (error instanceof TimeoutError) {
        throw new RouterError(`HAProxy did not come up within ${this.timeoutMs} ms${this.stderrTail()}`);
      }
      throw error;
    }
    return this.routes;
  }

  apply(state: RouterState): Promise<void> {
    if (this.options.applyBy === 'runtime' && this.runtimeServers.size > 0) {
      return this.queue.run(() => this.applyAtRuntime(state));
    }
    return this.queue.run(async () => {
      await this.reload(state);
      if (this.options.applyBy === 'runtime') this.rememberServers(state);
    });
  }

  /** What the worker has after a reload to `state` (the first apply with `applyBy: 'runtime'`). */
  private rememberServers(state: RouterState): void {
    for (const route of this.routes.keys()) {
      const names = new Set((state.get(route) ?? []).map(serverName));
      this.runtimeServers.set(backendName(route), { known: new Set(names), ready: names });
    }
  }

  /**
   * Applies `state` through the stats socket: a server that left goes into maintenance (no new requests; its
   * requests in flight finish), one that came is added (or set ready again). Servers stay listed, so that the
   * same pod coming back is the same server.
   */
  private async applyAtRuntime(state: RouterState): Promise<void> {
    if (this.stopped) throw new RouterError('The HAProxy router was stopped; create and start a new one');
    this.failIfExited('a runtime update');
    for (const route of this.routes.keys()) {
      const backend = backendName(route);
      const servers = this.runtimeServers.get(backend) ?? { known: new Set<string>(), ready: new Set<string>() };
      this.runtimeServers.set(backend, servers);
      const wanted = new Map((state.get(route) ?? []).map((endpoint) => [serverName(endpoint), endpoint]));
      for (const [name, endpoint] of wanted) {
        if (servers.ready.has(name)) continue;
        if (!servers.known.has(name)) {
          // HAProxy 2.6 takes no `cookie` for a server added at run time: such a server is not sticky.
          await this.runtime(
            `add server ${backend}/${name} ${endpoint.host}:${endpoint.port} weight 1`,
            /New server registered/,
          );
          servers.known.add(name);
        }
        await this.runtime(`set server ${backend}/${name} state ready`, /^\s*$/);
        servers.ready.add(name);
      }
      for (const name of [...servers.ready]) {
        if (wanted.has(name)) continue;
        await this.runtime(`set server ${backend}/${name} state maint`, /^\s*$/);
        servers.ready.delete(name);
      }
    }
  }

  /** One command on the worker's stats socket; its answer must match `ok`. */
  private async runtime(command: string, ok: RegExp): Promise<void> {
    const answer = await masterCli(this.statsSocket, command).catch((error: unknown) => {
      throw new RouterError(`HAProxy's stats socket did not take "${command}": ${String(error)}${this.stderrTail()}`);
    });
    if (!ok.test(answer)) throw new RouterError(`HAProxy refused "${command}": ${answer.trim()}`);
  }

  stop(): Promise<void> {
    return this.queue.run(() => this.kill());
  }

  private async reload(state: RouterState): Promise<void> {
    const child = this.process?.child;
    if (child === undefined) throw new RouterError('The HAProxy router is not started: call start() first');
    if (this.stopped) throw new RouterError('The HAProxy router was stopped; create and start a new one');
    this.failIfExited('reload');
    const deadline = Date.now() + this.timeoutMs;
    const before = await waitFor(
      deadline,
      () => this.failIfExited('reload'),
      () => this.showProc(),
    );
    await this.writeConfig(state);
    this.options.supervisor.signal(child, 'SIGUSR2');

    // Reload completion, from the master CLI (`-S`): the master's reload counter went up, a worker that did
    // not exist before is listed among the current workers and answers `show info` with `Stopping: 0`,
    // and every worker from before is gone or answers `Stopping: 1` (it has stopped accepting; it only
    // finishes its connections). From then on every new connection reaches the new configuration.
    const previous = new Set(before.workers.map((worker) => worker.pid));
    await waitFor(
      deadline,
      () => this.failIfExited('reload'),
      async () => {
        const table = await this.showProc();
        if (table === undefined) return false;
        if (table.master.failed > before.master.failed) {
          throw new RouterError(`HAProxy rejected the new configuration (${this.configPath})${this.stderrTail()}`);
        }
        if (table.master.reloads <= before.master.reloads) return false;
        const fresh = table.workers.find((worker) => !previous.has(worker.pid));
        if (fresh === undefined || (await this.workerState(fresh.pid)) !== 'serving') return false;
        const listed = [...table.workers, ...table.oldWorkers].filter((worker) => previous.has(worker.pid));
        const states = await Promise.all(listed.map((worker) => this.workerState(worker.pid)));
        return states.every((workerState) => workerState !== 'serving');
      },
    ).catch((error: unknown) => {
      if (error instanceof TimeoutError) {
        throw new RouterError(`HAProxy did not finish a reload within ${this.timeoutMs} ms${this.stderrTail()}`);
      }
      throw error;
    });
  }

  /** Stops HAProxy at once (SIGTERM to the master, which ends its workers), SIGKILL if it lingers. */
  private async kill(): Promise<void> {
    this.stopped = true;
    const process = this.process;
    if (process !== undefined && !(await process.stop(this.timeoutMs))) {
      throw new RouterError(`HAProxy (pid ${process.child.pid}) did not exit after SIGKILL; kill it by hand`);
    }
  }

  private running(): boolean {
    return this.process?.running ?? false;
  }

  private failIfExited(during: string): void {
    const why = this.process?.whyNotRunning('HAProxy', NOT_INSTALLED);
    if (why === undefined) return;
    throw new RouterError(why.exited ? `${why.message} during ${during}${this.stderrTail()}` : why.message);
  }

  private stderrTail(): string {
    const lines = (this.process?.stderr ?? '').trim().split('\n').slice(-15).join('\n');
    return lines === '' ? '' : `; the last lines it printed:\n${lines}`;
  }

  private async writeConfig(state: RouterState): Promise<void> {
    const text = renderHaproxyConfig({
      routes: this.routes,
      state,
      timings: this.options.timings,
      ...(this.options.refusedConnection && { refusedConnection: this.options.refusedConnection }),
      statsSocket: this.statsSocket,
    });
    // Atomic: a master re-reading the file never sees half of it.
    const temporary = `${this.configPath}.tmp`;
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, this.configPath);
  }

  /** `show proc` on the master CLI; undefined while the master cannot answer (e.g. it is re-executing). */
  private async showProc(): Promise<ProcTable | undefined> {
    const text = await masterCli(this.masterSocket, 'show proc').catch(() => undefined);
    return text === undefined ? undefined : parseShowProc(text);
  }

  /** A worker's state, from `show info` through the master CLI. */
  private async workerState(pid: number): Promise<'serving' | 'stopping' | 'gone'> {
    const text = await masterCli(this.masterSocket, `@!${pid} show info`).catch(() => '');
    if (!new RegExp(`^Pid: ${pid}$`, 'm').test(text)) return 'gone';
    return /^Stopping: 0$/m.test(text) ? 'serving' : 'stopping';
  }
}

/** Parses the master CLI's `show proc` (HAProxy 2.x); undefined if it has no master line. */
export function parseShowProc(text: string): ProcTable | undefined {
  let master: (ProcLine & { failed: number }) | undefined;
  const workers: ProcLine[] = [];
  const oldWorkers: ProcLine[] = [];
  let section: 'master' | 'workers' | 'old' | 'other' = 'master';
  for (const line of text.split('\n')) {
    if (line.startsWith('# workers')) section = 'workers';
    else if (line.startsWith('# old workers')) section = 'old';
    else if (line.startsWith('#')) section = line.startsWith('#<PID>') ? 'master' : 'other';
    else {
      const match = /^(\d+)\s+(\S+)\s+(\d+)(?:\s+\[failed: (\d+)\])?/.exec(line);
      if (match === null) continue;
      const entry = { pid: Number(match[1]), reloads: Number(match[3]) };
      if (match[2] === 'master') master = { ...entry, failed: Number(match[4] ?? 0) };
      else if (match[2] === 'worker' && section === 'workers') workers.push(entry);
      else if (match[2] === 'worker' && section === 'old') oldWorkers.push(entry);
    }
  }
  return master === undefined ? undefined : { master, workers, oldWorkers };
}

/** `haproxy` on PATH, else Debian's /usr/sbin/haproxy, else the bare name (spawning it then fails: ENOENT). */
export async function resolveHaproxyPath(explicit?: string): Promise<string> {
  if (explicit !== undefined) return explicit;
  return findOnPath('haproxy') ?? (isExecutableFile(DEBIAN_PATH) ? DEBIAN_PATH : 'haproxy');
}

/** Sends one command to a master CLI socket and reads the whole answer. */
function masterCli(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer to "${command}"`)), CLI_TIMEOUT_MS);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.end(`${command};quit\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

class TimeoutError extends Error {}

/**
 * Polls `check` every POLL_MS until it returns something truthy, `guard` throws, or the deadline passes
 * (TimeoutError).
 */
async function waitFor<T>(
  deadline: number,
  guard: () => void,
  check: () => Promise<T | undefined | false>,
): Promise<T> {
  for (;;) {
    guard();
    const result = await check();
    guard();
    if (result !== undefined && result !== false) return result;
    if (Date.now() >= deadline) throw new TimeoutError();
    await delay(POLL_MS);
  }
}
