/**
 * Runs k6 with k6/rollout-load.js: starts it, stops it through its REST API,
 * and reads what it wrote (the summary and the per-request `--out json` points).
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { readInputFile, readInputLines } from '../../input/input-file.js';
import { isExecutableFile } from '../../runtime/executables.js';
import { freePort } from '../../runtime/free-port.js';
import { killGroup, watchdog } from '../../runtime/watchdog.js';
import { LoadOptionError } from '../errors.js';
import type { Sample } from '../sample.js';
import { buildK6Args, K6_SCRIPT, type K6Invocation, type K6LoadOptions } from './args.js';
import { K6Error, K6NotFoundError } from './errors.js';
import { findK6, k6Candidates } from './find-k6.js';
import { K6SampleReader } from './ndjson.js';
import { type K6Summary, parseK6Summary, thresholdsCrossed } from './summary.js';

export { K6Error, K6NotFoundError } from './errors.js';
export { findK6, k6Version } from './find-k6.js';

/** What `startK6` needs: the load (see `K6LoadOptions`) and where k6 and its files are. */
export type StartK6Options = Omit<K6LoadOptions, 'summaryFile' | 'samplesFile' | 'apiPort'> & {
  /** Absolute. @default `<workDir>/k6-summary.json` */
  readonly summaryFile?: string;
  /** Absolute. @default `<workDir>/k6-samples.ndjson` */
  readonly samplesFile?: string;
  /** Absolute folder for the two files above when they are not given. */
  readonly workDir?: string;
  /** @default a free port on 127.0.0.1 */
  readonly apiPort?: number;
  /** @default `findK6()` */
  readonly k6Path?: string;
  /** Where k6 runs; must hold k6/rollout-load.js. @default the zdd package folder */
  readonly cwd?: string;
  /** k6's REST API must answer within this, ms. @default 30000 */
  readonly startTimeoutMs?: number;
};

/** How k6 ended. */
export type K6StopReason = 'finished' | 'rest-api' | 'sigint';

export interface K6Result {
  /** 0, 99 (thresholds crossed), 103 (stopped through the REST API) or 105 (stopped by SIGINT). */
  readonly exitCode: number;
  readonly stoppedBy: K6StopReason;
  /**
   * A threshold failed: exit code 99, or a failed threshold in the summary (after a stop k6 exits with
   * 103 / 105 even when thresholds are crossed: the stop's exit code wins).
   */
  readonly thresholdsCrossed: boolean;
  readonly summary: K6Summary;
  /** One per request, grouped by target, then by start (see ndjson.ts). */
  readonly samples: Sample[];
  /** Wall-clock epoch ms of `startMs` 0; undefined when no request was made. */
  readonly epochStartMs?: number;
  /** Scheduled requests k6 did not send (no free VU), by scenario (see `scenarioName`). */
  readonly droppedIterations: ReadonlyMap<string, number>;
  /** What the summary and output parsers had to guess or skip. */
  readonly notes: readonly string[];
  /** The last lines k6 wrote to stderr. */
  readonly stderrTail: string;
}

/** How `stop()` stops k6. */
export type StopVia = 'rest-api' | 'sigint';

export interface StopOptions {
  /** `sigint` skips the REST API (one SIGINT; k6 still writes its summary). @default 'rest-api' */
  readonly via?: StopVia;
}

