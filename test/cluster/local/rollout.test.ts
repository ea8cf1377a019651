import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { LocalCluster } from '../../../src/cluster/local/local-cluster.js';
import type { Sample } from '../../../src/load/sample.js';
import type { ClusterEvent } from '../../../src/runtime/events.js';
import { failures, type RolloutRun, rolloutUnderLoad, startCluster, synthObjects } from '../../helpers/local.js';

/**
 * The demo on the local cluster, fast profile (every duration × 0.1, so the
 * router reloads every 500 ms and the sample app boots for 200 ms and warms
 * up for 600 ms), 50 req/s on each variant.
 */
let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const RELOAD_MS = 500;

/** The pods the router had in its backend for `route` at `time`, from the event log. */
function routedPods(events: readonly ClusterEvent[], route: string, time: number): string[] {
  const reload = events.filter((e) => e.type === 'router-reloaded' && e.object === route && e.time <= time).at(-1);
  return reload?.detail?.replace('endpoints: ', '').split(', ') ?? [];
}

function exitedBefore(events: readonly ClusterEvent[], pod: string, time: number): boolean {
  return events.some((e) => e.object === pod && (e.type === 'sigterm' || e.type === 'pod-exited') && e.time <= time);
}

/** A 503 the app sent while warming up: it names a pod the rollouts created. */
function isWarmup503(sample: Sample, run: RolloutRun): boolean {
  if (sample.status !== 503 || sample.pod === undefined) return false;
  const created = run.events.find((e) => e.type === 'pod-created' && e.object === sample.pod);
  return created !== undefined && created.time >= run.triggeredAt;
}

/** A failure at the router because the pod it routed to had stopped listening. */
function isShutdownFailure(sample: Sample, run: RolloutRun, route: string): boolean {
  if (sample.pod !== undefined) return false;
  const time = sample.epochMs;
  return routedPods(run.events, route, time).some((pod) => exitedBefore(run.events, pod, time + sample.latencyMs));
}

function rolloutWindow(run: RolloutRun, workload: string): [number, number] {
  const ends = run.results.filter((r) => r.workload === workload).map((r) => r.endedAt);
  return [run.triggeredAt, Math.max(...ends) + 2 * RELOAD_MS];
}

describe('a rollout of the default variant drops requests; the zero-downtime variant drops none', () => {
  // One run of ten rounds for both tests: what the first asserts of the default variant holds for every round,
  // so ten rounds check it on more rollouts than the two it once had a cluster of its own for.
  let tenRounds: RolloutRun;
  beforeAll(async () => {
    const shared = await startCluster(synthObjects({}));
    try {
      tenRounds = await rolloutUnderLoad(shared, { rounds: 10 });
    } finally {
      await shared.stop();
    }
  }, 180_000);

  test('default variant: 503s from warming-up pods (and failures at old pods that stopped), all inside the rollout', () => {
    const run = tenRounds;
    const failed = failures(run, 'default-app');
    expect(failed.length).toBeGreaterThan(0);
    const warmup = failed.filter((s) => isWarmup503(s, run));
    const shutdown = failed.filter((s) => isShutdownFailure(s, run, 'default-app'));
    expect(warmup.length, 'app 503s from new pods still warming up').toBeGreaterThan(0);
    // Every failure is one of the two kinds: nothing unexplained.
    expect(warmup.length + shutdown.length).toBe(failed.length);
    const [from, to] = rolloutWindow(run, 'default-app');
    for (const sample of failed) {
      expect(sample.epochMs).toBeGreaterThanOrEqual(from);
      expect(sample.epochMs).toBeLessThanOrEqual(to);
    }
    // The zero-downtime variant, under the same load and rolled out at the same moments, drops none.
    expect(failures(run, 'zero-downtime-app')).toEqual([]);
    expect(run.samples.filter((s) => s.target === 'zero-downtime-app').length).toBeGreaterThan(100);
  });

  test('zero-downtime variant: no failed request in 10 of 10 rollouts', () => {
    const run = tenRounds;
    expect(run.results.filter((r) => r.workload === 'zero-downtime-app' && r.outcome === 'completed')).toHaveLength(10);
    expect(failures(run, 'zero-downtime-app')).toEqual([]);
    expect(failures(run, 'default-app').length).toBeGreaterThan(0);
  });
});

describe('each knob matters', () => {
  // With one replica, as in the seed, the terminating pod is often the route's only endpoint in the
  // router's view; with two, HAProxy's redispatch hides most shutdown errors (see the README). Whether a round
  // drops requests then depends on the router's reload phase: the old pod fails requests while it is the
  // route's only server for longer than the router's 2 s of retries, i.e. when the next reload comes more than
  // 2 s (with a 1 s preStop, 3 s) after its deletion — for 60 % of the phases (with a 1 s preStop and a 10 s
  // interval, 70 %). The rounds take their phases from a golden-ratio sequence (rolloutUnderLoad), whose
  // 3 (5) points leave no gap that wide: at least one round drops requests, by construction. A 3 s probe period makes the deletion come at 9 s, one
  // second after the app serves (8 s), not on the probe tick that would coincide with it at a 2 s period.
  const seedLike = {
    replicas: 1,
    workload: 'deployment' as const,
    zeroDowntime: { readinessProbe: { periodSeconds: 3 } },
  };

  test('without the readinessProbe, pods get traffic while they warm up', async () => {
    cluster = await startCluster(synthObjects({ zeroDowntime: { readinessProbe: false } }));
    const run = await rolloutUnderLoad(cluster, { rounds: 2 });
    const failed = failures(run, 'zero-downtime-app');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.some((s) => isWarmup503(s, run))).toBe(true);
  });

  test('without the preStop sleep, the old pod stops while the router still sends it requests', async () => {
    cluster = await startCluster(synthObjects(seedLike, { zeroDowntime: { preStop: false } }));
    const run = await rolloutUnderLoad(cluster, { rounds: 3 });
    const failed = failures(run, 'zero-downtime-app');
    expect(failed.length).toBeGreaterThan(0);
    for (const sample of failed) expect(isShutdownFailure(sample, run, 'zero-downtime-app')).toBe(true);
  });

  test('a preStop sleep shorter than the reload interval lets some through; a longer one none', async () => {
    // A 10 s interval and the native sleep action: the 1 s sleep fails requests for 70 % of the phases, with room
    // for a busy machine's late process starts (tens of ms, which the time scale does not shrink).
    const router = { reloadIntervalSeconds: 10 };
    const sleep = (sleepSeconds: number) => ({
      zeroDowntime: { preStop: { action: 'sleep' as const, sleepSeconds, shutdownCommand: '' } },
    });
    cluster = await startCluster(synthObjects(seedLike, sleep(1)), router);
    const short = await rolloutUnderLoad(cluster, { rounds: 5 });
    expect(failures(short, 'zero-downtime-app').length).toBeGreaterThan(0);
    await cluster.stop();
    cluster = await startCluster(synthObjects(seedLike, sleep(15)), router);
    const long = await rolloutUnderLoad(cluster, { rounds: 5 });
    expect(failures(long, 'zero-downtime-app')).toEqual([]);
  });
});
