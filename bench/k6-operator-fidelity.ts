/**
 * Does the load from the k6-operator's runners see what the load from this machine sees? The same compare on the
 * test bed with `--load k6` (one local k6, through the router's address on 127.0.0.1) and with `--load k6-operator
 * --parallelism 1` (one runner pod, through the router's Service on the test bed's network), RUNS times each,
 * alternately; prints the default variant's failed requests and error rate per run, and the difference of the
 * means. Target: within 10 %. Separate from `npm run bench` (it judges, it does not time):
 * `npx tsx bench/k6-operator-fidelity.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePlan } from '../src/compare-flow/options.js';
import { runCompare } from '../src/compare-flow/run-compare.js';
import { KubeClient } from '../src/kube/api-client.js';
import { findK6 } from '../src/load/k6/run.js';
import { summarizeRun } from '../src/results-folder/run-result.js';
import { resolveSpec } from '../src/spec/resolve.js';
import { defaultBinDir, missingBinaries } from '../src/testbed/control-plane.js';
import { k6OperatorBuild } from '../src/testbed/k6-operator.js';
import { startTestbed } from '../src/testbed/testbed.js';

const RUNS = Number(process.env.RUNS ?? 2);
const k6 = findK6();
const quiet = { phase() {}, sample() {}, log() {} };

if (missingBinaries(defaultBinDir()).length > 0 || k6OperatorBuild(defaultBinDir()) === undefined || !k6) {
  console.log('k6-operator fidelity: skipped (needs testbed/build.sh, with the k6-operator, and k6)');
} else {
  const bed = await startTestbed({ reloads: 'coalesced', k6Operator: true, k6 });
  const api = KubeClient.fromKubeconfig(bed.kubeconfig);
  const results = mkdtempSync(join(tmpdir(), 'zdd-bench-results-'));
  const failed: Record<'k6' | 'k6-operator', number[]> = { k6: [], 'k6-operator': [] };
  let runs = 0;
  try {
    for (let index = 0; index < RUNS; index++) {
      for (const load of ['k6', 'k6-operator'] as const) {
        const namespace = `fidelity-${++runs}`;
        await api.create({ apiVersion: 'v1', plural: 'namespaces' }, { metadata: { name: namespace } });
        const plan = comparePlan({
          target: 'cluster',
          kubeconfig: bed.kubeconfig,
          namespace,
          routerAddress: bed.routerAddress,
          load,
          ...(load === 'k6-operator' && {
            k6Operator: { parallelism: 1, runnerRouterAddress: bed.routerServiceAddress ?? '' },
          }),
          warmup: 5,
          cooldown: 5,
          cleanup: true,
          results,
        });
        const run = await runCompare(resolveSpec([]), plan, { progress: quiet, recordDir: join(results, namespace) });
        const defaults = summarizeRun(run).find((variant) => variant.role === 'default');
        failed[load].push(defaults?.failed ?? 0);
        console.log(
          `  ${load.padEnd(11)} run ${index + 1}: default variant ${defaults?.failed} of ${defaults?.requests} failed (${((defaults?.errorRate ?? 0) * 100).toFixed(2)} %)`,
        );
      }
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const local = mean(failed.k6);
    const inside = mean(failed['k6-operator']);
    const difference = local > 0 ? Math.abs(inside - local) / local : Number.NaN;
    console.log(
      `k6-operator fidelity: the default variant's failed requests, mean of ${RUNS}: --load k6 ${local.toFixed(1)}, --load k6-operator --parallelism 1 ${inside.toFixed(1)}: ${(difference * 100).toFixed(1)} % apart (target ≤ 10 %: ${difference <= 0.1 ? 'meets' : 'misses'})`,
    );
  } finally {
    api.close();
    await bed.stop();
    rmSync(results, { recursive: true, force: true });
  }
}
