import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { parseImageMapping } from '../cluster/local/images.js';
import { checkLocalCapacity } from '../cluster/local/local-cluster.js';
import { parseManifests } from '../cluster/local/objects.js';
import type { ClusterCli } from '../cluster/remote/kubectl.js';
import { reloadPhase } from '../cluster/router/reload-phase.js';
import type { CompareTarget, TargetRoute } from '../cluster/target.js';
import { patternsOf } from '../load/connections.js';
import { checkOperatorAccess } from '../load/k6-operator/preflight.js';
import type { LoadGenerator, LoadRun, StartLoadOptions } from '../load/load-run.js';
import type { LiveSample } from '../load/sample.js';
import { generatorName, resolveLoadGenerator, startLoad } from '../load/start-load.js';
import { addVariants, type RenderedVariant, renderCharts } from '../manifests/variants.js';
import { platformProfile } from '../platforms/index.js';
import type { CompareRun, Round } from '../results-folder/run-result.js';
import { InterruptedError, SetupError, ToolError } from '../runtime/errors.js';
import { formatEvent } from '../runtime/events.js';
import { checkTempRoot, makeTempDir } from '../runtime/temp-dir.js';
import { delay, type Timing } from '../runtime/timing.js';
import type { AppSpec } from '../spec/app-spec.js';
import { compareFloorSeconds } from './floor.js';
import { loadPlan } from './load-plan.js';
import { openTarget } from './open-target.js';
import { type ComparePlan, localRateNote } from './options.js';
import { checkLoadLimits, checkResultsFolder } from './preflight.js';
import { checkTimeScale } from './time-scale-check.js';

/** What the run reports as it goes (a progress line or log lines). */
export interface CompareProgress {
  /** The variants, and the real time the run is expected to take (its floor at the time scale) when known. */
  start?(run: { readonly variants: readonly string[]; readonly expectedMs?: number }): void;
  phase(name: string, detail?: string): void;
  sample(sample: LiveSample): void;
  log(line: string): void;
}

/** What a run that failed after deploying leaves for the user to read. */
export interface FailedRun {
  readonly error: unknown;
  readonly events: readonly unknown[];
  /** The pods' log folders (local target); gone once `runCompare` returns, so copy them in `onFailure`. */
  readonly podLogsDir?: string;
}

export interface RunCompareOptions {
  readonly progress: CompareProgress;
  /** Aborting stops the run: the load, the cluster, every process; then `InterruptedError` is thrown. */
  readonly signal?: AbortSignal;
  /** Called with what is left of a run that failed after deploying, before it is cleaned up. */
  readonly onFailure?: (failed: FailedRun) => Promise<string | undefined>;
  /** Called with the pods' log folder after a complete run, before it is cleaned up. */
  readonly onLogs?: (podLogsDir: string) => Promise<void>;
  /**
   * Where the cluster target writes its manifests file and `cluster-run.json` before it creates anything (the
   * results' `.partial` folder). @default - `run-<run id>` in the results folder
   */
  readonly recordDir?: string;
  /** Flags the user gave that the cluster target's hints would otherwise name (`--name-default`, `--run-id`). */
  readonly givenFlags?: ReadonlySet<string>;
}

/**
 * The compare flow on the local target. Every check that can fail without a
 * cluster runs first (limits, the load generator, the results folder); then:
 * deploy both variants, wait until they serve, put the same open-model load on
 * both, roll both out at the same moment (`rounds` times; a failed rollout
 * ends the rounds), keep the load for the cool-down, stop it. Nothing it
 * started outlives it, whatever happens.
 */
