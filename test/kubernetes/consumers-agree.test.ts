import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { takeInventory } from '../../src/check/inventory.js';
import type { Workload } from '../../src/check/workload.js';
import { parseManifests as localObjects, type WorkloadObject } from '../../src/cluster/local/objects.js';
import { preStopSleepSeconds } from '../../src/compare-flow/floor.js';
import { isWorkload, workloadFacts } from '../../src/diff/rollout-facts.js';
import { isCountOrPercent, resolveRolling, statefulSetUnavailable } from '../../src/kubernetes/count-or-percent.js';
import type { ManifestObject } from '../../src/kubernetes/object.js';
import { parseManifests } from '../../src/kubernetes/read-manifests.js';
import type { ApiDeploymentConfig } from '../../src/testbed/api-objects.js';
import { replicasOf, rollingParams } from '../../src/testbed/dc-objects.js';

/**
 * Every manifest fixture of the repository (test fixtures and the generated
 * dist/), read by every consumer of the Kubernetes model: check's inventory,
 * the local cluster, the test bed's DeploymentConfig controller, diff's
 * rollout facts and the compare time floor. Wherever two of them read the
 * same workload they must say the same replicas, strategy, surge and
 * unavailable pods, readiness probe, preStop sleep and grace period.
 */

const ROOT = new URL('../../', import.meta.url).pathname;

function manifestFiles(folder: string, inFixtures: boolean): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...manifestFiles(path, inFixtures || entry.name === 'fixtures'));
    else if (inFixtures && /\.(ya?ml|json)$/.test(entry.name)) files.push(relative(ROOT, path));
  }
  return files;
}

const FILES = [...manifestFiles(join(ROOT, 'test'), false), ...manifestFiles(join(ROOT, 'dist'), true)].sort();

/** What a consumer says about one workload; undefined where it does not say. */
interface Reading {
  readonly replicas?: number;
  readonly strategy?: 'rolling' | 'recreate' | 'other';
  readonly surge?: number;
  readonly unavailable?: number;
  readonly readiness?: readonly number[];
  readonly preStopSeconds?: number;
  readonly graceSeconds?: number;
}

function strategyName(type: string, kind: string): Reading['strategy'] {
  if (kind === 'StatefulSet') return type === 'stateful-rolling' || type === 'RollingUpdate' ? 'rolling' : 'other';
  if (type === 'rolling' || type === 'Rolling' || type === 'RollingUpdate') return 'rolling';
  if (type === 'recreate' || type === 'Recreate') return 'recreate';
  return 'other';
}

/** A readiness probe's timings, in the order of the Probe type. */
function probeTimings(
  probe:
    | {
        initialDelaySeconds: number;
        periodSeconds: number;
        timeoutSeconds: number;
        successThreshold: number;
        failureThreshold: number;
      }
    | undefined,
): readonly number[] | undefined {
  if (probe === undefined) return undefined;
  const { initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold } = probe;
  return [initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold];
}

/** A preStop of 0 s and none at all keep the pod serving equally long. */
const sleep = (seconds: number | undefined) => (seconds === 0 ? undefined : seconds);

function checkReading(workload: Workload): Reading {
  const { strategy, replicas } = workload;
  const container = workload.containers[0];
  const probe = container?.readinessProbe;
  const rolling =
    strategy.type === 'rolling' && isCountOrPercent(strategy.maxSurge) && isCountOrPercent(strategy.maxUnavailable)
      ? resolveRolling(strategy.maxSurge, strategy.maxUnavailable, replicas)
      : strategy.type === 'stateful-rolling' && isCountOrPercent(strategy.maxUnavailable)
        ? { surge: 0, unavailable: statefulSetUnavailable(strategy.maxUnavailable, replicas, replicas) }
        : undefined;
  return {
    replicas,
    strategy: strategyName(strategy.type, workload.kind),
    surge: rolling?.surge,
    unavailable: rolling?.unavailable,
    readiness: probeTimings(probe),
    preStopSeconds: sleep(container?.preStop?.delaySeconds),
    graceSeconds: workload.terminationGracePeriodSeconds,
  };
}

