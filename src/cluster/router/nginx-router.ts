import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, readlink, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RefusedConnection } from '../../platforms/profile.js';
import { canConnect } from '../../runtime/can-connect.js';
import { ToolError } from '../../runtime/errors.js';
import { findOnPath, isExecutableFile } from '../../runtime/executables.js';
import { freePorts } from '../../runtime/free-port.js';
import type { ProcessSupervisor } from '../../runtime/processes.js';
import { delay } from '../../runtime/timing.js';
import { renderNginxConfig } from './nginx-config.js';
import { ProxyProcess, SerialQueue } from './proxy-process.js';
import type { RouterBackend, RouterState, RouterTimings } from './router.js';

/** The nginx router could not start, reload or stop nginx; the message says what to do. */
export class NginxRouterError extends ToolError {
  override name = 'NginxRouterError';
  constructor(message: string) {
    super('nginx', message);
  }
}

export interface NginxRouterOptions {
  readonly supervisor: ProcessSupervisor;
  readonly timings: RouterTimings;
  /**
   * A folder the router may write its configuration, pid file, temp files and error log to. Its error log is
   * `<workDir>/log`, so that a folder under the local cluster's pod folders lands in a run's `logs/`.
   */
  readonly workDir: string;
  /** See `NginxConfigInput`. @default 'retry' */
  readonly refusedConnection?: RefusedConnection;
  /** Default: `nginx` found on PATH, else /usr/sbin/nginx (Debian's place, often not on a user's PATH). */
  readonly nginxPath?: string;
  /** Bound on start(), apply() and stop() each (default 10 s). */
  readonly timeoutMs?: number;
}

/** One nginx worker and what its process title says. */
export interface NginxWorker {
  readonly pid: number;
  /** `starting`: forked, not yet in its event loop; `stopping`: told to quit, finishing its connections. */
  readonly state: 'starting' | 'serving' | 'stopping';
}

const DEBIAN_PATH = '/usr/sbin/nginx';
const POLL_MS = 20;
const STDERR_KEEP = 8192;
/** `random two least_conn` (1.15.1); `-e` (the startup error log) came with 1.19.5 and is used when there. */
const MIN_VERSION: Version = [1, 15, 1];
const ERROR_LOG_FLAG_VERSION: Version = [1, 19, 5];
const NOT_INSTALLED = 'nginx is not installed: apt-get install nginx, or use --router builtin';

type Version = readonly [number, number, number];

/**
 * The real nginx as the router: a master process in the foreground (`daemon off`), a child of the
 * supervisor, so that it and its workers (its process group) die with zdd, `kill -9` included. A reload is
 * nginx's own (SIGHUP, what `nginx -s reload` sends): the master re-reads the configuration, starts new
 * workers and tells the old ones to quit; they stop accepting, close their idle connections and finish
 * their requests, for at most `worker_shutdown_timeout` (the router's `timeout server`).
 * Reload completion is read from /proc (Linux): the workers' process titles, and their open sockets.
 */
export class NginxRouter implements RouterBackend {
  private readonly options: NginxRouterOptions;
  private readonly timeoutMs: number;
  private readonly configPath: string;
  private readonly errorLog: string;
  private process: ProxyProcess | undefined;
  private stopped = false;
  private routes: ReadonlyMap<string, number> = new Map();
  /** apply() and stop() run one after another. */
  private readonly queue = new SerialQueue();

  constructor(options: NginxRouterOptions) {
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.configPath = join(options.workDir, 'nginx.conf');
    this.errorLog = join(options.workDir, 'log');
  }

  /** Whether `nginx -v` runs (bounded by `timeoutMs`) and reports nginx 1.15.1 or newer, on a Linux /proc. */
  static async available(nginxPath?: string, timeoutMs = 3000): Promise<boolean> {
    if (!existsSync('/proc/self/cmdline')) return false;
    const version = await nginxVersion(await resolveNginxPath(nginxPath), timeoutMs);
    return version !== undefined && compareVersions(version, MIN_VERSION) >= 0;
  }

  /** The master's pid while nginx runs. */
  get pid(): number | undefined {
    return this.running() ? this.process?.child.pid : undefined;
  }

  /** The error log: startup, reloads, worker exits, configuration errors. */
  get errorLogPath(): string {
    return this.errorLog;
  }

