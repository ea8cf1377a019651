/**
 * `--load k6-operator` on the test bed: the highest open-model rate N runners (N = 1, 2, 4) keep up with together
 * through the router's Service, read back from their logs and merged, against one local k6 sending through the same
 * router, in the same run (no failure, ≤ 1 % dropped, every runner's log complete). On this 2-core machine the
 * ceiling is the machine, shared by runners, router and app: the figure shows what the log path and the merge cost.
 * Skipped without the test bed, the operator's build or k6.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findClusterCli } from '../src/cluster/remote/kubectl.js';
import { KubeClient } from '../src/kube/api-client.js';
import { scenarioName } from '../src/load/k6/args.js';
import { findK6, startK6 } from '../src/load/k6/run.js';
import { startOperatorLoad } from '../src/load/k6-operator/operator-load.js';
import { mergeRunnerLogs } from '../src/load/k6-operator/runner-log.js';
import { defaultBinDir, missingBinaries } from '../src/testbed/control-plane.js';
import { k6OperatorBuild } from '../src/testbed/k6-operator.js';
import { startTestbed } from '../src/testbed/testbed.js';

const RATES = [250, 500, 1000, 1500, 2000, 3000, 4000];
const DURATION_MS = 5000;
const NAMESPACE = 'bench';
const HOST = `web-${NAMESPACE}.apps.testbed.zdd`;
const k6 = findK6();

const APP = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NAMESPACE },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'zdd-sample-app:latest', ports: [{ containerPort: 8080 }] }] },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: NAMESPACE },
    spec: { selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 8080 }] },
  },
  {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'web', namespace: NAMESPACE },
    spec: { to: { kind: 'Service', name: 'web' } },
  },
];

/** Why a step fell short, or undefined when it kept up. */
type Step = (rate: number) => Promise<string | undefined>;

/** The highest rate of the ladder kept up with (each step tried twice: one stall of a busy machine is no ceiling). */
async function highest(step: Step): Promise<{ rate: number; why?: string }> {
  let best = 0;
  for (const rate of RATES) {
    const why = (await step(rate)) && (await step(rate));
    if (why) return { rate: best, why: `at ${rate}: ${why}` };
    best = rate;
  }
  return { rate: best };
}