export async function runCompare(spec: AppSpec, plan: ComparePlan, options: RunCompareOptions): Promise<CompareRun> {
  const { progress, signal } = options;
  const prepared = await prepareRun(spec, plan, progress);
  const { variants, connections, generator, rateNote } = prepared;
  throwIfAborted(signal);

  const { target, cli } = await openTarget(plan, {
    imageMappings: prepared.imageMappings,
    log: (line) => progress.log(line),
    recordDir: options.recordDir ?? join(plan.resultsDir, `run-${plan.cluster.runId}`),
    ...(options.givenFlags && { givenFlags: options.givenFlags }),
  });
  await checkBeforeCreating(target, { ...prepared, plan, cli }, progress, signal);
  const stopFollowing = target.events.follow((event) => {
    if (event.type === 'container-restarted' || event.type === 'pod-waiting') progress.log(formatEvent(event));
  });
  const workDir = makeTempDir('compare');
  let load: LoadRun | undefined;
  try {
    const timing = target.timing;
    await deployVariants(target, prepared, plan, progress, signal);
    const routes = await target.routes(
      variants.map((variant) => variant.name),
      signal,
    );
    throwIfAborted(signal);
    load = await startRunLoad(spec, plan, prepared, {
      routes,
      timing,
      workDir: workDir.path,
      progress,
      ...(cli && { cluster: { cli, runId: plan.cluster.runId, log: (line) => progress.log(line), signal } }),
    });
    const startedAt = Date.now();
    progress.phase('warm-up', `${plan.rate} req/s on each variant with ${load.generator}`);
    await delay(timing.seconds(plan.warmupSeconds), signal);
    const rounds = await runRounds(target, plan, variants, progress, signal);
    throwIfAborted(signal);
    progress.phase('cool-down');
    await delay(timing.seconds(plan.cooldownSeconds), signal);
    throwIfAborted(signal);
    await load.stop();
    const { samples, ...loadReport } = await load.done;
    if (target.podLogsDir !== undefined) await options.onLogs?.(target.podLogsDir);
    return {
      plan,
      targetDescription: target.description,
      loadGenerator: generatorName(generator),
      variants,
      connections,
      startedAt,
      endedAt: Date.now(),
      rounds,
      samples,
      load: rateNote ? { ...loadReport, notes: [...loadReport.notes, rateNote] } : loadReport,
      events: [...target.events.all()],
    };
  } catch (error) {
    await load?.stop().catch(() => undefined);
    const kept = await options
      .onFailure?.({ error, events: [...target.events.all()], podLogsDir: target.podLogsDir })
      .catch(() => undefined);
    if (kept !== undefined && error instanceof Error && !(error instanceof InterruptedError)) {
      error.message = `${error.message}\n(the events and the pods' logs are in ${kept}/)`;
    }
    throw error;
  } finally {
    stopFollowing();
    await load?.stop().catch(() => undefined);
    await target.stop();
    workDir.remove();
    const note = target.closingNote?.();
    if (note) progress.log(note);
  }
}

/** What the run needs before it opens the target, after every check that needs no cluster. */
interface PreparedRun {
  readonly rendered: RenderedVariant[];
  readonly variants: CompareRun['variants'];
  readonly connections: ReturnType<typeof patternsOf>;
  readonly imageMappings: ReturnType<typeof parseImageMapping>[];
  readonly generator: LoadGenerator;
  readonly limits: ReturnType<typeof checkLoadLimits>;
  readonly rateNote: string | undefined;
}

/** Renders the variants and runs every check that can fail without a cluster (limits, load generator, folders). */
async function prepareRun(spec: AppSpec, plan: ComparePlan, progress: CompareProgress): Promise<PreparedRun> {
  const rendered = renderCharts(addVariants(new App(), spec));
  const objects = parseManifests(rendered.map((variant) => ({ source: variant.fileName, yaml: variant.yaml })));
  const variants = [
    { name: spec.names.default, role: 'default' as const },
    { name: spec.names.zeroDowntime, role: 'zero-downtime' as const },
  ];
  // For the progress: what the run takes in real time at least (its floor; `npm run bench` measures runs against it).
  const expectedMs = compareFloorSeconds(objects, plan) * 1000 * plan.timeScale;
  progress.start?.({
    variants: variants.map((variant) => variant.name),
    ...(Number.isFinite(expectedMs) && expectedMs > 0 && { expectedMs }),
  });
  const connections = patternsOf(plan.connections);
  const imageMappings = plan.imageCommands.map(parseImageMapping);
  if (plan.target === 'local') checkLocalCapacity(objects);
  const generator = await resolveLoadGenerator(plan.load, plan.k6Operator);
  if (generator.kind === 'builtin' && generator.reason) progress.log(generator.reason);
  checkTimeScale(objects, plan);
  const limits = checkLoadLimits(objects, plan, generator);
  const rateNote = localRateNote(plan, availableParallelism());
  if (rateNote) progress.log(`note: ${rateNote}`);
  checkTempRoot();
  await checkResultsFolder(plan.resultsDir);
  return { rendered, variants, connections, imageMappings, generator, limits, rateNote };
}

/**
 * Checked before anything is created (the target's access, permissions and names; the k6-operator's API and
 * permissions): a refusal says its own cause and leaves nothing behind.
 */
