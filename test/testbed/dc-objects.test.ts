import { expect, test } from 'vitest';
import type { ApiDeploymentConfig, ApiReplicationController } from '../../src/testbed/api-objects.js';
import {
  deploymentConfigStatus,
  hasConfigChangeTrigger,
  newReplicationController,
  phaseOf,
  statusChanged,
  templateChanged,
  versionOf,
} from '../../src/testbed/dc-objects.js';

const config: ApiDeploymentConfig = {
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: {
    name: 'shop',
    namespace: 'demo',
    uid: 'dc-uid',
    generation: 3,
    labels: { 'app.kubernetes.io/name': 'shop' },
  },
  spec: {
    replicas: 2,
    selector: { 'app.kubernetes.io/name': 'shop' },
    strategy: { type: 'Rolling', rollingParams: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'shop' } },
      spec: { containers: [{ name: 'app', image: 'zdd-sample-app:latest' }] },
    },
  },
  status: { latestVersion: 2 },
};

test('the RC of version 2 is OpenShift’s: NAME-2, owned by the DC, at 0 replicas, selector and pod labels with deployment=NAME-2', () => {
  const rc = newReplicationController(config, 2);
  expect(rc.metadata).toMatchObject({
    name: 'shop-2',
    namespace: 'demo',
    labels: { 'app.kubernetes.io/name': 'shop', 'openshift.io/deployment-config.name': 'shop' },
    annotations: {
      'openshift.io/deployment-config.name': 'shop',
      'openshift.io/deployment-config.latest-version': '2',
      'openshift.io/deployment.phase': 'New',
      'openshift.io/deployment.replicas': '2',
    },
    ownerReferences: [
      { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', name: 'shop', uid: 'dc-uid', controller: true },
    ],
  });
  expect(rc.spec).toMatchObject({
    replicas: 0,
    minReadySeconds: 0,
    selector: { 'app.kubernetes.io/name': 'shop', deploymentconfig: 'shop', deployment: 'shop-2' },
  });
  expect(rc.spec?.template?.metadata).toEqual({
    labels: { 'app.kubernetes.io/name': 'shop', deploymentconfig: 'shop', deployment: 'shop-2' },
    annotations: {
      'openshift.io/deployment.name': 'shop-2',
      'openshift.io/deployment-config.name': 'shop',
      'openshift.io/deployment-config.latest-version': '2',
    },
  });
  expect(versionOf(rc)).toBe(2);
  expect(phaseOf(rc)).toBe('New');
  // The DC's own template is left as it was.
  expect(config.spec?.template?.metadata?.labels).toEqual({ 'app.kubernetes.io/name': 'shop' });
});

test('the ConfigChange trigger fires on a changed pod template only (an annotation counts; replicas do not)', () => {
  const rc = newReplicationController(config, 2);
  expect(templateChanged(config, rc)).toBe(false);
  expect(templateChanged({ ...config, spec: { ...config.spec, replicas: 5 } }, rc)).toBe(false);
  const touched = structuredClone(config);
  (touched.spec?.template?.metadata as { annotations?: Record<string, string> }).annotations = {
    'zdd/restarted-at': '2026-11-29T10:00:00Z',
  };
  expect(templateChanged(touched, rc)).toBe(true);
  expect(hasConfigChangeTrigger(config)).toBe(true);
  expect(hasConfigChangeTrigger({ ...config, spec: { ...config.spec, triggers: [] } })).toBe(false);
  expect(hasConfigChangeTrigger({ ...config, spec: { ...config.spec, triggers: [{ type: 'ImageChange' }] } })).toBe(
    false,
  );
});

function rc(
  version: number,
  phase: string,
  spec: number,
  status: { replicas: number; available: number; ready?: number },
) {
  const made = newReplicationController(config, version);
  return {
    ...made,
    metadata: {
      ...made.metadata,
      annotations: { ...made.metadata.annotations, 'openshift.io/deployment.phase': phase },
    },
    spec: { ...made.spec, replicas: spec },
    status: {
      replicas: status.replicas,
      availableReplicas: status.available,
      readyReplicas: status.ready ?? status.available,
    },
  } satisfies ApiReplicationController;
}

test('status during a rollout: counts over every RC, updated from the latest, Progressing ReplicationControllerUpdated', () => {
  const status = deploymentConfigStatus(
    config,
    [rc(1, 'Complete', 1, { replicas: 2, available: 2 }), rc(2, 'Running', 2, { replicas: 2, available: 1 })],
    '2026-11-29T10:00:00Z',
  );
  expect(status).toMatchObject({
    latestVersion: 2,
    observedGeneration: 3,
    replicas: 4,
    updatedReplicas: 2,
    availableReplicas: 3,
    readyReplicas: 3,
    unavailableReplicas: 0,
  });
  expect(status.conditions).toEqual([
    {
      type: 'Available',
      status: 'True',
      message: 'Deployment config has minimum availability.',
      lastUpdateTime: '2026-11-29T10:00:00Z',
      lastTransitionTime: '2026-11-29T10:00:00Z',
    },
    {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicationControllerUpdated',
      message: 'replication controller "shop-2" is progressing',
      lastUpdateTime: '2026-11-29T10:00:00Z',
      lastTransitionTime: '2026-11-29T10:00:00Z',
    },
  ]);
});

test('status after it: NewReplicationControllerAvailable (what `oc rollout status` waits for), or ProgressDeadlineExceeded', () => {
  const running = deploymentConfigStatus(
    config,
    [rc(2, 'Running', 2, { replicas: 1, available: 0 })],
    '2026-11-29T10:00:00Z',
  );
  expect(running.conditions?.[0]).toMatchObject({ type: 'Available', status: 'False' });
  const complete = deploymentConfigStatus(
    { ...config, status: { ...config.status, ...running } },
    [rc(1, 'Complete', 0, { replicas: 0, available: 0 }), rc(2, 'Complete', 2, { replicas: 2, available: 2 })],
    '2026-11-29T10:00:30Z',
  );
  expect(complete.conditions?.[1]).toEqual({
    type: 'Progressing',
    status: 'True',
    reason: 'NewReplicationControllerAvailable',
    message: 'replication controller "shop-2" successfully rolled out',
    lastUpdateTime: '2026-11-29T10:00:30Z',
    // Still True: the transition time stays.
    lastTransitionTime: '2026-11-29T10:00:00Z',
  });
  const failed = deploymentConfigStatus(
    config,
    [rc(2, 'Failed', 0, { replicas: 0, available: 0 })],
    '2026-11-29T10:00:30Z',
  );
  expect(failed.conditions?.[1]).toMatchObject({
    status: 'False',
    reason: 'ProgressDeadlineExceeded',
    message: 'replication controller "shop-2" has failed progressing',
  });
  expect(
    statusChanged(
      complete,
      deploymentConfigStatus(
        { ...config, status: complete },
        [rc(2, 'Complete', 2, { replicas: 2, available: 2 })],
        '2026-11-29T11:00:00Z',
      ),
    ),
  ).toBe(false);
  expect(statusChanged(complete, failed)).toBe(true);
});

test('an RC that could not be created shows as Progressing False ReplicationControllerCreateError', () => {
  const status = deploymentConfigStatus(
    config,
    [],
    '2026-11-29T10:00:00Z',
    "couldn't create replication controller: selector does not match",
  );
  expect(status.conditions?.[1]).toMatchObject({
    type: 'Progressing',
    status: 'False',
    reason: 'ReplicationControllerCreateError',
    message: "couldn't create replication controller: selector does not match",
  });
});
