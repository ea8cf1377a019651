import type { ChildProcess } from 'node:child_process';
import type { ProcessSupervisor } from '../../runtime/processes.js';
import { settlesWithin } from '../../runtime/timing.js';

/** How a proxy process ended. */
interface ProxyExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** @default - none: it started, then exited */
  readonly error?: Error;
}

/**
 * A real proxy (HAProxy, nginx) in the foreground under the process supervisor, so that it dies with zdd:
 * why it is not running, the tail of its stderr, and a stop that escalates to SIGKILL. What the real routers share.
 */
export class ProxyProcess {
  readonly child: ChildProcess;
  /** Resolves once the process has exited, or could not be started. */
  readonly exited: Promise<void>;
  private status: ProxyExit | undefined;
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
        this.status ??= { code: null, signal: null, error };
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.status ??= { code, signal };
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.status === undefined;
  }

  /**
   * Why it is not running, in words (undefined while it runs): `notInstalled` when its binary was not found,
   * a start failure, or how it exited (`exited`, so that a caller can add what it logged).
   */
  whyNotRunning(
    name: string,
    notInstalled: string,
  ): { readonly message: string; readonly exited: boolean } | undefined {
    const exit = this.status;
    if (exit === undefined) return undefined;
    const error = exit.error as NodeJS.ErrnoException | undefined;
    if (error?.code === 'ENOENT') return { message: notInstalled, exited: false };
    if (error !== undefined) return { message: `${name} could not be started: ${error.message}`, exited: false };
    const how = exit.signal === null ? `with code ${exit.code}` : `on ${exit.signal}`;
    return { message: `${name} exited ${how}`, exited: true };
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
