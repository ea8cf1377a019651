import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsAlbIp } from '../../src/platforms/aws-alb-ip.js';
import { platformTimings } from '../../src/platforms/timings.js';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { zdd } from '../helpers/cli.js';
import { flat } from '../helpers/terminal-text.js';

/**
 * Behind the ALB's emulation through the real CLI (a removed target keeps getting new requests for 70 s, a
 * refused connection is a 502): the variant synthesized for the OpenShift router (preStop 10 s) leaves the old
 * pods routed to for a minute after they stopped, while the one synthesized for aws-alb-ip (75 s) outlasts the
 * deregistration. At time scale 0.1 each run takes about 20 s; the counts are far from any margin.
 */
const RUN = ['--time-scale', '0.1', '--load', 'builtin', '--rate', '8'];
let results: string;
beforeAll(async () => {
  results = await mkdtemp(join(tmpdir(), 'zdd-test-platform-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
});

async function compare(args: readonly string[]) {
  const dir = await mkdtemp(join(results, 'run-'));
  const run = await zdd(['compare', ...RUN, ...args, '--warmup', '5', '--cooldown', '5', '--results', dir]);
  const [folder] = (await readdir(dir)).filter((name) => !name.includes('.'));
  const summary =
    folder === undefined
      ? undefined
      : (JSON.parse(await readFile(join(dir, folder, 'summary.json'), 'utf8')) as CompareSummary);
  const failed = (role: string) => summary?.variants.find((variant) => variant.role === role)?.failed ?? -1;
  return { ...run, summary, failed };
}

describe('compare --platform aws-alb-ip', () => {
  test('the variant synthesized for the OpenShift router fails behind the ALB; the one synthesized for the ALB passes', async () => {
    const short = await compare(['--emulate', 'aws-alb-ip']);
    expect(short.exitCode, short.stderr || short.stdout).toBe(1);
    expect(flat(short.stdout)).toContain('aws-alb-ip emulated');
    expect(short.summary?.settings).toMatchObject({ platform: 'aws-alb-ip' });
    // Two old pods refuse connections while the ALB still sends to them: dozens of 502s at 8 req/s.
    expect(short.failed('zero-downtime')).toBeGreaterThanOrEqual(10);

    const long = await compare(['--platform', 'aws-alb-ip']);
    expect(long.exitCode, long.stderr || long.stdout).toBe(0);
    // synth derived the ALB's timings: the worst propagation plus the margin, and 30 s for the shutdown.
    const own = platformTimings(awsAlbIp);
    expect(long.summary?.settings).toMatchObject({ platform: 'aws-alb-ip' });
    expect(JSON.stringify(long.summary)).toContain(`sleep ${own.preStopSeconds}`);
    expect(long.failed('zero-downtime')).toBe(0);
    expect(long.failed('default')).toBeGreaterThan(0);
  }, 180_000);

  test('refuses the OpenShift router’s own flags, and an unknown platform', async () => {
    const interval = await zdd(['compare', '--platform', 'kube-proxy', '--reload-interval', '2']);
    expect(interval.exitCode).toBe(2);
    expect(interval.stderr).toContain('--reload-interval: only when the local cluster emulates openshift-router');
    const real = await zdd(['compare', '--target', 'cluster', '--emulate', 'kube-proxy', '--namespace', 'x']);
    expect(real.exitCode).toBe(2);
    expect(real.stderr).toContain('--emulate: only with --target local');
    const unknown = await zdd(['compare', '--platform', 'nowhere']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--platform');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  test('refuses a time scale that would shrink a platform delay below what a busy machine keeps', async () => {
    // Istio's 1 s before a new endpoint gets requests: 50 ms at 0.05 (a Deployment: no 1 s rollingParams).
    const run = await zdd([
      'compare',
      '--platform',
      'istio-sidecar',
      '--workload',
      'deployment',
      '--time-scale',
      '0.05',
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("istio-sidecar's delay before a new endpoint gets requests (1 s) would last 50 ms");
  });
});
