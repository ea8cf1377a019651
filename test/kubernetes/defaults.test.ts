import { describe, expect, test } from 'vitest';
import { parseManifests as localObjects } from '../../src/cluster/local/objects.js';
import {
  defaultReplicas,
  defaultStrategyType,
  rollingDefaults,
  withRolloutDefaults,
} from '../../src/kubernetes/defaults.js';
import { replicasOf, rollingParams } from '../../src/testbed/dc-objects.js';

/** The one defaults table, and the consumers that used to keep their own copy of it. */
describe('rollout defaults', () => {
  test('replicas: 0 for a DeploymentConfig (a plain int32 in openshift/api), 1 otherwise', () => {
    expect(defaultReplicas('DeploymentConfig')).toBe(0);
    expect(defaultReplicas('Deployment')).toBe(1);
    expect(defaultReplicas('StatefulSet')).toBe(1);
  });

  test('strategy types', () => {
    expect(defaultStrategyType('DeploymentConfig', 'apps.openshift.io/v1')).toBe('Rolling');
    expect(defaultStrategyType('Deployment', 'apps/v1')).toBe('RollingUpdate');
    expect(defaultStrategyType('StatefulSet', 'apps/v1beta1')).toBe('OnDelete');
  });

  test.each([
    [undefined, undefined, '25%', '25%'],
    [0, undefined, 0, '25%'],
    ['0%', undefined, '0%', '25%'],
    [undefined, 0, '25%', 0],
    [2, undefined, 2, 0],
    [undefined, '10%', 0, '10%'],
  ] as const)(
    'a DeploymentConfig with maxSurge %j and maxUnavailable %j rolls with %j / %j',
    (surge, unavailable, s, u) => {
      const defaulted = rollingDefaults('DeploymentConfig', 'apps.openshift.io/v1', {
        maxSurge: surge,
        maxUnavailable: unavailable,
      });
      expect([defaulted.maxSurge.value, defaulted.maxUnavailable.value]).toEqual([s, u]);
    },
  );

  test('a Deployment takes each missing value on its own; extensions/v1beta1 1 / 1', () => {
    const apps = rollingDefaults('Deployment', 'apps/v1', { maxSurge: 2, maxUnavailable: undefined });
    expect([apps.maxSurge.value, apps.maxUnavailable.value]).toEqual([2, '25%']);
    const old = rollingDefaults('Deployment', 'extensions/v1beta1', { maxSurge: undefined, maxUnavailable: undefined });
    expect([old.maxSurge.value, old.maxUnavailable.value]).toEqual([1, 1]);
  });

  test('withRolloutDefaults fills what is left out and keeps what is written, even of the wrong type', () => {
    const config = withRolloutDefaults({
      kind: 'DeploymentConfig',
      spec: { strategy: { rollingParams: { maxSurge: 1 } } },
    });
    expect(config.spec).toEqual({
      replicas: 0,
      strategy: {
        type: 'Rolling',
        rollingParams: {
          maxSurge: 1,
          maxUnavailable: 0,
          intervalSeconds: 1,
          updatePeriodSeconds: 1,
          timeoutSeconds: 600,
        },
      },
    });
    const deployment = withRolloutDefaults({ kind: 'Deployment', apiVersion: 'apps/v1', spec: { replicas: '2' } });
    expect(deployment.spec).toEqual({
      replicas: '2',
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(withRolloutDefaults({ kind: 'Service', spec: {} })).toEqual({ kind: 'Service', spec: {} });
  });
});

describe('the consumers that kept their own table now follow it', () => {
  const config = (spec: object) =>
    [
      'kind: DeploymentConfig',
      'metadata: { name: web }',
      `spec: ${JSON.stringify({
        ...spec,
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
      })}`,
    ].join('\n');

  test('the local cluster: a DeploymentConfig without replicas runs none; maxSurge alone leaves maxUnavailable 0', () => {
    const [workload] = localObjects([
      { source: 'f.yaml', yaml: config({ strategy: { rollingParams: { maxSurge: 1 } } }) },
    ]).workloads;
    expect(workload?.spec.replicas).toBe(0);
    expect(workload?.kind === 'DeploymentConfig' && workload.spec.strategy.rollingParams).toMatchObject({
      maxSurge: 1,
      maxUnavailable: 0,
    });
  });

  test('the test bed: the same', () => {
    const dc = { metadata: { name: 'web' }, spec: { strategy: { type: 'Rolling', rollingParams: { maxSurge: 1 } } } };
    expect(replicasOf(dc)).toBe(0);
    expect(rollingParams(dc)).toMatchObject({ maxSurge: 1, maxUnavailable: 0, timeoutSeconds: 600 });
  });

  test('the local cluster runs the objects of an OpenShift Template, parameters applied', () => {
    const yaml = [
      'apiVersion: template.openshift.io/v1',
      'kind: Template',
      'metadata: { name: t }',
      'parameters: [{ name: REPLICAS, value: "3" }]',
      'objects:',
      `- ${config({ replicas: ['$', '{{REPLICAS}}'].join('') })
        .split('\n')
        .join('\n  ')}`,
    ].join('\n');
    expect(localObjects([{ source: 't.yaml', yaml }]).workloads[0]?.spec.replicas).toBe(3);
  });
});
