import type { ChildProcess } from 'node:child_process';
import type { ProcessSupervisor } from '../../runtime/processes.js';
import { settlesWithin } from '../../runtime/timing.js';

/** How a proxy process ended. */
export interface ProxyExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** @default - none: it started, then exited */
  readonly error?: Error;
}

/**
 * A real proxy (HAProxy, nginx) in the foreground under the process supervisor, so that it dies with zdd:
 * how it ended, the tail of its stderr, and a stop that escalates to SIGKILL. What the real routers share.
 */
export class ProxyProcess {
  readonly child: ChildProcess;
  /** Resolves once the process has exited, or could not be started. */
  readonly exited: Promise<void>;
  private ended: ProxyExit | undefined;
  private stderrTail = '';

  constructor(
    private readonly supervisor: ProcessSupervisor,
    path: string,
    args: readonly string[],
    /** Characters of stderr kept. */
    private readonly keep: number,
  ) {
    const child = supervisor.spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.resume();
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-this.keep);
    });
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.ended ??= { code: null, signal: null, error };
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.ended ??= { code, signal };
        resolve();
      });
    });
  }

  /** How it ended; undefined while it runs. */
  get exit(): ProxyExit | undefined {
    return this.ended;
  }

  get running(): boolean {
    return this.ended === undefined;
  }

  /** The last characters it wrote to stderr. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** SIGTERM to the master (which ends its workers), SIGKILL to its group if it lingers; false if it outlived both. */
  async stop(timeoutMs: number): Promise<boolean> {
    if (!this.running) {
      await this.exited;
      return true;
    }
    this.supervisor.signal(this.child, 'SIGTERM');
    if (await settlesWithin(this.exited, timeoutMs / 2)) return true;
    if (this.child.pid !== undefined) this.supervisor.killGroup(this.child.pid, 'SIGKILL');
    return settlesWithin(this.exited, timeoutMs / 2);
  }
}

/** Runs tasks one after another, a failed one included: a reload never overlaps another reload, or the stop. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
