import { describe, expect, test } from 'vitest';
import { describePermission, isRunId, newRunId, permissionsNeeded } from '../../../src/cluster/remote/commands.js';

const asked = (plan: Parameters<typeof permissionsNeeded>[0]) => permissionsNeeded(plan).map(describePermission);

describe('the permissions a run asks for: what it uses, nothing more', () => {
  test('DeploymentConfigs with oc: the instantiate subresource and the ReplicationControllers it reads', () => {
    const permissions = asked({ kinds: ['DeploymentConfig', 'Service', 'Route'], cli: 'oc', cleanup: false });
    expect(permissions).toContain('create deploymentconfigs.apps.openshift.io/instantiate');
    expect(permissions).toEqual(
      expect.arrayContaining([
        'get replicationcontrollers',
        'list replicationcontrollers',
        'watch replicationcontrollers',
      ]),
    );
    expect(permissions).not.toContain('list replicasets.apps');
    expect(permissions).not.toContain('delete services');
  });

  test('with kubectl, which patches the pod template instead, no instantiate', () => {
    expect(asked({ kinds: ['DeploymentConfig'], cli: 'kubectl', cleanup: false })).not.toContain(
      'create deploymentconfigs.apps.openshift.io/instantiate',
    );
  });

  test('Deployments: ReplicaSets, not ReplicationControllers; --cleanup lists and deletes each kind', () => {
    const permissions = asked({ kinds: ['Deployment', 'Service'], cli: 'kubectl', cleanup: true });
    expect(permissions).toEqual(expect.arrayContaining(['list replicasets.apps', 'list services', 'delete services']));
    expect(permissions.some((p) => p.includes('replicationcontrollers'))).toBe(false);
  });
});

describe('--run-id', () => {
  test.each([
    ['20261202t194934z-12009e', true],
    [newRunId(), true],
    ['a', true],
    ['-a', false],
    ['a b', false],
    ['a'.repeat(64), false],
  ])('%s → %s', (value, valid) => {
    expect(isRunId(value)).toBe(valid);
  });
});