async function checkBeforeCreating(
  target: CompareTarget,
  run: Pick<PreparedRun, 'rendered' | 'generator'> & { readonly plan: ComparePlan; readonly cli?: ClusterCli },
  progress: CompareProgress,
  signal: AbortSignal | undefined,
): Promise<void> {
  const operator = run.generator.kind === 'k6-operator' ? run.cli : undefined;
  if (!target.check && !operator) return;
  progress.phase('checking', `access, permissions and names on ${target.description}`);
  try {
    await target.check?.(run.rendered);
    if (operator) await checkOperatorAccess(operator, { cleanup: run.plan.cluster.cleanup });
    throwIfAborted(signal);
  } catch (error) {
    await target.stop();
    throw error;
  }
}

async function deployVariants(
  target: CompareTarget,
  { rendered, variants }: PreparedRun,
  plan: ComparePlan,
  progress: CompareProgress,
  signal: AbortSignal | undefined,
): Promise<void> {
  progress.phase('deploying', `${variants.map((v) => v.name).join(' and ')} on ${target.description}`);
  await target.deploy(rendered, target.timing.seconds(plan.timeoutSeconds), signal).catch((error: unknown) => {
    // A tool that failed (HAProxy, kubectl) is named as such, not as an unreachable variant; the cluster
    // target words each of its failures (a refusal, an image that cannot be pulled, --timeout) itself.
    if (error instanceof ToolError || error instanceof InterruptedError || plan.target === 'cluster') throw error;
    throw new SetupError(
      `the variants did not become reachable (--timeout ${plan.timeoutSeconds}): ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  throwIfAborted(signal);
}

/** The run's load (`loadPlan`), started with the generator resolved before anything was deployed. */
function startRunLoad(
  spec: AppSpec,
  plan: ComparePlan,
  { connections, generator, limits }: PreparedRun,
  run: {
    routes: readonly TargetRoute[];
    timing: Timing;
    workDir: string;
    progress: CompareProgress;
    cluster?: StartLoadOptions['cluster'];
  },
): Promise<LoadRun> {
  return startLoad({
    ...loadPlan(spec, plan, connections, run.routes, run.timing),
    generator,
    ...(run.cluster && { cluster: run.cluster }),
    maxRequestsPerTarget: limits.maxRequestsPerTarget,
    workDir: run.workDir,
    onSample: (sample) => run.progress.sample(sample),
  });
}

/** Rolls out both variants at the same moment, `plan.rounds` times; a failed rollout ends the rounds. */
async function runRounds(
  target: CompareTarget,
  plan: ComparePlan,
  variants: CompareRun['variants'],
  progress: CompareProgress,
  signal: AbortSignal | undefined,
): Promise<Round[]> {
  const timing = target.timing;
  const rounds: Round[] = [];
  for (let number = 1; number <= plan.rounds && !signal?.aborted; number++) {
    progress.phase(`rollout ${number}/${plan.rounds}`, 'both variants at the same moment');
    const phase = roundReloadPhase(plan, number);
    if (phase !== undefined) target.alignRouterReloads?.(phase);
    const roundStart = Date.now();
    const rollouts = await Promise.all(
      variants.map((variant) => target.rollout(variant.name, timing.seconds(plan.timeoutSeconds))),
    );
    let problem: string | undefined;
    if (rollouts.every((rollout) => rollout.outcome === 'completed')) {
      // The round ends when every old pod has exited; the router follows on its own schedule.
      await target.settle(timing.seconds(plan.timeoutSeconds), signal).catch((error: unknown) => {
        problem = `the old pods did not exit: ${error instanceof Error ? error.message : String(error)}`;
      });
    }
    rounds.push({
      number,
      startedAt: roundStart,
      endedAt: Date.now(),
      rollouts,
      ...(phase !== undefined && { reloadPhase: phase }),
      ...(problem && { problem }),
    });
    // A failed rollout leaves the workload in no state to roll out again: the run cannot be judged anyway.
    if (problem !== undefined || rollouts.some((rollout) => rollout.outcome !== 'completed')) break;
  }
  return rounds;
}

/** Where the local router's periodic reloads stand when round `number` starts; none for a router zdd does not run. */
function roundReloadPhase(plan: ComparePlan, number: number): number | undefined {
  const reloading = platformProfile(plan.platform).emulation.kind === 'reload-interval';
  return plan.target === 'local' && reloading && plan.reloads === 'periodic'
    ? reloadPhase(plan.seed, number)
    : undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw InterruptedError.fromAbort(signal);
}