export interface K6Run {
  /**
   * Resolves when k6 runs its scenarios (its REST API says `running`: the load has begun), or when k6 has
   * already ended successfully.
   */
  readonly ready: Promise<void>;
  /**
   * Stops k6 (REST API `PATCH /v1/status` stopped: true; one SIGINT if the API does not answer) and
   * resolves when k6 has exited; k6 writes its summary either way. Never rejects: failures go to `done`.
   * Requests in flight are abandoned by k6 and leave no sample.
   */
  stop(options?: StopOptions): Promise<void>;
  /** k6's result; rejects with `K6Error` (or `K6NotFoundError`) when k6 failed. */
  readonly done: Promise<K6Result>;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const API_POLL_MS = 100;
const API_REQUEST_TIMEOUT_MS = 2_000;
/** After a stop, k6 writes the summary and exits; past this, the next step (SIGINT, then SIGKILL). */
const EXIT_WAIT_MS = 15_000;
/** Beyond the load itself, for start-up, the graceful stop and handleSummary(). */
const OVERALL_SLACK_MS = 60_000;
const STDERR_TAIL_LINES = 20;
const STOP_BODY = JSON.stringify({ data: { type: 'status', id: 'default', attributes: { stopped: true } } });

/**
 * Starts k6. Throws `LoadOptionError` for unusable options and
 * `K6NotFoundError` when k6 is missing, before anything is started. Removes
 * stale summary and samples files first. `done` settles once k6 has exited:
 * exit codes 0 and 99, and 103 / 105 after `stop()`, are results; any other exit,
 * a signal, a timeout, or a missing or unreadable summary or samples file
 * rejects with `K6Error`.
 */
export function startK6(options: StartK6Options): K6Run {
  if (typeof options !== 'object' || options === null) throw new LoadOptionError('options', 'an object', options);
  const files = outputFiles(options);
  const load: K6LoadOptions = { ...options, ...files, apiPort: options.apiPort ?? 1 };
  // Validates every option now; the real port may only be known later.
  let invocation = buildK6Args(load);
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!Number.isInteger(startTimeoutMs) || startTimeoutMs < 1) {
    throw new LoadOptionError('startTimeoutMs', 'an integer > 0', startTimeoutMs);
  }
  const k6Path = options.k6Path ?? findK6();
  if (k6Path === undefined) throw new K6NotFoundError(k6Candidates());
  if (!isExecutableFile(k6Path)) throw new K6NotFoundError([k6Path]);
  const cwd = options.cwd ?? scriptFolder();
  if (!existsSync(join(cwd, K6_SCRIPT))) throw new LoadOptionError('cwd', `a folder that holds ${K6_SCRIPT}`, cwd);
  rmSync(files.summaryFile, { force: true });
  rmSync(files.samplesFile, { force: true });

  const timeoutMs = options.timeoutMs ?? 10_000;
  const overallTimeoutMs = startTimeoutMs + options.maxDurationMs + 2 * timeoutMs + OVERALL_SLACK_MS;
  const run = new RunningK6(startTimeoutMs, overallTimeoutMs);
  const started = (async () => {
    const apiPort = options.apiPort ?? (await freePort());
    invocation = buildK6Args({ ...load, apiPort });
    // Wrapped: the execa subprocess is a thenable, which returning it here would wait for.
    return { exit: run.spawn(k6Path, invocation, cwd, apiPort, overallTimeoutMs) };
  })();
  const variants = options.targets.map((target) => target.name);
  const done = started.then(async ({ exit }) => readResult(await exit, run, files, variants));
  // When k6 exits before its API answered (a short run or a failure), `done` decides.
  const ready = started
    .then(({ exit }) => Promise.race([run.scenariosRunning, exit.then(() => false)]))
    .then((answered) => (answered ? undefined : done.then(() => undefined)));
  // Handled here so that a caller awaiting only one of them causes no unhandled rejection.
  done.catch(() => undefined);
  ready.catch(() => undefined);
  return { ready, done, stop: (stopOptions = {}) => run.stop(started, stopOptions.via ?? 'rest-api') };
}

