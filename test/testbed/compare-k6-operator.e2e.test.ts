import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeClient } from '../../src/kube/api-client.js';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.js';
import { zdd } from '../helpers/cli.js';
import { createNamespace } from '../helpers/control-plane.js';
import { judgedRun } from '../helpers/judged-run.js';
import { K6, NO_K6_OPERATOR, NO_K6_OPERATOR_REASON } from '../helpers/k6-operator.js';
import { flat } from '../helpers/terminal-text.js';

/**
 * `zdd compare --target cluster --load k6-operator` through the real CLI and kubectl, on the test bed with the
 * real grafana/k6-operator: its runner pods (the local k6) send from the test bed's cluster network to the router's
 * Service, and zdd merges their logs into the one table, verdict and timeline.
 */
const scratch = mkdtempSync(join(tmpdir(), 'zdd-test-k6-operator-compare-'));
let bed: Testbed;
let api: KubeClient;

beforeAll(async () => {
  if (NO_K6_OPERATOR) return;
  bed = await startTestbed({ reloads: 'coalesced', k6Operator: true, k6: K6 });
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

function summaryOf(stdout: string): CompareSummary {
  const folder = /results:\s+(\S+)\/\s+\(/.exec(flat(stdout))?.[1] ?? '';
  return JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as CompareSummary;
}

describe.skipIf(NO_K6_OPERATOR)(`zdd compare --load k6-operator on the test bed${NO_K6_OPERATOR_REASON}`, () => {
  test("parallelism 3: the default variant fails, the zero-downtime one passes; the counts are the runners' own, each runner with its segment in summary.json; --cleanup leaves nothing", async () => {
    let ns = '';
    let attempt = 0;
    const result = await judgedRun('a k6-operator PASS run', async () => {
      ns = `zdd-k6op-${++attempt}`;
      await createNamespace(api, ns);
      return zdd(
        [
          'compare',
          '--target',
          'cluster',
          '--kubeconfig',
          bed.kubeconfig,
          '--namespace',
          ns,
          // zdd checks each route answers from here; the runners send from inside, to the router's Service.
          '--router-address',
          bed.routerAddress,
          '--load',
          'k6-operator',
          '--parallelism',
          '3',
          '--runner-router-address',
          bed.routerServiceAddress ?? '',
          '--warmup',
          '5',
          '--cooldown',
          '5',
          '--cleanup',
          '--results',
          join(scratch, `results-${ns}`),
        ],
        { env: env() },
      );
    });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const summary = summaryOf(result.stdout);
    expect(summary.settings.loadGenerator).toBe('k6-operator (3 runners of grafana/k6:1.8.1)');
    const [defaults, zd] = summary.variants;
    expect(defaults?.failed).toBeGreaterThan(0);
    expect(zd?.failed).toBe(0);
    expect(summary.verdict.outcome).toBe('pass');

    const runners = summary.load.runners ?? [];
    expect(runners.map((runner) => runner.segment)).toEqual(['0:1/3', '1/3:2/3', '2/3:1']);
    // The table's counts are every request the runners logged, and each runner's log holds at least its own
    // k6's http_reqs (a request that ended as k6 stopped is logged after k6 closed its count: a few at most).
    const logged = runners.reduce((sum, runner) => sum + runner.requests, 0);
    expect((defaults?.requests ?? 0) + (zd?.requests ?? 0)).toBe(logged);
    for (const runner of runners) {
      expect(runner.requests - (runner.httpReqs ?? Number.NaN), runner.runner).toBeGreaterThanOrEqual(0);
      expect(runner.requests - (runner.httpReqs ?? Number.NaN), runner.runner).toBeLessThanOrEqual(5);
      expect(Object.values(runner.dropped)).toEqual([0, 0, 0, 0]);
    }
    // Split, not multiplied: a third each, give or take the iterations at the edges.
    for (const runner of runners) expect(Math.abs(runner.requests - logged / 3)).toBeLessThan(logged * 0.05);
    expect(flat(result.stdout)).toMatch(/runner zdd-load-[0-9a-f]{6}-1-\S+ \(segment 0:1\/3\): \d+ requests read/);
    // The timeline is drawn from the merged samples.
    const folder = /results:\s+(\S+)\/\s+\(/.exec(flat(result.stdout))?.[1] ?? '';
    expect(readFileSync(join(folder, 'timeline.svg'), 'utf8')).toContain('<svg');

    // --cleanup: the ConfigMap and TestRun went with the variants, and the runners' pods with the TestRun.
    const left = await execa(
      'kubectl',
      ['--kubeconfig', bed.kubeconfig, '-n', ns, 'get', 'configmaps,testruns.k6.io,jobs,pods', '-o', 'name'],
      { env: env(), reject: false },
    );
    expect(left.exitCode, left.stderr).toBe(0);
    expect(left.stdout.trim()).toBe('');
  }, 420_000);

  test('the file --dry-run writes is what the API server and the CRD accept (kubectl create --dry-run=server)', async () => {
    const ns = 'zdd-k6op-dry';
    await createNamespace(api, ns);
    const dry = await zdd(
      [
        'compare',
        '--target',
        'cluster',
        '--dry-run',
        '--kubeconfig',
        bed.kubeconfig,
        '--namespace',
        ns,
        '--load',
        'k6-operator',
        '--parallelism',
        '2',
        '--runner-toleration',
        'dedicated=load:NoSchedule',
        '--runner-limits',
        'cpu=1,memory=512Mi',
        '--results',
        join(scratch, 'results-dry'),
      ],
      { env: env() },
    );
    expect(dry.exitCode, dry.stderr).toBe(0);
    const file = /--filename (\S+k6-operator-load\.json)$/m.exec(dry.stdout)?.[1] ?? '';
    const checked = await execa(
      'kubectl',
      ['--kubeconfig', bed.kubeconfig, 'create', '--dry-run=server', '--filename', file, '-o', 'name'],
      { env: env(), reject: false },
    );
    expect(checked.exitCode, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/configmap\/zdd-load-[0-9a-f]{6}-script\ntestrun\.k6\.io\/zdd-load-[0-9a-f]{6}/);
  });
});
