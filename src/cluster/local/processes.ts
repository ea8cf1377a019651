import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/**
 * Starts the local cluster's processes (pods, hooks, probes, HAProxy) each in a
 * process group of its own, and makes sure none outlives zdd: on a normal stop
 * zdd kills them itself; if zdd dies (an exception, Ctrl-C, even `kill -9`), a
 * watchdog process notices that its stdin pipe from zdd closed and kills every
 * group zdd registered with it.
 */
export class ProcessSupervisor {
  private readonly groups = new Set<number>();
  private readonly watchdog: ChildProcess;
  private closed = false;
  private readonly onExit = () => this.killAllNow();

  constructor() {
    this.watchdog = spawn(process.execPath, ['-e', WATCHDOG], {
      detached: true, // its own group: a Ctrl-C in the terminal must not kill it before zdd
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.watchdog.unref();
    (this.watchdog.stdin as unknown as { unref?: () => void }).unref?.();
    process.once('exit', this.onExit);
  }

  /** Spawns `command` in a new process group, registered with the watchdog. */
  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    if (this.closed) throw new Error('the process supervisor is closed');
    const child = spawn(command, args, { stdio: 'ignore', ...options, detached: true });
    const pid = child.pid;
    if (pid !== undefined) {
      this.groups.add(pid);
      this.tell(`+${pid}`);
      child.once('exit', () => {
        // The group may still hold grandchildren (e.g. `sleep` under a shell): they die with the group.
        this.killGroup(pid, 'SIGKILL');
        this.groups.delete(pid);
        this.tell(`-${pid}`);
      });
    }
    return child;
  }

  /** Sends `signal` to one process (not its group), as a container runtime signals PID 1. */
  signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, signal);
      } catch {
        // Already gone.
      }
    }
  }

  /** Kills a process and everything in its group, as the end of a container does. */
  killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** The watchdog's process id. */
  get watchdogPid(): number | undefined {
    return this.watchdog.pid;
  }

  /** Every group still registered. */
  get pids(): readonly number[] {
    return [...this.groups];
  }

  /** Kills every registered group and stops the watchdog. */
  close(): void {
    if (this.closed) return;
    this.killAllNow();
    this.closed = true;
    process.removeListener('exit', this.onExit);
    this.watchdog.stdin?.end();
  }

  private killAllNow(): void {
    for (const pid of this.groups) this.killGroup(pid, 'SIGKILL');
  }

  private tell(line: string): void {
    if (!this.closed && this.watchdog.stdin?.writable) this.watchdog.stdin.write(`${line}\n`);
  }
}

// The watchdog: reads "+pid"/"-pid" lines; when its stdin closes (zdd exited or
// died), it kills every group still registered and exits. It ignores SIGINT and
// SIGTERM so that it outlives zdd long enough to clean up.
const WATCHDOG = `
const groups = new Set();
let buffer = '';
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let end;
  while ((end = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    const pid = Number(line.slice(1));
    if (line[0] === '+') groups.add(pid); else groups.delete(pid);
  }
});
const finish = () => {
  for (const pid of groups) { try { process.kill(-pid, 'SIGKILL'); } catch {} }
  process.exit(0);
};
process.stdin.on('end', finish);
process.stdin.on('error', finish);
`;
