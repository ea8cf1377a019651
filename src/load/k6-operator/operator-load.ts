/**
 * `--load k6-operator`: zdd's k6 script run inside the cluster by grafana/k6-operator, split over `parallelism`
 * runners (each its execution segment). zdd creates the ConfigMap and TestRun, follows each runner's log from its
 * first line (`SAMPLES=log`: a line per request), and, to stop the load, deletes the TestRun: its Jobs and pods go,
 * and each k6 ends its test on SIGTERM and prints its own count. The logs merge into the one `LoadResult` the
 * other generators give; a runner whose log lost lines, ended early or started late is a problem the verdict sees.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ClusterCli, run } from '../../cluster/remote/kubectl.js';
import type { KubeObject } from '../../kube/resources.js';
import { SetupError } from '../../runtime/errors.js';
import { packageRoot } from '../../runtime/package-info.js';
import { ProcessSupervisor } from '../../runtime/processes.js';
import { delay } from '../../runtime/timing.js';
import { K6_SCRIPT, type K6ScriptOptions, scriptEnv } from '../k6/args.js';
import { streamDelivery } from '../k6/load.js';
import type { LoadResult, LoadRun } from '../load-run.js';
import type { LiveSample } from '../sample.js';
import { operatorCommands } from './commands.js';
import { type MergedRunnerLogs, mergeRunnerLogs, type RunnerReport } from './runner-log.js';
import { RunnerLogs } from './runner-logs.js';
import { hasStarted, readRunnerPods } from './runner-pods.js';
import { k6OperatorObjects, type RunnerSettings } from './test-run.js';

export interface OperatorLoadOptions extends K6ScriptOptions {
  readonly cli: ClusterCli;
  /** The run's id, on every object and runner pod. */
  readonly runId: string;
  readonly parallelism: number;
  /** @default {} */
  readonly runner?: RunnerSettings;
  /** Where the TestRun's file is written for `kubectl create`. */
  readonly workDir: string;
  readonly onSample?: (sample: LiveSample) => void;
  readonly log: (line: string) => void;
  /** How the run names its generator. @default 'k6-operator' */
  readonly generator?: string;
  /** How long the runners may take to start sending (image pulls, scheduling), ms. @default RUNNER_START_TIMEOUT_MS */
  readonly startTimeoutMs?: number;
  /** How long the runners may take to end after the TestRun is deleted, ms. @default 90000 */
  readonly stopTimeoutMs?: number;
  /** @default 1000 */
  readonly pollMs?: number;
  readonly signal?: AbortSignal | undefined;
}

/** How long the runners may take to start sending by default: image pulls and scheduling, ms. */
export const RUNNER_START_TIMEOUT_MS = 300_000;

/** `k6 run` arguments for the runners: zdd's script's variables, one line per request on the console. */
export function runnerArguments(options: K6ScriptOptions): string[] {
  return [
    '--no-usage-report',
    '--log-format=raw',
    ...['-e', 'SAMPLES=log'],
    ...scriptEnv(options).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
  ];
}

/** The ConfigMap and TestRun a run creates (`name`: the TestRun's), as one List. */
export async function operatorObjects(
  options: K6ScriptOptions &
    Pick<OperatorLoadOptions, 'runId' | 'parallelism' | 'runner'> & {
      readonly cli: Pick<ClusterCli, 'access'>;
    },
  name: string,
): Promise<{ apiVersion: string; kind: string; items: KubeObject[] }> {
  const script = await readFile(join(packageRoot(), K6_SCRIPT), 'utf8');
  const { configMap, testRun } = k6OperatorObjects({
    name,
    namespace: options.cli.access.namespace,
    runId: options.runId,
    script,
    parallelism: options.parallelism,
    arguments: runnerArguments(options),
    ...(options.runner && { runner: options.runner }),
  });
  return { apiVersion: 'v1', kind: 'List', items: [configMap, testRun] };
}

/** A new TestRun name for each run: its Jobs and Services are named after it. */
export function testRunName(): string {
  return `zdd-load-${randomBytes(3).toString('hex')}`;
}

/** Creates the TestRun and resolves once every runner sends; `stop()` ends them, `done` merges their logs. */
export async function startOperatorLoad(options: OperatorLoadOptions): Promise<LoadRun> {
  const name = testRunName();
  const file = join(options.workDir, 'k6-operator-load.json');
  await writeFile(file, `${JSON.stringify(await operatorObjects(options, name), null, 2)}\n`);
  options.log(`starting ${options.parallelism} k6 runner(s) on the k6-operator: TestRun ${name}`);
  await run(options.cli, operatorCommands.create(file));
  const supervisor = new ProcessSupervisor();
  const logs = new RunnerLogs(options.cli, supervisor, options.onSample);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopRunners(options, name, logs).finally(() => supervisor.close());
    return stopping;
  };
  try {
    await untilSending(options, name, logs);
  } catch (error) {
    await stop();
    throw error;
  }
  const done = logs.ended().then(() => {
    const collected = logs.collected();
    return operatorLoadResult(
      mergeRunnerLogs(collected.logs, { targets: options.targets.map((target) => target.name) }),
      collected.problems,
      options,
    );
  });
  return { generator: options.generator ?? 'k6-operator', stop, done };
}

