/**
 * Follows each k6-operator runner's log from its first line with `kubectl logs --follow`, as it runs: the lines
 * are kept whole for the merge at the end, and each request is handed to the live progress as it is read.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { accessArgs, type ClusterCli } from '../../cluster/remote/kubectl.js';
import type { ProcessSupervisor } from '../../runtime/processes.js';
import type { LiveSample } from '../sample.js';
import { operatorCommands } from './commands.js';
import { liveSample, type RunnerLogText } from './runner-log.js';
import type { RunnerPod } from './runner-pods.js';

/** One runner's followed log. */
interface Followed {
  readonly pod: RunnerPod;
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Its first request was read: the runner is sending. */
  sending: boolean;
  /** Why the follow ended before the runner did, if it did. */
  problem?: string;
  /** The follow has ended. */
  done: boolean;
  readonly ended: Promise<void>;
}

/** The runners' logs, each followed from the moment its pod runs. */
export class RunnerLogs {
  private readonly followed = new Map<string, Followed>();

  constructor(
    private readonly cli: ClusterCli,
    private readonly supervisor: ProcessSupervisor,
    private readonly onSample?: (sample: LiveSample) => void,
  ) {}

  /** Starts following `pod`'s log, once. */
  follow(pod: RunnerPod): void {
    if (this.followed.has(pod.name)) return;
    const command = operatorCommands.follow(pod.name);
    const child = this.supervisor.spawn(this.cli.path, [...accessArgs(this.cli.access), ...command.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = `${stderr}${chunk}`.slice(-2000);
    });
    const entry: Followed = {
      pod,
      child,
      lines,
      sending: false,
      done: false,
      ended: new Promise((resolve) => {
        child.once('close', (code, signal) => {
          entry.done = true;
          if (code !== 0) {
            entry.problem = `runner ${pod.name}: \`${this.cli.name} ${command.args.join(' ')}\` ended with ${signal ?? `exit code ${code}`}${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`;
          }
          resolve();
        });
      }),
    };
    if (child.stdout) {
      createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        lines.push(line);
        const sample = liveSample(line);
        if (sample === undefined) return;
        entry.sending = true;
        this.onSample?.(sample);
      });
    }
    this.followed.set(pod.name, entry);
  }

  /** The runners followed so far. */
  get count(): number {
    return this.followed.size;
  }

  /** A runner whose log ended before it sent a request (its k6 refused to run), with its last lines. */
  endedWithoutSending(): { runner: string; lastLines: string } | undefined {
    const entry = [...this.followed.values()].find((candidate) => candidate.done && !candidate.sending);
    return entry && { runner: entry.pod.name, lastLines: entry.lines.slice(-10).join('\n') };
  }

  /** The runners followed that have not sent a request yet. */
  notSending(): string[] {
    return [...this.followed.values()].filter((entry) => !entry.sending).map((entry) => entry.pod.name);
  }

  /** Resolves when every follow has ended (each runner's container ended, or its follow broke). */
  async ended(): Promise<void> {
    await Promise.all([...this.followed.values()].map((entry) => entry.ended));
  }

  /** Ends the follows still running (zdd waited long enough for their runners). */
  kill(): void {
    for (const entry of this.followed.values()) {
      if (entry.child.exitCode === null && entry.child.signalCode === null) {
        entry.problem ??= `runner ${entry.pod.name}: its log had not ended when zdd stopped following it`;
        entry.child.kill('SIGKILL');
      }
    }
  }

  /** Each runner's log as read, and why a follow ended early. */
  collected(): { logs: RunnerLogText[]; problems: string[] } {
    const entries = [...this.followed.values()];
    return {
      logs: entries.map((entry) => ({
        runner: entry.pod.name,
        ...(entry.pod.segment !== undefined && { segment: entry.pod.segment }),
        text: entry.lines.join('\n'),
      })),
      problems: entries.flatMap((entry) => (entry.problem ? [entry.problem] : [])),
    };
  }
}
