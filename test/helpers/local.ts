import { App } from 'cdk8s';
import { LocalCluster, type LocalClusterOptions } from '../../src/cluster/local/local-cluster.js';
import { type ClusterObjects, parseManifests } from '../../src/cluster/local/objects.js';
import type { RolloutResult } from '../../src/cluster/rollout-result.js';
import { reloadPhase } from '../../src/cluster/router/reload-phase.js';
import { runOpenModel } from '../../src/load/open-model.js';
import type { Sample } from '../../src/load/sample.js';
import { addVariants, renderCharts } from '../../src/manifests/variants.js';
import type { ClusterEvent } from '../../src/runtime/events.js';
import { resolveSpec } from '../../src/spec/resolve.js';
import type { SpecLayer } from '../../src/spec/schema.js';
import { sleep } from './wait.js';

/** The objects `zdd synth` would write for these settings, read back as the local cluster reads files. */
export function synthObjects(...layers: SpecLayer[]): ClusterObjects {
  const rendered = renderCharts(addVariants(new App(), resolveSpec(layers)));
  return parseManifests(rendered.map((variant) => ({ source: variant.fileName, yaml: variant.yaml })));
}

/** Starts a local cluster with the objects and waits until it serves. */
export async function startCluster(objects: ClusterObjects, options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const cluster = await LocalCluster.create({ timeScale: 0.1, ...options });
  try {
    await cluster.apply(objects);
    await cluster.waitUntilReady(cluster.timing.seconds(200));
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

export interface RolloutRun {
  readonly samples: Sample[];
  readonly results: RolloutResult[];
  readonly events: readonly ClusterEvent[];
  /** Epoch ms when the rollouts were triggered. */
  readonly triggeredAt: number;
}

/**
 * Puts `rate` req/s on every route, triggers a rollout of every workload at
 * the same moment after `warmupMs`, and keeps the load `cooldownMs` after the
 * last rollout and every old pod have finished. `rounds` repeats the rollouts;
 * before each, the router's periodic reloads take the phase `zdd compare
 * --seed` gives that round (`seed`), so that rounds spread over the reload
 * cycle as in a compare, whatever the timings of the rounds before.
 */
export async function rolloutUnderLoad(
  cluster: LocalCluster,
  options: { rate?: number; warmupMs?: number; cooldownMs?: number; rounds?: number; seed?: number } = {},
): Promise<RolloutRun> {
  const { rate = 50, warmupMs = 500, cooldownMs = 700, rounds = 1, seed = 1 } = options;
  const stop = new AbortController();
  const targets = cluster.listRoutes().map((route) => ({ name: route.name, url: route.url }));
  const load = runOpenModel({ targets, rate, durationMs: 120_000, timeoutMs: 5000, signal: stop.signal });
  const results: RolloutResult[] = [];
  let triggeredAt = 0;
  try {
    await sleep(warmupMs);
    triggeredAt = Date.now();
    for (let round = 0; round < rounds; round++) {
      cluster.alignRouterReloads(reloadPhase(seed, round + 1));
      results.push(...(await Promise.all(cluster.listWorkloads().map((workload) => cluster.rollout(workload)))));
      await cluster.waitUntilReady(cluster.timing.seconds(200));
    }
    await sleep(cooldownMs);
  } finally {
    stop.abort();
  }
  const { samples } = await load;
  return { samples, results, events: [...cluster.events.all()], triggeredAt };
}

export function failures(run: RolloutRun, target: string): Sample[] {
  return run.samples.filter((sample) => sample.target === target && sample.error !== undefined);
}
