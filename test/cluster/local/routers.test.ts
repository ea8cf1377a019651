import { afterEach, expect, test } from 'vitest';
import type { LocalCluster } from '../../../src/cluster/local/local-cluster.js';
import { HaproxyRouter } from '../../../src/cluster/router/haproxy-router.js';
import { failures, type RolloutRun, rolloutUnderLoad, startCluster, synthObjects } from '../../helpers/local.js';

/** The same rollouts behind the built-in router and behind the real HAProxy. */
const haproxy = await HaproxyRouter.available();
let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function run(router: 'builtin' | 'haproxy'): Promise<RolloutRun> {
  cluster = await startCluster(synthObjects({}), { router });
  const result = await rolloutUnderLoad(cluster, { rounds: 2 });
  await cluster.stop();
  cluster = undefined;
  return result;
}

test.skipIf(!haproxy)(
  `built-in router and HAProxy agree on the same rollouts${haproxy ? '' : ' — skipped: haproxy is not installed (apt-get install haproxy)'}`,
  async () => {
    const builtin = await run('builtin');
    const real = await run('haproxy');
    expect(failures(builtin, 'zero-downtime-app')).toEqual([]);
    // HAProxy's soft reload closes idle client keep-alive connections; a request racing that close is
    // reset (measured: 0–2 per 2000 requests over 20 reloads, bench/haproxy-facts.ts; 6 of 780 under
    // stress-ng, whose scheduling delays widen the race). Nothing else may fail.
    const realZd = failures(real, 'zero-downtime-app');
    expect(realZd.filter((sample) => sample.error !== 'reset')).toEqual([]);
    expect(realZd.length).toBeLessThanOrEqual(real.samples.length * 0.015);
    for (const result of [builtin, real]) expect(failures(result, 'default-app').length).toBeGreaterThan(0);
    const ratio = failures(builtin, 'default-app').length / failures(real, 'default-app').length;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    // The default variant's failures are mostly the app's own 503s while it warms up, behind either router.
    for (const result of [builtin, real]) {
      const failed = failures(result, 'default-app');
      expect(failed.filter((s) => s.status === 503 && s.pod !== undefined).length / failed.length).toBeGreaterThan(0.5);
    }
  },
);