/** What fell short in a step: failures by kind, dropped iterations, problems with the runners' logs. */
function shortfall(
  errors: readonly (string | undefined)[],
  dropped: number,
  rate: number,
  problems: readonly string[] = [],
): string | undefined {
  const failed = errors.filter((error) => error !== undefined);
  const reasons = [
    ...(failed.length > 0 ? [`${failed.length} failed (${[...new Set(failed)].join(', ')})`] : []),
    ...(dropped > rate * 0.05 ? [`${dropped} dropped`] : []),
    ...problems,
  ];
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

async function localK6KeepsUp(k6Path: string, router: string, rate: number): Promise<string | undefined> {
  const workDir = mkdtempSync(join(tmpdir(), 'zdd-bench-k6-'));
  try {
    const targets = [{ name: 'app', url: `http://${router}/`, host: HOST }];
    const run = startK6({ k6Path, targets, rate, maxDurationMs: DURATION_MS, timeoutMs: 2000, workDir });
    const result = await run.done;
    const dropped = result.droppedIterations.get(scenarioName('app')) ?? 0;
    return shortfall(
      result.samples.map((sample) => sample.error),
      dropped,
      rate,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function runnersKeepUp(
  kubeconfig: string,
  router: string,
  parallelism: number,
  rate: number,
): Promise<string | undefined> {
  const workDir = mkdtempSync(join(tmpdir(), 'zdd-bench-k6-operator-'));
  try {
    const cli = findClusterCli({ kubeconfig, namespace: NAMESPACE });
    const run = await startOperatorLoad({
      cli,
      runId: 'bench',
      parallelism,
      targets: [{ name: 'app', url: `http://${router}/`, host: HOST, connection: 'reused' }],
      allowRemote: true,
      rate,
      maxDurationMs: DURATION_MS,
      timeoutMs: 2000,
      workDir,
      log: () => {},
    });
    // The runners end by themselves after DURATION_MS; the stop then only removes the TestRun.
    const result = await run.done;
    await run.stop();
    const dropped = result.delivery.reduce((sum, stream) => sum + stream.dropped, 0);
    return shortfall(
      result.samples.map((sample) => sample.error),
      dropped,
      rate,
      result.problems,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** How long the merge of `runners` logs holding `requests` requests in all takes, ms (median of 3). */
function mergeMs(runners: number, requests: number): number {
  const logs = Array.from({ length: runners }, (_, index) => {
    const own = Math.floor(requests / runners);
    const lines = Array.from({ length: own }, (_, i) => {
      const end = 1_800_000_000_000 + i * runners + index;
      return `zdd-sample {"t":"app","c":"reused","i":${i},"end":${end},"b":0.01,"d":2.5,"s":200,"p":"web-1"}`;
    });
    return { runner: `r-${index}`, text: [...lines, `zdd-summary {"httpReqs":${own},"dropped":{}}`].join('\n') };
  });
  const times = [0, 1, 2].map(() => {
    const started = performance.now();
    mergeRunnerLogs(logs, { targets: ['app'] });
    return performance.now() - started;
  });
  return times.sort((a, b) => a - b)[1] ?? 0;
}

if (missingBinaries(defaultBinDir()).length > 0 || k6OperatorBuild(defaultBinDir()) === undefined || !k6) {
  console.log('k6-operator load: skipped (needs testbed/build.sh, with the k6-operator, and k6)');
} else {
  const bed = await startTestbed({ reloads: 'coalesced', k6Operator: true, k6 });
  const api = KubeClient.fromKubeconfig(bed.kubeconfig);
  try {
    await api.create({ apiVersion: 'v1', plural: 'namespaces' }, { metadata: { name: NAMESPACE } });
    for (const object of APP) {
      const plural = `${object.kind.toLowerCase()}s`;
      await api.create({ apiVersion: object.apiVersion, plural, namespace: NAMESPACE }, object);
    }
    // Until the router serves the app (the first local run that keeps up at the lowest rate).
    for (let tries = 0; tries < 30 && (await localK6KeepsUp(k6, bed.routerAddress, 10)); tries++);
    const service = bed.routerServiceAddress ?? '';
    const baseline = await highest((rate) => localK6KeepsUp(k6, bed.routerAddress, rate));
    console.log(
      `k6-operator load on the test bed, highest open-model rate kept up with for ${DURATION_MS / 1000} s through the router (ladder ${RATES.join(', ')} req/s)`,
    );
    const why = (step: { why?: string }) => (step.why ? `; short ${step.why}` : '');
    console.log(`  one local k6 (baseline)   ${baseline.rate} req/s${why(baseline)}`);
    for (const parallelism of [1, 2, 4]) {
      const best = await highest((rate) => runnersKeepUp(bed.kubeconfig, service, parallelism, rate));
      const ratio = baseline.rate > 0 ? (best.rate / baseline.rate).toFixed(2) : 'n/a';
      console.log(`  ${parallelism} runner(s), merged      ${best.rate} req/s (${ratio}× the local k6)${why(best)}`);
    }
    // The merge itself, on logs as large as a run of up to 10 minutes at the local k6's rate (a million requests at
    // most): its share of that run's time.
    const requests = Math.min(Math.max(baseline.rate, 1) * 600, 1_000_000);
    const runMs = (requests / Math.max(baseline.rate, 1)) * 1000;
    const ms = mergeMs(4, requests);
    console.log(
      `  merging 4 runners' logs of ${requests} requests: ${Math.round(ms)} ms, ${((ms / runMs) * 100).toFixed(2)} % of the ${Math.round(runMs / 1000)} s they record`,
    );
  } finally {
    api.close();
    await bed.stop();
  }
}