  async start(routes: readonly string[]): Promise<ReadonlyMap<string, number>> {
    if (this.process !== undefined)
      throw new NginxRouterError('The nginx router was already started; create a new one');
    if (new Set(routes).size !== routes.length)
      throw new NginxRouterError(`Routes must be unique, got ${routes.join(', ')}`);
    const ports = await freePorts(routes.length);
    this.routes = new Map(routes.map((route, index) => [route, ports[index] as number]));
    await mkdir(this.options.workDir, { recursive: true });
    await this.writeConfig(new Map());

    const path = await resolveNginxPath(this.options.nginxPath);
    const version = await nginxVersion(path, this.timeoutMs);
    const args = ['-p', `${this.options.workDir}/`, '-c', this.configPath];
    if (version !== undefined && compareVersions(version, ERROR_LOG_FLAG_VERSION) >= 0) args.push('-e', this.errorLog);
    this.process = new ProxyProcess(this.options.supervisor, path, args, STDERR_KEEP);

    const deadline = Date.now() + this.timeoutMs;
    try {
      // The master binds the ports, so the kernel accepts connections before a worker runs: wait for both.
      await waitFor(
        deadline,
        () => this.failIfExited('start'),
        async () => {
          const accepting = await Promise.all(ports.map((port) => canConnect('127.0.0.1', port, 1000)));
          return accepting.every(Boolean);
        },
      );
      await waitFor(
        deadline,
        () => this.failIfExited('start'),
        async () => (await this.workers()).some((worker) => worker.state === 'serving'),
      );
    } catch (error) {
      await this.kill();
      throw await this.explain(error, `nginx did not come up within ${this.timeoutMs} ms`);
    }
    return this.routes;
  }

  apply(state: RouterState): Promise<void> {
    return this.queue.run(() =>
      this.reload(state).catch(async (error: unknown) => {
        throw await this.explain(error, `nginx did not finish a reload within ${this.timeoutMs} ms`);
      }),
    );
  }

  stop(): Promise<void> {
    return this.queue.run(() => this.kill());
  }

  /** The master's workers, from /proc; empty while nginx does not run. */
  async workers(): Promise<NginxWorker[]> {
    const master = this.pid;
    if (master === undefined) return [];
    const found = await Promise.all((await childPids(master)).map(readWorker));
    return found.filter((worker): worker is NginxWorker => worker !== undefined);
  }

  private async reload(state: RouterState): Promise<void> {
    const child = this.process?.child;
    if (child === undefined) throw new NginxRouterError('The nginx router is not started: call start() first');
    if (this.stopped) throw new NginxRouterError('The nginx router was stopped; create and start a new one');
    this.failIfExited('reload');
    const deadline = Date.now() + this.timeoutMs;
    const before = new Set((await this.workers()).map((worker) => worker.pid));
    const logOffset = await fileSize(this.errorLog);
    await this.writeConfig(state);
    this.options.supervisor.signal(child, 'SIGHUP');

    // Reload completion: a worker that did not exist before is in its event loop (its title is
    // `worker process`, set once its listeners are in its event loop), and every worker from before is
    // gone, or quitting (`worker process is shutting down`) with the route listeners closed. From then on
    // only the new workers accept, so every new connection reaches the new configuration. A configuration
    // nginx rejects leaves the old workers serving and an `[emerg]` line in the error log.
    // The master tells the old workers to quit only after a fixed 100 ms pause, during which old and new
    // ones both accept: 1 s of modelled time at --time-scale 0.1. So, as HAProxy's new worker does (-sf),
    // the old ones get their SIGQUIT (nginx's graceful stop) as soon as a new one serves; the master's own
    // one then finds them quitting already, and does not respawn them (it marks them before it reaps).
    const listeners = await listeningInodes(this.routes);
    const told = new Set<number>();
    await waitFor(
      deadline,
      () => this.failIfExited('reload'),
      async () => {
        const rejected = (await readFrom(this.errorLog, logOffset))
          .split('\n')
          .filter((line) => line.includes('[emerg]'));
        if (rejected.length > 0) {
          throw new NginxRouterError(
            `nginx rejected the new configuration (${this.configPath}):\n${rejected.slice(-5).join('\n')}`,
          );
        }
        const workers = await this.workers();
        if (!workers.some((worker) => !before.has(worker.pid) && worker.state === 'serving')) return false;
        const old = workers.filter((worker) => before.has(worker.pid));
        for (const worker of old) {
          if (worker.state === 'serving' && !told.has(worker.pid)) {
            told.add(worker.pid);
            signalPid(worker.pid, 'SIGQUIT');
          }
        }
        for (const worker of old) {
          if (worker.state !== 'stopping' || (await holdsAny(worker.pid, listeners))) return false;
        }
        return true;
      },
    );
  }

  /** Stops nginx at once (SIGTERM to the master, which ends its workers), SIGKILL to its group if it lingers. */
  private async kill(): Promise<void> {
    this.stopped = true;
    const process = this.process;
    if (process !== undefined && !(await process.stop(this.timeoutMs))) {
      throw new NginxRouterError(`nginx (pid ${process.child.pid}) did not exit after SIGKILL; kill it by hand`);
    }
  }

  private running(): boolean {
    return this.process?.running ?? false;
  }

  private failIfExited(during: string): void {
    const why = this.process?.whyNotRunning('nginx', NOT_INSTALLED);
    if (why === undefined) return;
    // The log's tail is read asynchronously; the exit itself is what the caller needs first.
    throw why.exited ? new ExitedError(`${why.message} during ${during}`) : new NginxRouterError(why.message);
  }

