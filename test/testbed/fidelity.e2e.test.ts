import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reloadPhase } from '../../src/cluster/router/reload-phase.js';
import { KubeClient } from '../../src/kube/api-client.js';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.js';
import { zdd } from '../helpers/cli.js';
import { createNamespace, NO_TESTBED, testbedTitle } from '../helpers/control-plane.js';

/**
 * The local cluster against real controllers, with the router as a shared cluster runs it: reloading every
 * interval, on a timer in phase with nobody's rollout. Both routers take their phase at each round from the same
 * seed (`zdd compare --seed` locally, the test bed router's `seed` at each new revision), so that the phase — which
 * alone moves a round's failures by seconds — is the same on both sides, and what is compared is the rest of the
 * model: the Deployment controller, the pods, the endpoints, the router. Three rounds, real timings, about two
 * minutes.
 */
const SEED = 20261202;
const SLOW = 360_000;
let bed: Testbed;
let api: KubeClient;
const scratch = mkdtempSync(join(tmpdir(), 'zdd-test-fidelity-'));

beforeAll(async () => {
  if (NO_TESTBED) return;
  bed = await startTestbed({ reloads: 'periodic', seed: SEED });
  api = KubeClient.fromKubeconfig(bed.kubeconfig);
}, 120_000);

afterAll(async () => {
  api?.close();
  await bed?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** kubectl keeps its discovery cache under $HOME: a home of the test's own. */
function env(): Record<string, string> {
  return { ...(process.env as Record<string, string>), HOME: scratch, NO_COLOR: '1' };
}

async function summaryOf(stdout: string): Promise<CompareSummary> {
  const folder = /results:\s+(\S+)\/\s+\(/.exec(stdout)?.[1] ?? '';
  return JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as CompareSummary;
}

describe.skipIf(NO_TESTBED)(testbedTitle('fidelity of the local cluster to real controllers'), () => {
  test(
    'periodic reloads, 3 rounds, the same seed: failed counts within ±10 %, and the same reload phases',
    async () => {
      await createNamespace(api, 'fidelity');
      const same = [
        '--workload',
        'deployment',
        '--rounds',
        '3',
        '--connections',
        'reused',
        '--load',
        'builtin',
        '--warmup',
        '5',
        '--cooldown',
        '5',
      ];
      // Both at once: each side sees the same busy machine.
      const [onCluster, local] = await Promise.all([
        zdd(
          [
            'compare',
            '--target',
            'cluster',
            '--kubeconfig',
            bed.kubeconfig,
            '--namespace',
            'fidelity',
            '--router-address',
            bed.routerAddress,
            '--cleanup',
            '--results',
            join(scratch, 'cluster'),
            ...same,
          ],
          { env: env() },
        ),
        zdd(
          [
            'compare',
            '--router-reloads',
            'periodic',
            '--seed',
            String(SEED),
            '--results',
            join(scratch, 'local'),
            ...same,
          ],
          { env: env() },
        ),
      ]);
      const [real, modelled] = [await summaryOf(onCluster.stdout), await summaryOf(local.stdout)];
      // A verdict other than PASS names each variant's failures by kind, per connection pattern.
      const why = (stdout: string, summary: CompareSummary) =>
        `${/^(PASS|FAIL|INCONCLUSIVE)[^\n]*/m.exec(stdout)?.[0]} ${JSON.stringify(
          summary.variants.map((variant) => [variant.name, variant.byKind, variant.delivery]),
        )}`;
      expect(onCluster.exitCode, `real controllers: ${why(onCluster.stdout, real)}`).toBe(0);
      expect(local.exitCode, `local: ${why(local.stdout, modelled)}`).toBe(0);
      expect(modelled.rounds.map((round) => round.reloadPhase)).toEqual(
        [1, 2, 3].map((round) => reloadPhase(SEED, round)),
      );
      const failed = (summary: CompareSummary) => summary.variants[0]?.failed ?? 0;
      const perRound = (summary: CompareSummary) => summary.variants[0]?.rounds.map((round) => round.failed);
      const detail = `local ${failed(modelled)} ${JSON.stringify(perRound(modelled))}, real controllers ${failed(real)} ${JSON.stringify(perRound(real))}`;
      expect(failed(real), detail).toBeGreaterThan(0);
      expect(Math.abs(failed(modelled) - failed(real)) / failed(real), detail).toBeLessThanOrEqual(0.1);
    },
    SLOW,
  );
});
