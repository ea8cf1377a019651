import { afterAll, expect, test } from 'vitest';
import type { LocalCluster } from '../../../src/cluster/local/local-cluster.js';
import { failures, rolloutUnderLoad, startCluster, synthObjects } from '../../helpers/local.js';

/**
 * The seed's own timings, in real time: readinessProbe initialDelaySeconds 30
 * and periodSeconds 10, preStop `sleep 10; shutdown.sh`, grace 60, one replica,
 * the router reloading every 5 s. About two minutes.
 */
let cluster: LocalCluster | undefined;
afterAll(async () => {
  await cluster?.stop();
});

test('--preset seed at scale 1: the default app drops requests, custom-app none', { timeout: 240_000 }, async () => {
  cluster = await startCluster(synthObjects({ preset: 'seed' }), { timeScale: 1 });
  const run = await rolloutUnderLoad(cluster, { rate: 50, warmupMs: 3000, cooldownMs: 6000 });
  const custom = run.results.find((r) => r.workload === 'custom-app');
  // The new pod cannot be ready before the probe's 30 s initial delay.
  expect((custom?.endedAt ?? 0) - (custom?.startedAt ?? 0)).toBeGreaterThanOrEqual(30_000);
  const events = run.events;
  const oldPod = events.find((e) => e.type === 'pod-deleted' && e.workload === 'custom-app');
  const exited = events.find((e) => e.type === 'pod-exited' && e.object === oldPod?.object);
  // The old pod kept serving through `sleep 10`, then shutdown.sh (the sample app's shutdown.js) stopped it.
  expect((exited?.time ?? 0) - (oldPod?.time ?? 0)).toBeGreaterThanOrEqual(10_000);
  expect(exited?.detail).toMatch(/code 0/);
  expect(failures(run, 'default-app').length).toBeGreaterThan(20);
  expect(failures(run, 'custom-app')).toEqual([]);
});
