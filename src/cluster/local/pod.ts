import type { ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { EventLog } from '../../runtime/events.js';
import { freePort } from '../../runtime/free-port.js';
import { describeFsError } from '../../runtime/fs-errors.js';
import type { ProcessSupervisor } from '../../runtime/processes.js';
import { delay, Ticker, type Timing } from '../../runtime/timing.js';
import { type ImageMapping, localExecCommand } from './images.js';
import type { ContainerSpec, HandlerSpec, PodTemplateSpec, ProbeSpec } from './objects.js';
import { exitOf, type PodContext, ProbeState, probeOnce } from './probes.js';
import { SidecarRelay } from './sidecar.js';

export type PodPhase = 'Pending' | 'Running' | 'Terminating' | 'Terminated';

export interface PodOptions {
  readonly name: string;
  readonly workload: string;
  /** The revision (ReplicationController / ReplicaSet) that owns the pod. */
  readonly revision: string;
  readonly template: PodTemplateSpec;
  readonly mapping: ImageMapping;
  readonly supervisor: ProcessSupervisor;
  readonly events: EventLog;
  readonly timing: Timing;
  /** A folder for the pod's files: its log and the app's PID file (the container's /tmp). */
  readonly dir: string;
  /** Called whenever readiness or phase changes, so that controllers and endpoints react. */
  readonly onChange: (pod: Pod) => void;
  /**
   * A sidecar proxy in front of the app (Istio's istio-proxy): the pod's traffic goes through it, and it
   * stops accepting this many nominal seconds after the pod's deletion (its SIGTERM), whatever the app's
   * preStop hook still waits for. @default - none
   */
  readonly sidecarDrainSeconds?: number;
}

/**
 * A pod as a local process: one container, its port mapped to a free loopback
 * port, probes as the kubelet runs them, and termination as the kubelet does
 * it: on deletion the pod leaves the endpoints and its preStop hook starts at
 * the same time; SIGTERM follows the hook; SIGKILL comes when
 * terminationGracePeriodSeconds, counted from the deletion, runs out.
 */
export class Pod implements PodContext {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt = Date.now();
  phase: PodPhase = 'Pending';
  /** When the pod last became ready; undefined while not ready. */
  readySince: number | undefined;
  deletedAt: number | undefined;
  restarts = 0;
  private port = 0;
  private process: ChildProcess | undefined;
  private readonly container: ContainerSpec;
  private readonly stop = new AbortController();
  private readonly exited: Promise<void>;
  private markExited: () => void = () => {};
  private probesAbort = new AbortController();
  /** Stops the liveness and startup probes at deletion; the readiness probe goes on (the serving condition). */
  private livenessAbort = new AbortController();
  /** The readiness probe's result while terminating (EndpointSlice `serving`). */
  private servingWhileTerminating = false;
  private sidecar: SidecarRelay | undefined;

  constructor(private readonly options: PodOptions) {
    this.name = options.name;
    this.labels = options.template.metadata.labels;
    this.container = options.template.spec.containers[0] as ContainerSpec;
    this.exited = new Promise((resolve) => {
      this.markExited = resolve;
    });
    mkdirSync(options.dir, { recursive: true });
    this.record('pod-created', `revision ${options.revision}`);
  }

  get ready(): boolean {
    return this.readySince !== undefined;
  }

  /**
   * EndpointSlice `serving`: ready, or, while terminating, still passing its readiness probe (the kubelet
   * goes on probing a terminating pod).
   */
  get serving(): boolean {
    if (this.deletedAt === undefined) return this.ready;
    return this.phase === 'Terminating' && this.servingWhileTerminating && this.processAlive();
  }

  /** The loopback port the container listens on. */
  get endpointPort(): number {
    return this.port;
  }

  /** The container's process id, while it runs. */
  get pid(): number | undefined {
    return this.processAlive() ? this.process?.pid : undefined;
  }

  /** Ready for at least `minReadyMs` and not being deleted: what rollouts count. */
  available(minReadyMs: number, now = Date.now()): boolean {
    return this.phase === 'Running' && this.readySince !== undefined && now - this.readySince >= minReadyMs;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    if (this.options.sidecarDrainSeconds !== undefined) {
      const sidecar = new SidecarRelay(() => this.port);
      await sidecar.start();
      this.sidecar = sidecar;
      if (this.stop.signal.aborted) sidecar.stop();
    }
    if (this.stop.signal.aborted) return;
    this.startContainer();
    this.phase = 'Running';
    this.options.onChange(this);
  }

  hostPort(port: number | string): number | undefined {
    const ports = this.container.ports;
    const first = ports[0];
    if (first === undefined) return typeof port === 'number' ? this.port : undefined;
    const match = ports.find((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
    return match === first ? this.port : undefined;
  }

  /** Where the pod's traffic goes for a container port: the sidecar's port when the pod has one. */
  trafficPort(port: number | string): number | undefined {
    const app = this.hostPort(port);
    return app === undefined || this.sidecar === undefined ? app : this.sidecar.port;
  }

  async exec(command: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<number | null> {
    const [file, ...args] = localExecCommand(command, this.options.mapping, this.options.timing);
    if (file === undefined) return -1;
    const child = this.spawn(file, args, `exec ${JSON.stringify(command)}`);
    // The command could not start: a failed probe or hook, as a kubelet reports an exec it cannot run.
    if (child === undefined) return -1;
    const timer = setTimeout(() => kill(), timeoutMs);
    const kill = () => child.pid !== undefined && this.options.supervisor.killGroup(child.pid);
    signal?.addEventListener('abort', kill, { once: true });
    const code = await exitOf(child);
    clearTimeout(timer);
    signal?.removeEventListener('abort', kill);
    return code;
  }

  /** Deletes the pod; resolves when its process has exited. */
  delete(): Promise<void> {
    if (this.deletedAt !== undefined) return this.exited;
    this.deletedAt = Date.now();
    const wasReady = this.ready;
    this.readySince = undefined;
    this.servingWhileTerminating = wasReady;
    this.livenessAbort.abort();
    if (this.phase === 'Pending') {
      this.stop.abort();
      this.finish('deleted before it started');
      return this.exited;
    }
    this.phase = 'Terminating';
    const grace = this.options.timing.seconds(this.options.template.spec.terminationGracePeriodSeconds);
    this.record('pod-deleted', `grace ${grace} ms${wasReady ? '' : ', was not ready'}`);
    this.options.onChange(this);
    this.drainSidecar();
    void this.terminate(this.deletedAt + grace);
    return this.exited;
  }

  /**
   * Stops the pod without the termination sequence (the cluster is shutting
   * down; the supervisor kills the processes): no more probes, no restart.
   */
  halt(): void {
    this.deletedAt ??= Date.now();
    this.probesAbort.abort();
    this.stop.abort();
    this.sidecar?.stop();
  }

  /** The sidecar got SIGTERM with the pod: it stops accepting once its drain is over. */
  private drainSidecar(): void {
    const sidecar = this.sidecar;
    const drain = this.options.sidecarDrainSeconds;
    if (sidecar === undefined || drain === undefined) return;
    void delay(this.options.timing.seconds(drain), this.stop.signal).then(() => {
      if (sidecar.stopped) return;
      sidecar.stop();
      this.record('sidecar-stopped', `drain ${drain} s over`);
    });
  }

  /** Waits until the pod's process has exited. */
  whenExited(): Promise<void> {
    return this.exited;
  }

  private async terminate(deadline: number): Promise<void> {
    // A container that is not running (it exited and waits for its restart) has nothing to stop: the kubelet
    // runs no preStop hook for it and ends the pod at once.
    if (!this.processAlive()) {
      this.finish('the container was not running');
      return;
    }
    const deadlineAbort = new AbortController();
    const killTimer = setTimeout(() => deadlineAbort.abort(), Math.max(0, deadline - Date.now()));
    const preStop = this.container.lifecycle?.preStop;
    if (preStop) {
      this.record('prestop-started', describeHandler(preStop));
      const ok = await this.runHandler(preStop, deadline - Date.now(), deadlineAbort.signal);
      this.record(
        'prestop-finished',
        deadlineAbort.signal.aborted ? 'cut off at the grace deadline' : ok ? 'ok' : 'failed',
      );
    }
    if (!deadlineAbort.signal.aborted && this.processAlive()) this.sendSigterm();
    if (!deadlineAbort.signal.aborted) {
      // Wait for the app to exit on its own, or for the deadline.
      await Promise.race([
        this.exited,
        new Promise((resolve) => deadlineAbort.signal.addEventListener('abort', resolve, { once: true })),
      ]);
    }
    clearTimeout(killTimer);
    if (this.processAlive()) {
      this.record('sigkill', 'terminationGracePeriodSeconds ran out');
      if (this.process?.pid !== undefined) this.options.supervisor.killGroup(this.process.pid, 'SIGKILL');
    } else {
      // The container was not running (it had exited and was waiting for its restart): nothing to stop.
      this.finish('the container was not running');
    }
    await this.exited;
  }

  private async runHandler(handler: HandlerSpec, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (handler.sleep) {
      await delay(this.options.timing.seconds(handler.sleep.seconds), signal);
      return !signal.aborted;
    }
    return probeOnce(handler, this, Math.max(0, timeoutMs), signal);
  }

  /**
   * Starts a process in the pod, its output into the pod's log. A start that fails (the program is gone, not
   * executable, or its arguments cannot be passed) is written to the log and reported by the child's `error`
   * event, or by undefined when `spawn` throws; it never escapes as an unhandled error.
   */
  private spawn(file: string, args: readonly string[], what: string): ChildProcess | undefined {
    let child: ChildProcess;
    try {
      child = this.options.supervisor.spawn(file, args, {
        env: this.env(),
        cwd: this.options.dir,
        stdio: ['ignore', this.logFd(), this.logFd()],
      });
    } catch (error) {
      this.log(`zdd: ${what} could not start: ${describeFsError(error)}`);
      return undefined;
    }
    child.once('error', (error) => this.log(`zdd: ${what} could not start: ${describeFsError(error)}`));
    return child;
  }

  private startContainer(): void {
    const [file, ...args] = this.options.mapping.command;
    const program = file === 'node' ? process.execPath : (file as string);
    const child = this.spawn(program, args, program);
    if (child === undefined) {
      this.process = undefined;
      this.onContainerEnded(undefined, `could not start: ${program} (its log says why)`);
      return;
    }
    this.process = child;
    child.once('spawn', () => {
      this.record('pod-started', `pid ${child.pid}, port ${this.port}`);
      this.startProbes();
    });
    // A process that failed to start emits `error` and may never emit `exit`; one of them ends the container.
    let ended = false;
    const end = (how: string) => {
      if (ended) return;
      ended = true;
      this.onContainerEnded(child, how);
    };
    child.once('error', (error) => end(`could not start: ${program} ${describeFsError(error)}`));
    child.once('exit', (code, signal) => end(signal ? `signal ${signal}` : `code ${code}`));
  }

  /** The container's process ended (`how`: "code 1", "signal SIGKILL", "could not start: …"). */
  private onContainerEnded(child: ChildProcess | undefined, how: string): void {
    if (child !== this.process) return;
    if (this.deletedAt !== undefined) {
      this.finish(`${how}, ${Date.now() - this.deletedAt} ms after deletion`);
      return;
    }
    // restartPolicy Always: the kubelet restarts a container that exits (after a back-off).
    this.probesAbort.abort();
    if (this.readySince !== undefined) {
      this.readySince = undefined;
      this.record('pod-unready', `container exited (${how})`);
      this.options.onChange(this);
    }
    this.restarts += 1;
    this.record(
      'container-restarted',
      `${how.startsWith('could not start') ? how : `exited with ${how}`}; restart ${this.restarts}`,
    );
    void delay(this.options.timing.seconds(10), this.stop.signal).then(async () => {
      if (this.deletedAt !== undefined || this.stop.signal.aborted) return;
      // A fresh loopback port: if another process took the old one, a restart on it would fail forever.
      this.port = await freePort();
      if (this.deletedAt === undefined && !this.stop.signal.aborted) this.startContainer();
    });
  }

  private finish(detail: string): void {
    if (this.phase === 'Terminated') return;
    this.phase = 'Terminated';
    this.stop.abort();
    this.sidecar?.stop();
    this.record('pod-exited', detail);
    this.options.onChange(this);
    this.markExited();
  }

  private processAlive(): boolean {
    const child = this.process;
    // No pid: the process never started (its `error` event said why).
    return child?.pid !== undefined && child.exitCode === null && child.signalCode === null;
  }

  private startProbes(): void {
    // A container can report its start after the pod was halted or deleted: its probes must never run then,
    // or nothing would ever stop them.
    if (this.stop.signal.aborted || this.deletedAt !== undefined) return;
    this.probesAbort = new AbortController();
    this.livenessAbort = new AbortController();
    const signal = AbortSignal.any([this.probesAbort.signal, this.stop.signal]);
    const liveness = AbortSignal.any([signal, this.livenessAbort.signal]);
    const { readinessProbe, livenessProbe, startupProbe } = this.container;
    if (!readinessProbe) this.setReady(true, 'process running, no readinessProbe');
    const afterStartup = () => {
      if (readinessProbe) void this.runProbe(readinessProbe, false, signal, (ok) => this.readinessChanged(ok));
      if (livenessProbe)
        void this.runProbe(livenessProbe, true, liveness, (ok) => ok || this.restartContainer('livenessProbe failed'));
    };
    if (startupProbe) {
      void this.runProbe(startupProbe, false, liveness, (ok, stop) => {
        if (ok) {
          stop();
          afterStartup();
        } else this.restartContainer('startupProbe failed');
      });
    } else afterStartup();
  }

  /** Runs a probe on the kubelet's schedule and reports each change of its result. */
  private async runProbe(
    spec: ProbeSpec,
    initially: boolean,
    signal: AbortSignal,
    onChange: (passing: boolean, stop: () => void) => void,
  ): Promise<void> {
    const state = new ProbeState(spec, initially);
    const timing = this.options.timing;
    let stopped = false;
    const first = Date.now() + timing.seconds(spec.initialDelaySeconds);
    await delay(first - Date.now(), signal);
    // The kubelet's probe worker runs on a ticker: probes stay on their grid whatever each one takes.
    const ticker = new Ticker(first, timing.seconds(spec.periodSeconds));
    while (!signal.aborted && !stopped) {
      const ok = await probeOnce(spec, this, timing.timeoutMs(spec.timeoutSeconds * 1000), signal);
      if (signal.aborted) return;
      if (state.record(ok)) {
        onChange(state.passing, () => {
          stopped = true;
        });
      }
      await ticker.wait(signal);
    }
  }

  /** A readiness probe result: readiness while the pod lives, its serving condition while it terminates. */
  private readinessChanged(ok: boolean): void {
    if (this.deletedAt === undefined) {
      this.setReady(ok, 'readinessProbe');
      return;
    }
    if (ok === this.servingWhileTerminating) return;
    this.servingWhileTerminating = ok;
    this.options.onChange(this);
  }

  private setReady(ready: boolean, reason: string): void {
    if (this.deletedAt !== undefined || ready === this.ready) return;
    this.readySince = ready ? Date.now() : undefined;
    this.record(ready ? 'pod-ready' : 'pod-unready', reason);
    this.options.onChange(this);
  }

  private restartContainer(reason: string): void {
    if (this.deletedAt !== undefined || !this.process) return;
    const child = this.process;
    this.sendSigterm(reason);
    const grace = this.options.timing.seconds(this.options.template.spec.terminationGracePeriodSeconds);
    void delay(grace).then(() => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        this.record('sigkill', reason);
        this.options.supervisor.killGroup(child.pid);
      }
    });
  }

  private sendSigterm(reason?: string): void {
    const child = this.process;
    if (child === undefined) return;
    this.record('sigterm', reason);
    this.options.supervisor.signal(child, 'SIGTERM');
  }

  private env(): NodeJS.ProcessEnv {
    const { mapping } = this.options;
    return {
      PATH: process.env.PATH,
      ...mapping.env,
      ...Object.fromEntries(this.container.env.map(({ name, value }) => [name, value])),
      [mapping.portEnv]: String(this.port),
      HOSTNAME: this.name,
      POD_NAME: this.name,
      PID_FILE: join(this.options.dir, 'app.pid'),
    };
  }

  /** A line of zdd's own in the pod's log, beside what the container printed. */
  private log(line: string): void {
    try {
      appendFileSync(join(this.options.dir, 'log'), `${line}\n`);
    } catch {
      // The pod's folder is gone (the cluster stopped): nobody reads this log any more.
    }
  }

  private logFd(): number {
    // Each spawn gets its own descriptor, closed once the child has it.
    const fd = openSync(join(this.options.dir, 'log'), 'a');
    setImmediate(() => closeSync(fd));
    return fd;
  }

  private record(type: Parameters<EventLog['record']>[0], detail?: string): void {
    this.options.events.record(type, this.name, { workload: this.options.workload, detail });
  }
}

function describeHandler(handler: HandlerSpec): string {
  if (handler.sleep) return `sleep ${handler.sleep.seconds}s`;
  if (handler.exec) return `exec ${handler.exec.command.join(' ')}`;
  if (handler.httpGet) return `httpGet ${handler.httpGet.path}`;
  return 'no action';
}
