import { App } from 'cdk8s';
import { parseImageMapping } from '../cluster/local/images.js';
import { checkLocalCapacity, LocalCluster } from '../cluster/local/local-cluster.js';
import { type ClusterObjects, parseManifests } from '../cluster/local/objects.js';
import { InterruptedError, SetupError } from '../errors.js';
import { patternsOf } from '../load/connections.js';
import type { Sample } from '../load/sample.js';
import { generatorName, type LoadRun, resolveLoadGenerator, startLoad } from '../load/start-load.js';
import { addVariants, renderCharts } from '../manifests/variants.js';
import { formatEvent } from '../runtime/events.js';
import { makeTempDir } from '../runtime/temp-dir.js';
import { delay } from '../runtime/timing.js';
import type { AppSpec } from '../spec/app-spec.js';
import type { ComparePlan } from './options.js';
import { checkLoadLimits, checkResultsFolder, loadBoundMs } from './preflight.js';
import type { CompareRun, Round } from './result.js';

/** What the run reports as it goes (a progress line or log lines). */
export interface CompareProgress {
  phase(name: string, detail?: string): void;
  sample(sample: Sample): void;
  log(line: string): void;
}

/** What a run that failed after deploying leaves for the user to read. */
export interface FailedRun {
  readonly error: unknown;
  readonly events: readonly unknown[];
  /** The pods' log folders; gone once `runCompare` returns, so copy them in `onFailure`. */
  readonly podLogsDir: string;
}

export interface RunCompareOptions {
  readonly progress: CompareProgress;
  /** Aborting stops the run: the load, the cluster, every process; then `InterruptedError` is thrown. */
  readonly signal?: AbortSignal;
  /** Called with what is left of a run that failed after deploying, before it is cleaned up. */
  readonly onFailure?: (failed: FailedRun) => Promise<string | undefined>;
  /** Called with the pods' log folder after a complete run, before it is cleaned up. */
  readonly onLogs?: (podLogsDir: string) => Promise<void>;
}

/** The manifests `compare` deploys, rendered from the spec as `zdd synth` writes them. */
export function compareObjects(spec: AppSpec): ClusterObjects {
  const rendered = renderCharts(addVariants(new App(), spec));
  return parseManifests(rendered.map((variant) => ({ source: variant.fileName, yaml: variant.yaml })));
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
  const objects = compareObjects(spec);
  const variants = [
    { name: spec.names.default, role: 'default' as const },
    { name: spec.names.zeroDowntime, role: 'zero-downtime' as const },
  ];
  const connections = patternsOf(plan.connections);
  const imageMappings = plan.imageCommands.map(parseImageMapping);
  checkLocalCapacity(objects);
  const generator = await resolveLoadGenerator(plan.load);
  if (generator.kind === 'builtin' && generator.reason) progress.log(generator.reason);
  const limits = checkLoadLimits(objects, plan, generator);
  await checkResultsFolder(plan.resultsDir);
  throwIfAborted(signal);

  const cluster = await LocalCluster.create({
    timeScale: plan.timeScale,
    router: plan.router,
    reloadIntervalSeconds: plan.reloadIntervalSeconds,
    reloads: plan.reloads,
    imageMappings,
  });
  const stopFollowing = cluster.events.follow((event) => {
    if (event.type === 'container-restarted') progress.log(formatEvent(event));
  });
  const workDir = makeTempDir('compare');
  let load: LoadRun | undefined;
  try {
    const timing = cluster.timing;
    progress.phase('deploying', `${variants.map((v) => v.name).join(' and ')} on the local cluster`);
    await cluster.apply(objects);
    await cluster.waitUntilReady(timing.seconds(plan.timeoutSeconds), { signal }).catch((error: unknown) => {
      throw new SetupError(
        `the variants did not become reachable (--timeout ${plan.timeoutSeconds}): ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    throwIfAborted(signal);
    const routes = cluster.listRoutes();
    const urls = variants.map((variant) => {
      const route = routes.find((r) => r.service === variant.name || r.name === variant.name);
      if (!route) {
        throw new SetupError(`${variant.name} has no Route or Ingress to send load to; use --expose route or ingress`);
      }
      return { name: variant.name, url: route.url };
    });
    load = await startLoad({
      generator,
      targets: urls.flatMap((target) => connections.map((connection) => ({ ...target, connection }))),
      rate: plan.rate / connections.length,
      maxDurationMs: loadBoundMs(plan),
      timeoutMs: 10_000,
      maxRequestsPerTarget: limits.maxRequestsPerTarget,
      gated: [spec.names.zeroDowntime],
      maxErrorRate: plan.maxErrorRate,
      workDir: workDir.path,
      onSample: (sample) => progress.sample(sample),
    });
    const startedAt = Date.now();
    progress.phase('warm-up', `${plan.rate} req/s on each variant with ${load.generator}`);
    await delay(timing.seconds(plan.warmupSeconds), signal);
    const rounds: Round[] = [];
    for (let number = 1; number <= plan.rounds && !signal?.aborted; number++) {
      progress.phase(`rollout ${number}/${plan.rounds}`, 'both variants at the same moment');
      const roundStart = Date.now();
      const rollouts = await Promise.all(variants.map((variant) => cluster.rollout(variant.name)));
      let problem: string | undefined;
      if (rollouts.every((rollout) => rollout.outcome === 'completed')) {
        // The round ends when every old pod has exited; the router follows on its own schedule.
        await cluster
          .waitUntilReady(timing.seconds(plan.timeoutSeconds), { router: false, signal })
          .catch((error: unknown) => {
            problem = `the old pods did not exit: ${error instanceof Error ? error.message : String(error)}`;
          });
      }
      rounds.push({ number, startedAt: roundStart, endedAt: Date.now(), rollouts, ...(problem && { problem }) });
      // A failed rollout leaves the workload in no state to roll out again: the run cannot be judged anyway.
      if (problem !== undefined || rollouts.some((rollout) => rollout.outcome !== 'completed')) break;
    }
    throwIfAborted(signal);
    progress.phase('cool-down');
    await delay(timing.seconds(plan.cooldownSeconds), signal);
    throwIfAborted(signal);
    await load.stop();
    const { samples, ...loadReport } = await load.done;
    await options.onLogs?.(cluster.podLogsDir);
    return {
      plan,
      loadGenerator: generatorName(generator),
      variants,
      connections,
      startedAt,
      endedAt: Date.now(),
      rounds,
      samples,
      load: loadReport,
      events: [...cluster.events.all()],
    };
  } catch (error) {
    await load?.stop().catch(() => undefined);
    const kept = await options
      .onFailure?.({ error, events: [...cluster.events.all()], podLogsDir: cluster.podLogsDir })
      .catch(() => undefined);
    if (kept !== undefined && error instanceof Error && !(error instanceof InterruptedError)) {
      error.message = `${error.message}\n(the events and the pods' logs are in ${kept}/)`;
    }
    throw error;
  } finally {
    stopFollowing();
    await load?.stop().catch(() => undefined);
    await cluster.stop();
    workDir.remove();
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError(signalName(signal));
}

function signalName(signal: AbortSignal): NodeJS.Signals {
  return signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}