/** The state of one k6 process. */
class RunningK6 {
  stoppedBy: K6StopReason = 'finished';
  /** Set when the REST API did not answer in time and nobody asked for a stop (k6 is then stopped). */
  startTimeout: string | undefined;
  readonly tail: string[] = [];
  /** True once the REST API answered; false when k6 exited first or the API did not answer in time. */
  apiReady: Promise<boolean> = Promise.resolve(false);
  /**
   * True once k6 runs its scenarios: its API answers first, while k6 still initialises its VUs (seconds for
   * thousands of them, longer on a busy machine), and a warm-up counted from then would be partly without load.
   */
  scenariosRunning: Promise<boolean> = Promise.resolve(false);
  private subprocess: ReturnType<typeof spawnK6> | undefined;
  private exited = false;
  private apiPort = 0;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly startTimeoutMs: number,
    /** k6 is stopped (SIGINT, then SIGKILL) when it runs longer than this, ms. */
    readonly overallTimeoutMs: number,
  ) {}

  /** Starts k6; resolves with its result when it has exited. */
  spawn(
    k6Path: string,
    invocation: K6Invocation,
    cwd: string,
    apiPort: number,
    overallTimeoutMs: number,
  ): Promise<K6Subprocess> {
    this.apiPort = apiPort;
    const subprocess = spawnK6(k6Path, invocation, cwd, overallTimeoutMs);
    this.subprocess = subprocess;
    collectTail(subprocess.stderr, this.tail);
    const exited = subprocess.then(() => {
      this.exited = true;
    });
    this.apiReady = this.waitForApi();
    this.scenariosRunning = this.apiReady.then((answered) => answered && this.waitForApi(true));
    void Promise.all([this.apiReady, this.scenariosRunning]).then(([answered, running]) => {
      if (running || this.exited || this.stopping !== undefined) return;
      // Nobody is stopping k6 and it never started its scenarios: end it (SIGINT, then SIGKILL after
      // EXIT_WAIT_MS); `done` reports the timeout.
      this.startTimeout = answered
        ? `k6 did not start its scenarios within ${this.startTimeoutMs} ms of its REST API answering (still initialising its VUs: lower --rate)`
        : `k6's REST API on 127.0.0.1:${apiPort} did not answer within ${this.startTimeoutMs} ms`;
      subprocess.kill('SIGINT');
    });
    return exited.then(() => subprocess);
  }

  stop(started: Promise<unknown>, via: StopVia): Promise<void> {
    this.stopping ??= this.stopOnce(started, via);
    return this.stopping;
  }

  private async stopOnce(started: Promise<unknown>, via: StopVia): Promise<void> {
    try {
      await started;
    } catch {
      return; // Never started: `done` says why.
    }
    const subprocess = this.subprocess;
    if (subprocess === undefined || this.exited) return;
    if (via === 'rest-api') {
      // While k6 starts, its API may not answer yet: wait for it (within the start timeout).
      const answered = await this.apiReady;
      if (this.exited) return;
      if (answered && (await this.patchStopped())) {
        this.stoppedBy = 'rest-api';
        if (await this.exitsWithin(EXIT_WAIT_MS)) return;
      }
    }
    // One SIGINT only: a second one makes k6 abort without its summary. execa sends SIGKILL if k6 is
    // still running EXIT_WAIT_MS later (forceKillAfterDelay).
    this.stoppedBy = 'sigint';
    subprocess.kill('SIGINT');
    await subprocess;
  }

  /**
   * Polls `GET /v1/status` until it answers 200 (with `running`: and says k6 runs its scenarios), k6 exits, or
   * the start timeout passes.
   */
  private async waitForApi(running = false): Promise<boolean> {
    const deadline = Date.now() + this.startTimeoutMs;
    while (!this.exited && Date.now() < deadline) {
      try {
        const response = await fetch(this.statusUrl(), { signal: AbortSignal.timeout(API_REQUEST_TIMEOUT_MS) });
        const body = (await response.json().catch(() => undefined)) as
          | { data?: { attributes?: { running?: unknown } } }
          | undefined;
        if (response.ok && (!running || body?.data?.attributes?.running === true)) return true;
      } catch {
        // Not listening yet.
      }
      await delay(API_POLL_MS);
    }
    return false;
  }

  private async patchStopped(): Promise<boolean> {
    try {
      const response = await fetch(this.statusUrl(), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: STOP_BODY,
        signal: AbortSignal.timeout(API_REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  private async exitsWithin(ms: number): Promise<boolean> {
    const subprocess = this.subprocess;
    if (subprocess === undefined) return true;
    const timer = delay(ms, false, { ref: false });
    return Promise.race([subprocess.then(() => true), timer]);
  }

  private statusUrl(): string {
    return `http://127.0.0.1:${this.apiPort}/v1/status`;
  }
}

function spawnK6(k6Path: string, invocation: K6Invocation, cwd: string, timeout: number) {
  const subprocess = execa(k6Path, invocation.args, {
    cwd,
    // Without the caller's K6_* variables (e.g. K6_DURATION would clash with the script's scenarios).
    env: { ...withoutK6Variables(process.env), ...invocation.env },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    // stderr is read as it comes (only its tail is kept): k6 logs a warning per failed request.
    buffer: false,
    timeout,
    killSignal: 'SIGINT',
    forceKillAfterDelay: EXIT_WAIT_MS,
    // Its own process group, which the watchdog kills if zdd dies; zdd stops it itself otherwise, and a
    // Ctrl-C in the terminal must not reach it first (it would end the load before zdd asked).
    detached: true,
  });
  const pid = subprocess.pid;
  if (pid !== undefined) {
    watchdog().addGroup(pid);
    void subprocess.finally(() => {
      killGroup(pid);
      watchdog().removeGroup(pid);
    });
  }
  return subprocess;
}

type K6Subprocess = Awaited<ReturnType<typeof spawnK6>>;

/** Turns k6's exit and files into a `K6Result`, or the `K6Error` that explains why not. */
async function readResult(
  result: K6Subprocess,
  run: RunningK6,
  files: { readonly summaryFile: string; readonly samplesFile: string },
  variants: readonly string[],
): Promise<K6Result> {
  const stderrTail = run.tail.join('\n');
  const details = { exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, stderrTail };
  const last = lastLine(run.tail);
  if (run.startTimeout !== undefined) throw new K6Error(run.startTimeout, { ...details, timedOut: true });
  if (result.timedOut) {
    throw new K6Error(`k6 ran longer than ${run.overallTimeoutMs} ms and was stopped`, details);
  }
  if (result.exitCode === undefined && result.signal === undefined) {
    throw new K6Error(`k6 could not be started: ${result.shortMessage}`, { ...details, cause: result.cause });
  }
  if (result.signal !== undefined) {
    throw new K6Error(`k6 was killed by ${result.signal}${last ? `: ${last}` : ''}`, details);
  }
  const exitCode = result.exitCode as number;
  const expected = [
    0,
    99,
    ...(run.stoppedBy === 'rest-api' ? [103] : []),
    ...(run.stoppedBy === 'sigint' ? [105] : []),
  ];
  if (!expected.includes(exitCode)) {
    throw new K6Error(`k6 exited with code ${exitCode}${last ? `: ${last}` : ''}`, details);
  }
  let summaryText: string;
  try {
    summaryText = await readInputFile(undefined, files.summaryFile);
  } catch (error) {
    throw new K6Error(`k6 exited with code ${exitCode} but wrote no summary to ${files.summaryFile}`, {
      ...details,
      cause: error,
    });
  }
  let summary: K6Summary;
  try {
    summary = parseK6Summary(summaryText, files.summaryFile, { variants });
  } catch (error) {
    throw new K6Error(`k6's summary cannot be read: ${(error as Error).message}`, { ...details, cause: error });
  }
  let samples: Awaited<ReturnType<typeof readSamples>>;
  try {
    samples = await readSamples(files.samplesFile, variants);
  } catch (error) {
    throw new K6Error(`k6's JSON output ${files.samplesFile} cannot be read: ${(error as Error).message}`, {
      ...details,
      cause: error,
    });
  }
  return {
    exitCode,
    stoppedBy: run.stoppedBy,
    thresholdsCrossed: exitCode === 99 || thresholdsCrossed(summary),
    summary,
    samples: samples.samples,
    ...(samples.epochStartMs !== undefined && { epochStartMs: samples.epochStartMs }),
    droppedIterations: samples.droppedIterationsByScenario,
    notes: [...summary.warnings, ...samples.warnings],
    stderrTail,
  };
}

/** Streams the `--out json` file through the reader (the file may be large; its lines are bounded). */
async function readSamples(file: string, targets: readonly string[]) {
  const reader = new K6SampleReader({ targets });
  await readInputLines(undefined, file, (line) => reader.push(line));
  return reader.finish();
}

function outputFiles(options: StartK6Options): { summaryFile: string; samplesFile: string } {
  const { workDir } = options;
  if (workDir !== undefined && (typeof workDir !== 'string' || !isAbsolute(workDir))) {
    throw new LoadOptionError('workDir', 'an absolute folder path', workDir);
  }
  const summaryFile = options.summaryFile ?? (workDir === undefined ? undefined : join(workDir, 'k6-summary.json'));
  const samplesFile = options.samplesFile ?? (workDir === undefined ? undefined : join(workDir, 'k6-samples.ndjson'));
  if (summaryFile === undefined)
    throw new LoadOptionError('summaryFile', 'an absolute file path (or set workDir)', summaryFile);
  if (samplesFile === undefined)
    throw new LoadOptionError('samplesFile', 'an absolute file path (or set workDir)', samplesFile);
  return { summaryFile, samplesFile };
}

/** The zdd package folder (the one holding k6/rollout-load.js), from src/ or lib/src/ alike. */
function scriptFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++, dir = dirname(dir)) {
    if (existsSync(join(dir, K6_SCRIPT))) return dir;
  }
  throw new Error(`cannot find ${K6_SCRIPT} above ${fileURLToPath(import.meta.url)}`);
}

function withoutK6Variables(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !name.startsWith('K6_')) result[name] = value;
  }
  return result;
}

/** Keeps the last STDERR_TAIL_LINES lines of a stream (each cut to 500 characters). */
function collectTail(stream: NodeJS.ReadableStream | null, tail: string[]): void {
  if (stream === null) return;
  let partial = '';
  stream.setEncoding('utf8');
  const add = (line: string): void => {
    if (line.trim() === '') return;
    tail.push(line.length > 500 ? `${line.slice(0, 499)}…` : line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
  };
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) add(line);
  });
  stream.on('end', () => {
    add(partial);
    partial = '';
  });
}

/** The message of k6's last log line (`time=… level=error msg="…"`), or the line itself. */
function lastLine(tail: readonly string[]): string | undefined {
  const line = tail.at(-1);
  if (line === undefined) return undefined;
  const msg = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
  return msg === undefined ? line : msg.replace(/\\(.)/g, '$1');
}
