import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { takeInventory } from '../../src/check/inventory.js';
import { pdbSelects } from '../../src/check/pdb.js';
import { readinessWindow } from '../../src/check/readiness-window.js';
import { rolloutCapacity } from '../../src/check/rollout-capacity.js';
import { checkManifests } from '../../src/check/run-check.js';
import { CHECK_DEFAULTS } from '../../src/check/settings.js';
import { parseManifests } from '../../src/kubernetes/read-manifests.js';

/** Each API's defaulting, applied before any rule judges: what the cluster will run. */

function inventoryOf(...objects: object[]) {
  const text = objects.map((object) => stringify(object)).join('---\n');
  return takeInventory(parseManifests('test.yaml', text).objects);
}

function workload(
  kind: string,
  apiVersion: string,
  spec: Record<string, unknown>,
  podSpec: Record<string, unknown> = {},
) {
  const [read] = inventoryOf({
    apiVersion,
    kind,
    metadata: { name: 'w' },
    spec: {
      ...spec,
      template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'app', image: 'x' }], ...podSpec } },
    },
  }).workloads;
  if (read === undefined) throw new Error('no workload read');
  return read;
}

describe('rolling parameters', () => {
  test('a Deployment defaults to RollingUpdate 25 % / 25 % and 1 replica; extensions/v1beta1 to 1 / 1', () => {
    const apps = workload('Deployment', 'apps/v1', {});
    expect(apps.replicas).toBe(1);
    expect(apps.strategy).toMatchObject({ type: 'rolling', maxSurge: '25%', maxUnavailable: '25%' });
    const old = workload('Deployment', 'extensions/v1beta1', { replicas: 3 });
    expect(old.strategy).toMatchObject({ type: 'rolling', maxSurge: 1, maxUnavailable: 1 });
  });

  test('a DeploymentConfig defaults to Rolling 25 % / 25 % and 0 replicas; a missing one is 25 % only beside a 0', () => {
    const dc = workload('DeploymentConfig', 'apps.openshift.io/v1', { selector: { app: 'w' } });
    expect(dc.replicas).toBe(0);
    expect(dc.strategy).toMatchObject({ type: 'rolling', maxSurge: '25%', maxUnavailable: '25%' });
    const surgeOnly = workload('DeploymentConfig', 'v1', { strategy: { rollingParams: { maxSurge: 2 } } });
    expect(surgeOnly.strategy).toMatchObject({ maxSurge: 2, maxUnavailable: 0 });
    const zeroSurge = workload('DeploymentConfig', 'v1', { strategy: { rollingParams: { maxSurge: '0%' } } });
    expect(zeroSurge.strategy).toMatchObject({ maxSurge: '0%', maxUnavailable: '25%' });
    const zeroUnavailable = workload('DeploymentConfig', 'v1', { strategy: { rollingParams: { maxUnavailable: 0 } } });
    expect(zeroUnavailable.strategy).toMatchObject({ maxSurge: '25%', maxUnavailable: 0 });
  });

  test('both written as 0 is refused by the API, for Deployments and DeploymentConfigs alike', () => {
    for (const [kind, strategy] of [
      ['Deployment', { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }],
      ['DeploymentConfig', { type: 'Rolling', rollingParams: { maxSurge: '0%', maxUnavailable: 0 } }],
    ] as const) {
      const capacity = rolloutCapacity(
        workload(kind, kind === 'Deployment' ? 'apps/v1' : 'apps.openshift.io/v1', { replicas: 2, strategy }),
      );
      expect(capacity).toMatchObject({ type: 'invalid' });
    }
  });

  test('a StatefulSet takes one pod down at a time; partition and the apps/v1beta1 OnDelete default', () => {
    expect(rolloutCapacity(workload('StatefulSet', 'apps/v1', { replicas: 3 }))).toMatchObject({
      unavailable: 1,
      replicas: 3,
    });
    const partitioned = workload('StatefulSet', 'apps/v1', {
      replicas: 3,
      updateStrategy: { rollingUpdate: { partition: 3 } },
    });
    expect(rolloutCapacity(partitioned)).toEqual({ type: 'not-rolling' });
    expect(workload('StatefulSet', 'apps/v1beta1', { replicas: 3 }).strategy).toMatchObject({
      type: 'manual',
      name: 'OnDelete',
    });
    const wide = workload('StatefulSet', 'apps/v1', {
      replicas: 10,
      updateStrategy: { rollingUpdate: { maxUnavailable: '25%' } },
    });
    expect(rolloutCapacity(wide)).toMatchObject({ unavailable: 2 });
  });
});