/** Polls the runner pods, follows each as it runs, until every runner has sent a request. */
async function untilSending(options: OperatorLoadOptions, name: string, logs: RunnerLogs): Promise<void> {
  const limitMs = options.startTimeoutMs ?? RUNNER_START_TIMEOUT_MS;
  const deadline = Date.now() + limitMs;
  let state = 'no runner pod yet';
  for (;;) {
    const pods = readRunnerPods(JSON.parse((await run(options.cli, operatorCommands.runnerPods(name))).stdout));
    const stuck = pods.find((pod) => pod.stuck !== undefined);
    if (stuck) throw new SetupError(`the k6 runner pod ${stuck.name} cannot start: ${stuck.stuck}`);
    for (const pod of pods.filter(hasStarted)) logs.follow(pod);
    const waiting = logs.notSending();
    if (logs.count === options.parallelism && waiting.length === 0) return;
    const quiet = logs.endedWithoutSending();
    if (quiet) {
      throw new SetupError(
        `the k6 runner ${quiet.runner} ended before it sent a request; the last lines of its log:\n${quiet.lastLines}`,
      );
    }
    const stage = pods.length === 0 ? await testRunStage(options.cli, name) : undefined;
    if (stage === 'error') {
      throw new SetupError(
        `the k6-operator put TestRun ${name} in stage error before any runner started: see the operator's log`,
      );
    }
    state =
      stage !== undefined
        ? `no runner pod yet (TestRun stage: ${stage})`
        : `${logs.count} of ${options.parallelism} runners running${waiting.length > 0 ? `, not yet sending: ${waiting.join(', ')}` : ''}`;
    if (Date.now() > deadline) {
      throw new SetupError(
        `the k6-operator's runners did not start sending within ${Math.round(limitMs / 1000)} s: ${state}; check the operator's log and \`kubectl describe testrun ${name}\``,
      );
    }
    await delay(options.pollMs ?? 1000, options.signal);
  }
}

async function testRunStage(cli: ClusterCli, name: string): Promise<string> {
  const result = await run(cli, operatorCommands.testRun(name)).catch(() => undefined);
  if (!result || result.stdout.trim() === '') return 'none';
  const object = JSON.parse(result.stdout) as { status?: { stage?: string } };
  return object.status?.stage ?? 'none';
}

/** Deletes the TestRun (each runner gets SIGTERM and ends its test), then waits for their logs to end. */
async function stopRunners(options: OperatorLoadOptions, name: string, logs: RunnerLogs): Promise<void> {
  await run(options.cli, operatorCommands.stop(name)).catch((error: unknown) =>
    options.log(`could not delete TestRun ${name}: ${error instanceof Error ? error.message : String(error)}`),
  );
  const waited = await Promise.race([
    logs.ended().then(() => true),
    delay(options.stopTimeoutMs ?? 90_000).then(() => false),
  ]);
  if (!waited) logs.kill();
}

/** The merged logs as a `LoadResult`: delivery per stream from the samples and each runner's dropped iterations. */
export function operatorLoadResult(
  merged: MergedRunnerLogs,
  followProblems: readonly string[],
  options: Pick<OperatorLoadOptions, 'targets' | 'parallelism' | 'rate'>,
): LoadResult {
  const delivery = streamDelivery(options.targets, merged.samples, (scenario) =>
    merged.runners.reduce((sum, runner) => sum + (runner.dropped[scenario] ?? 0), 0),
  );
  const missing =
    merged.runners.length < options.parallelism
      ? [`${merged.runners.length} of ${options.parallelism} runners' logs were read`]
      : [];
  return {
    samples: merged.samples,
    delivery,
    capped: false,
    thresholds: [],
    notes: [],
    problems: [...followProblems, ...missing, ...merged.problems, ...lateRunners(merged.runners, options)],
    runners: merged.runners,
  };
}

/**
 * Runners released together start within one iteration interval of each other (each its segment's first
 * iteration); one that started sending later than that plus a second sent less than its share meanwhile.
 */
export function lateRunners(
  runners: readonly RunnerReport[],
  options: Pick<OperatorLoadOptions, 'parallelism' | 'rate'>,
): string[] {
  const starts = runners.flatMap((runner) => (runner.startedAt === undefined ? [] : [runner.startedAt]));
  if (starts.length === 0) return [];
  const first = Math.min(...starts);
  const allowedMs = 1000 + (1000 * options.parallelism) / options.rate;
  return runners
    .filter((runner) => runner.startedAt !== undefined && runner.startedAt - first > allowedMs)
    .map(
      (runner) =>
        `runner ${runner.runner} started sending ${(((runner.startedAt ?? first) - first) / 1000).toFixed(1)} s after the first (more than ${(allowedMs / 1000).toFixed(1)} s): its share of the load was missing until then`,
    );
}
