import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { killGroup, watchdog } from './watchdog.js';

/**
 * Starts processes (pods, hooks, probes, HAProxy) each in a process group of
 * its own, and makes sure none outlives zdd: `close()` kills them; if zdd dies
 * (an exception, Ctrl-C, even `kill -9`), the watchdog kills every group still
 * registered.
 */
export class ProcessSupervisor {
  private readonly groups = new Set<number>();
  private closed = false;

  /** Spawns `command` in a new process group, registered with the watchdog. */
  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    if (this.closed) throw new Error('the process supervisor is closed');
    const child = spawn(command, args, { stdio: 'ignore', ...options, detached: true });
    const pid = child.pid;
    if (pid !== undefined) this.adopt(pid, child);
    return child;
  }

  /** Registers a process that was started elsewhere in a group of its own (`detached`), e.g. by execa. */
  adopt(pid: number, child: Pick<ChildProcess, 'once'>): void {
    this.groups.add(pid);
    watchdog().addGroup(pid);
    child.once('exit', () => {
      // The group may still hold grandchildren (e.g. `sleep` under a shell): they die with the group.
      killGroup(pid, 'SIGKILL');
      this.groups.delete(pid);
      watchdog().removeGroup(pid);
    });
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
    killGroup(pid, signal);
  }

  /** The watchdog's process id. */
  get watchdogPid(): number | undefined {
    return watchdog().pid;
  }

  /** Every registered group that has not exited yet. */
  get pids(): readonly number[] {
    return [...this.groups];
  }

  /** Kills every registered group; spawning afterwards throws. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pid of this.groups) killGroup(pid, 'SIGKILL');
  }
}
