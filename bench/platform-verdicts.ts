/**
 * Does each platform's emulation show what its profile predicts? For every profile P, on the local cluster:
 * `zdd compare --platform P` (the variants synthesized for P: the profile's preStop, grace period and, for a
 * sidecar, its drain annotation) and `zdd compare --emulate P` (the variants synthesized for the OpenShift
 * router, 10 s / 40 s, run behind P). Prints a Markdown table: the default variant should fail everywhere, the
 * variant synthesized for P pass, and the OpenShift router's fail wherever the worst propagation (or a
 * sidecar's default drain) is longer than its 10 s allow.
 *
 *   npx tsx bench/platform-verdicts.ts [--scale 0.1] [--rate 10] [--seed 1] [--platforms a,b]
 *
 * `npm run build` first (it runs the built CLI). About 5 minutes for every profile at time scale 0.1.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { allPlatforms, platformProfile } from '../src/platforms/index.js';
import type { PlatformProfile } from '../src/platforms/profile.js';
import { platformTimings } from '../src/platforms/timings.js';

const BIN = fileURLToPath(new URL('../bin/zdd.js', import.meta.url));
/** The OpenShift router's zero-downtime timings, synth's default. */
const OPENSHIFT_SIZED = platformTimings(platformProfile('openshift-router'));

const { values } = parseArgs({
  options: {
    // The default preset's DeploymentConfig steps every 1 s and Istio adds endpoints 1 s late: 0.1 keeps 100 ms.
    scale: { type: 'string', default: '0.1' },
    rate: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    platforms: { type: 'string' },
  },
});
const OUTCOMES: Record<number, string> = { 0: 'PASS', 1: 'FAIL', 2: 'refused', 3: 'INCONCLUSIVE' };

interface Outcome {
  /** The verdict on the zero-downtime variant (compare's exit code). */
  readonly verdict: string;
  readonly zeroDowntime: string;
  readonly defaultFailed: number;
  readonly defaultRequests: number;
  readonly note?: string;
}

/** `compare` behind `platform`, with the variants synthesized for it (`--platform`) or for the OpenShift router. */
async function compare(platform: PlatformProfile, synthesizedFor: 'itself' | 'openshift-router'): Promise<Outcome> {
  const results = await mkdtemp(join(tmpdir(), 'zdd-bench-platforms-'));
  try {
    const args = [
      'compare',
      synthesizedFor === 'itself' ? '--platform' : '--emulate',
      platform.name,
      '--time-scale',
      values.scale,
      '--rate',
      values.rate,
      '--seed',
      values.seed,
      '--load',
      'builtin',
      '--results',
      results,
    ];
    const run = await execa(process.execPath, [BIN, ...args], { reject: false, env: { NO_COLOR: '1' } });
    const verdict = OUTCOMES[run.exitCode ?? -1] ?? `exit ${run.exitCode}`;
    const [folder] = (await readdir(results)).filter((name) => !name.includes('.'));
    if (folder === undefined) {
      return { verdict, zeroDowntime: '?', defaultFailed: -1, defaultRequests: 0, note: run.stderr.split('\n')[0] };
    }
    const summary = JSON.parse(await readFile(join(results, folder, 'summary.json'), 'utf8')) as {
      variants: Array<{ role: string; failed: number; requests: number }>;
      verdict: { reasons: string[] };
    };
    const variant = (role: string) => summary.variants.find((v) => v.role === role);
    const zd = variant('zero-downtime');
    return {
      verdict,
      zeroDowntime: `${zd?.failed}/${zd?.requests}`,
      defaultFailed: variant('default')?.failed ?? -1,
      defaultRequests: variant('default')?.requests ?? 0,
      ...(verdict === 'INCONCLUSIVE' && { note: summary.verdict.reasons[0] }),
    };
  } finally {
    await rm(results, { recursive: true, force: true });
  }
}

/** What the profile predicts for the OpenShift-sized timings: a propagation or a sidecar drain they do not cover. */
function predictedForOpenshiftSized(platform: PlatformProfile): 'PASS' | 'FAIL' {
  const worst = platform.propagation.seconds.worst;
  const sidecarShort = platform.sidecar !== undefined && platform.sidecar.defaultDrainSeconds < worst;
  return worst > OPENSHIFT_SIZED.preStopSeconds || sidecarShort ? 'FAIL' : 'PASS';
}

const chosen = values.platforms?.split(',');
const platforms = allPlatforms().filter((platform) => chosen === undefined || chosen.includes(platform.name));
console.log(
  `--time-scale ${values.scale}, --rate ${values.rate} (per modelled second), --seed ${values.seed}, --load builtin; failed/requests`,
);
console.log(
  '| platform | worst propagation | emulation | default variant | own preStop / grace | synthesized for it | synthesized for openshift-router (10 s / 40 s) | predicted for the latter |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const platform of platforms) {
  const own = platformTimings(platform);
  const ownRun = await compare(platform, 'itself');
  const shortRun = platform.name === 'openshift-router' ? ownRun : await compare(platform, 'openshift-router');
  const { emulation } = platform;
  const how =
    emulation.kind === 'reload-interval'
      ? 'reload every 5 s'
      : `${emulation.kind}: −${emulation.removeSeconds} s / +${emulation.addSeconds} s, refused → ${emulation.refusedConnection}${platform.sidecar ? `, sidecar drain ${platform.sidecar.defaultDrainSeconds} s` : ''}`;
  const defaultCell = `${ownRun.defaultFailed > 0 ? 'FAIL' : 'PASS'} (${ownRun.defaultFailed}/${ownRun.defaultRequests})`;
  const cell = (outcome: Outcome) =>
    `${outcome.verdict} (${outcome.zeroDowntime})${outcome.note ? `: ${outcome.note.slice(0, 100)}` : ''}`;
  console.log(
    `| ${platform.name} | ${platform.propagation.seconds.worst} s | ${how} | ${defaultCell} | ${own.preStopSeconds} s / ${own.terminationGracePeriodSeconds} s | ${cell(ownRun)} | ${cell(shortRun)} | ${predictedForOpenshiftSized(platform)} |`,
  );
}