function diffReading(object: ManifestObject): Reading {
  const facts = workloadFacts(object);
  const [container] = facts.containers.values();
  const probe = container?.readiness;
  return {
    replicas: facts.replicas,
    strategy: strategyName(facts.strategy, object.kind),
    ...(strategyName(facts.strategy, object.kind) === 'rolling' && {
      surge: facts.surgePods,
      unavailable: facts.unavailablePods,
    }),
    readiness: probeTimings(probe),
    preStopSeconds: sleep(container?.preStop?.sleepSeconds),
    graceSeconds: facts.gracePeriodSeconds,
  };
}

function localReading(workload: WorkloadObject): Reading {
  const { spec } = workload;
  const rolling =
    workload.kind === 'DeploymentConfig' ? workload.spec.strategy.rollingParams : workload.spec.strategy.rollingUpdate;
  const counts = resolveRolling(rolling.maxSurge, rolling.maxUnavailable, spec.replicas);
  const container = spec.template.spec.containers[0];
  const probe = container?.readinessProbe;
  return {
    replicas: spec.replicas,
    strategy: strategyName(spec.strategy.type, workload.kind),
    ...(spec.strategy.type !== 'Recreate' && { surge: counts.surge, unavailable: counts.unavailable }),
    readiness: probeTimings(probe),
    // The compare time floor reads the local cluster's hook.
    preStopSeconds: sleep(preStopSleepSeconds(container?.lifecycle?.preStop)),
    graceSeconds: spec.template.spec.terminationGracePeriodSeconds,
  };
}

function testBedReading(object: ManifestObject): Reading {
  const config = object.value as unknown as ApiDeploymentConfig;
  const replicas = replicasOf(config);
  const params = rollingParams(config);
  const type = config.spec?.strategy?.type ?? 'Rolling';
  const counts = resolveRolling(params.maxSurge, params.maxUnavailable, replicas);
  return {
    replicas,
    strategy: strategyName(type, 'DeploymentConfig'),
    ...(type === 'Rolling' && { surge: counts.surge, unavailable: counts.unavailable }),
  };
}

/** How many workloads each consumer was compared on, so that the comparison cannot quietly become empty. */
const compared = new Map<string, number>();

/** Only what both say: a consumer that does not read a setting has no opinion on it. */
function common(a: Reading, b: Reading): [Reading, Reading] {
  const keys = (Object.keys(a) as (keyof Reading)[]).filter((key) => a[key] !== undefined && b[key] !== undefined);
  const pick = (reading: Reading) => Object.fromEntries(keys.map((key) => [key, reading[key]])) as Reading;
  return [pick(a), pick(b)];
}

describe('every consumer of the Kubernetes model reads every manifest fixture alike', () => {
  test('the fixtures are found', () => {
    expect(FILES).toContain('dist/default.yaml');
    expect(FILES.filter((file) => file.startsWith('test/fixtures/check/')).length).toBeGreaterThan(20);
  });

  test.each(FILES)('%s', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const parsed = parseManifests(file, text);
    // Helm templates and non-manifest data are not Kubernetes objects: nothing to compare.
    if (parsed.problems.length > 0) return;
    for (const object of parsed.objects.filter(isWorkload)) {
      const inventory = takeInventory([object]);
      const [checked] = inventory.workloads;
      const readable = checked !== undefined && inventory.notes.length === 0;
      const label = `${file}: ${object.kind}/${object.name}`;
      const readings: [string, Reading][] = [];
      if (readable) readings.push(['check', checkReading(checked)]);
      if (readable || checked === undefined) readings.push(['diff', diffReading(object)]);
      let local: WorkloadObject | undefined;
      try {
        [local] = localObjects([{ source: file, yaml: JSON.stringify(object.value) }]).workloads;
      } catch {
        local = undefined; // the local cluster refuses what it cannot run (another kind, a missing image, …)
      }
      if (local) readings.push(['local cluster and compare floor', localReading(local)]);
      if (object.kind === 'DeploymentConfig' && local) readings.push(['test bed', testBedReading(object)]);
      for (const [name, reading] of readings.slice(1)) {
        const [first, other] = common(readings[0]?.[1] ?? {}, reading);
        expect(other, `${label}: ${name} against ${readings[0]?.[0]}`).toEqual(first);
        compared.set(name, (compared.get(name) ?? 0) + 1);
      }
    }
  });

  test('each consumer was compared on many workloads', () => {
    expect(Object.fromEntries(compared)).toEqual({
      diff: expect.any(Number),
      'local cluster and compare floor': expect.any(Number),
      'test bed': expect.any(Number),
    });
    for (const count of compared.values()) expect(count).toBeGreaterThan(3);
  });
});