  /** A timeout or an exit as an NginxRouterError with what nginx logged; other errors as they are. */
  private async explain(error: unknown, timedOut: string): Promise<unknown> {
    if (error instanceof TimeoutError) return new NginxRouterError(`${timedOut}${await this.outputTail()}`);
    if (error instanceof ExitedError) return new NginxRouterError(`${error.message}${await this.outputTail()}`);
    return error;
  }

  /** The last lines of the error log and of stderr, for a message. */
  private async outputTail(): Promise<string> {
    const log = await readFile(this.errorLog, 'utf8').catch(() => '');
    const lines = `${log}\n${this.process?.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    return lines === '' ? '' : `; the last lines it logged:\n${lines}`;
  }

  private async writeConfig(state: RouterState): Promise<void> {
    const text = renderNginxConfig({
      routes: this.routes,
      state,
      timings: this.options.timings,
      workDir: this.options.workDir,
      errorLog: this.errorLog,
      drainMs: this.options.timings.serverTimeoutMs,
      ...(this.options.refusedConnection && { refusedConnection: this.options.refusedConnection }),
      // A root master would run its workers as `nobody`, who cannot enter zdd's temp folders.
      ...(process.getuid?.() === 0 && { user: 'root' }),
    });
    // Atomic: a master re-reading the file never sees half of it.
    const temporary = `${this.configPath}.tmp`;
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, this.configPath);
  }
}

/** `nginx` on PATH, else Debian's /usr/sbin/nginx, else the bare name (spawning it then fails: ENOENT). */
export async function resolveNginxPath(explicit?: string): Promise<string> {
  if (explicit !== undefined) return explicit;
  return findOnPath('nginx') ?? (isExecutableFile(DEBIAN_PATH) ? DEBIAN_PATH : 'nginx');
}

/** `nginx -v` ("nginx version: nginx/1.22.1", on stderr), parsed; undefined if it does not run. */
function nginxVersion(path: string, timeoutMs: number): Promise<Version | undefined> {
  // A version probe exits at once; execFile kills it at the timeout, so it needs no supervisor.
  return new Promise((resolve) => {
    execFile(path, ['-v'], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const match = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(`${stdout}${stderr}`);
      resolve(error === null && match !== null ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined);
    });
  });
}

function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** A process's children: /proc/<pid>/task/<pid>/children, else a scan of every process's parent. */
async function childPids(pid: number): Promise<number[]> {
  const listed = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => undefined);
  if (listed !== undefined) return listed.split(/\s+/).filter(Boolean).map(Number);
  const children: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The fields after the command's closing parenthesis: state, then the parent's pid.
    const parent = /\)\s+\S+\s+(\d+)/.exec(stat)?.[1];
    if (Number(parent) === pid) children.push(Number(entry));
  }
  return children;
}

/**
 * A child of the master, from its process title (nginx rewrites argv): `nginx: worker process` once it runs
 * its event loop, `... is shutting down` once it quits; a freshly forked one still shows the master's title.
 * Undefined for a process that is gone (or a zombie: empty command line) or is not a worker.
 */
async function readWorker(pid: number): Promise<NginxWorker | undefined> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const title = cmdline.split('\0')[0]?.trim() ?? '';
  if (title === '') return undefined;
  if (title === 'nginx: worker process') return { pid, state: 'serving' };
  if (title.startsWith('nginx: worker process is shutting down')) return { pid, state: 'stopping' };
  if (title.startsWith('nginx: master process')) return { pid, state: 'starting' };
  return undefined;
}

/** The inodes of the sockets listening on the routes' ports of 127.0.0.1, from /proc/net/tcp. */
async function listeningInodes(routes: ReadonlyMap<string, number>): Promise<Set<string>> {
  const wanted = new Set(
    [...routes.values()].map((port) => `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`),
  );
  const table = await readFile('/proc/net/tcp', 'utf8').catch(() => '');
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // local_address, rem_address, st (0A: LISTEN), ..., inode (the 10th field).
    if (wanted.has(fields[1] ?? '') && fields[3] === '0A' && fields[9] !== undefined) inodes.add(fields[9]);
  }
  return inodes;
}

/** Whether a process holds one of these sockets open (by inode). */
async function holdsAny(pid: number, inodes: ReadonlySet<string>): Promise<boolean> {
  if (inodes.size === 0) return false;
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined && inodes.has(inode)) return true;
  }
  return false;
}

/** Sends a signal to one process of nginx's (listed a moment ago as the master's child); nothing if it is gone. */
function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Exited since.
  }
}

async function fileSize(path: string): Promise<number> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return 0;
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** The text of a file from `offset` on; empty if it cannot be read. */
async function readFrom(path: string, offset: number): Promise<string> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return '';
  try {
    const size = (await handle.stat()).size;
    if (size <= offset) return '';
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

class TimeoutError extends Error {}

/** nginx exited; turned into an NginxRouterError with the log's tail where it is caught. */
class ExitedError extends Error {}

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