describe('pod defaults', () => {
  test('terminationGracePeriodSeconds is 30 when left out; probes get period 10, timeout 1, thresholds 1 and 3', () => {
    const w = workload(
      'Deployment',
      'apps/v1',
      {},
      { containers: [{ name: 'app', image: 'x', readinessProbe: { tcpSocket: { port: 80 } } }] },
    );
    expect(w.terminationGracePeriodSeconds).toBe(30);
    expect(w.containers[0]?.readinessProbe).toMatchObject({
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  test('a value of the wrong type is judged by its default, with a note naming the field and its line', () => {
    const inventory = inventoryOf({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w' },
      spec: { replicas: 'three', template: { spec: { containers: [{ name: 'app', image: 'x' }] } } },
    });
    expect(inventory.workloads[0]?.replicas).toBe(1);
    expect(inventory.notes.map((note) => `${note.location?.line} ${note.object} ${note.message}`)).toEqual([
      '6 Deployment/w spec.replicas: expected an integer from 0 to 2147483647, got "three"; judged as 1, the default',
    ]);
  });
});

describe('rollout deadlines', () => {
  test('a DeploymentConfig waits timeoutSeconds (600), a Deployment progressDeadlineSeconds (600), extensions/v1beta1 forever', () => {
    expect(workload('DeploymentConfig', 'apps.openshift.io/v1', {}).rolloutDeadline).toEqual({
      seconds: 600,
      field: 'timeoutSeconds',
    });
    const recreate = workload('DeploymentConfig', 'v1', {
      strategy: { type: 'Recreate', recreateParams: { timeoutSeconds: 120 } },
    });
    expect(recreate.rolloutDeadline).toEqual({ seconds: 120, field: 'timeoutSeconds' });
    expect(workload('Deployment', 'apps/v1', {}).rolloutDeadline?.seconds).toBe(600);
    expect(workload('Deployment', 'extensions/v1beta1', {}).rolloutDeadline).toBeUndefined();
  });

  test('a readiness window past the deadline is said', () => {
    const text = stringify({
      apiVersion: 'apps.openshift.io/v1',
      kind: 'DeploymentConfig',
      metadata: { name: 'slow' },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels: { app: 'slow' } },
          spec: {
            containers: [
              { name: 'app', image: 'x', readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 595 } },
            ],
          },
        },
      },
    });
    const report = checkManifests([{ file: 'slow.yaml', text }], CHECK_DEFAULTS);
    const finding = report.findings.find((f) => f.rule.id === 'readiness-window');
    expect(finding?.message).toContain(
      "ready 595–605 s after its container starts, if the app answers by then (readinessProbe initialDelaySeconds 595, periodSeconds 10, successThreshold 1); each failed probe adds 10 s; that is past the rollout's timeoutSeconds (600 s), so a slow pod fails the rollout",
    );
  });
});

describe('the readiness window', () => {
  const container = (probes: Record<string, unknown>) =>
    workload('Deployment', 'apps/v1', {}, { containers: [{ name: 'app', image: 'x', ...probes }] }).containers[0];

  test("the seed's probe: ready 30–40 s after the container starts", () => {
    const c = container({ readinessProbe: { httpGet: { port: 8080 }, initialDelaySeconds: 30 } });
    expect(c && readinessWindow(c)).toMatchObject({ earliest: 30, latest: 40, periodSeconds: 10 });
  });

  test('successThreshold adds periods; a startupProbe holds readiness back', () => {
    const c = container({
      startupProbe: { httpGet: { port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5 },
      readinessProbe: { httpGet: { port: 8080 }, periodSeconds: 3, successThreshold: 2 },
    });
    expect(c && readinessWindow(c)).toMatchObject({ earliest: 8, latest: 16 });
  });
});

describe('PodDisruptionBudget selectors', () => {
  const guarded = (apiVersion: string, selector: unknown) =>
    inventoryOf({
      apiVersion,
      kind: 'PodDisruptionBudget',
      metadata: { name: 'p' },
      spec: { maxUnavailable: 1, selector },
    }).pdbs[0];

  test('an empty selector guards every pod in policy/v1 and none in policy/v1beta1', () => {
    const v1 = guarded('policy/v1', {});
    const v1beta1 = guarded('policy/v1beta1', {});
    expect(v1 && pdbSelects(v1, { app: 'x' })).toBe(true);
    expect(v1beta1 && pdbSelects(v1beta1, { app: 'x' })).toBe(false);
  });

  test('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
    const pdb = guarded('policy/v1', {
      matchExpressions: [
        { key: 'app', operator: 'In', values: ['a', 'b'] },
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'team', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    if (pdb === undefined) throw new Error('no budget');
    expect(pdbSelects(pdb, { app: 'a', team: 't' })).toBe(true);
    expect(pdbSelects(pdb, { app: 'a', team: 't', tier: 'db' })).toBe(false);
    expect(pdbSelects(pdb, { app: 'c', team: 't' })).toBe(false);
    expect(pdbSelects(pdb, { app: 'a' })).toBe(false);
    expect(pdbSelects(pdb, { app: 'a', team: 't', canary: 'yes' })).toBe(false);
  });
});
