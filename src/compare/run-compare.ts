import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { LocalCluster } from '../cluster/local/local-cluster.js';
import { parseManifests } from '../cluster/local/objects.js';
import { delay } from '../cluster/local/timing.js';
import { UsageError } from '../errors.js';
import type { Sample } from '../load/sample.js';
import { type LoadRun, startLoad } from '../load/start-load.js';
import { addVariants, renderCharts } from '../manifests/variants.js';
import type { AppSpec } from '../spec/app-spec.js';
import type { ComparePlan } from './options.js';
import type { CompareRun, Round } from './result.js';

/** What the run reports as it goes (a progress line or log lines). */
export interface CompareProgress {
  phase(name: string, detail?: string): void;
  sample(sample: Sample): void;
  log(line: string): void;
}

/**
 * The compare flow on the local target: deploy both variants, wait until
 * they serve, put the same open-model load on both, roll both out at the
 * same moment (`rounds` times), keep the load for the cool-down, stop it.
 * Nothing it started outlives it, whatever happens.
 */
export async function runCompare(spec: AppSpec, plan: ComparePlan, progress: CompareProgress): Promise<CompareRun> {
  const rendered = renderCharts(addVariants(new App(), spec));
  const objects = parseManifests(rendered.map((variant) => ({ source: variant.fileName, yaml: variant.yaml })));
  const variants = [
    { name: spec.names.default, role: 'default' as const },
    { name: spec.names.zeroDowntime, role: 'zero-downtime' as const },
  ];
  const cluster = await LocalCluster.create({
    timeScale: plan.timeScale,
    router: plan.router,
    reloadIntervalSeconds: plan.reloadIntervalSeconds,
    reloads: plan.reloads,
  });
  const workDir = mkdtempSync(join(tmpdir(), 'zdd-compare-'));
  let load: LoadRun | undefined;
  try {
    const timing = cluster.timing;
    progress.phase('deploying', `${variants.map((v) => v.name).join(' and ')} on the local cluster`);
    await cluster.apply(objects);
    await cluster.waitUntilReady(timing.seconds(plan.timeoutSeconds)).catch((error: unknown) => {
      throw new UsageError(
        `the variants did not become reachable: ${error instanceof Error ? error.message : String(error)} (--timeout ${plan.timeoutSeconds})`,
      );
    });
    const routes = cluster.listRoutes();
    const targets = variants.map((variant) => {
      const route = routes.find((r) => r.service === variant.name || r.name === variant.name);
      if (!route)
        throw new UsageError(`${variant.name} has no Route or Ingress to send load to; use --expose route or ingress`);
      return { name: variant.name, url: route.url };
    });
    // An upper bound, so that the load stops by itself even if this process hangs.
    const maxDurationMs =
      timing.seconds(plan.warmupSeconds + plan.cooldownSeconds + plan.rounds * 2 * plan.timeoutSeconds) + 60_000;
    load = await startLoad({
      kind: plan.load,
      targets,
      rate: plan.rate,
      maxDurationMs,
      timeoutMs: 10_000,
      gated: [spec.names.zeroDowntime],
      maxErrorRate: plan.maxErrorRate,
      workDir,
      onSample: (sample) => progress.sample(sample),
      log: (line) => progress.log(line),
    });
    const startedAt = Date.now();
    progress.phase('warm-up', `${plan.rate} req/s on each variant with ${load.generator}`);
    await delay(timing.seconds(plan.warmupSeconds));
    const rounds: Round[] = [];
    for (let number = 1; number <= plan.rounds; number++) {
      progress.phase(`rollout ${number}/${plan.rounds}`, 'both variants at the same moment');
      const roundStart = Date.now();
      const rollouts = await Promise.all(variants.map((variant) => cluster.rollout(variant.name)));
      // The round ends when both rollouts completed and every old pod exited; the router follows on its own schedule.
      await cluster.waitUntilReady(timing.seconds(plan.timeoutSeconds), { router: false });
      rounds.push({ number, startedAt: roundStart, endedAt: Date.now(), rollouts });
    }
    progress.phase('cool-down');
    await delay(timing.seconds(plan.cooldownSeconds));
    await load.stop();
    const { samples, aggregates } = await load.done;
    const endedAt = Date.now();
    return {
      plan,
      loadGenerator: load.generator,
      variants,
      startedAt,
      endedAt,
      rounds,
      samples,
      aggregates,
      events: [...cluster.events.all()],
    };
  } finally {
    await load?.stop().catch(() => undefined);
    await cluster.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
