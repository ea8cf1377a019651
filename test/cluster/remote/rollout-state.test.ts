import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  deploymentConfigProgress,
  deploymentProgress,
  type KubeObject,
} from '../../../src/cluster/remote/rollout-state.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/oc/${name}`, import.meta.url), 'utf8')) as KubeObject;

describe('DeploymentConfig rollouts, read as `oc rollout status` reads them (real oc output)', () => {
  const config = fixture('dc-jws-app-complete.json');

  test('version 1 with its ReplicationController Complete: done', () => {
    expect(deploymentConfigProgress(config, fixture('rc-jws-app-1-complete.json'), 1)).toEqual({ state: 'done' });
  });

  test('a Failed ReplicationController fails the rollout, with the reason OpenShift recorded', () => {
    expect(deploymentConfigProgress({ status: { latestVersion: 1 } }, fixture('rc-jenkins-1-failed.json'), 1)).toEqual({
      state: 'failed',
      reason: 'rollout of jenkins-1 failed: image change',
    });
  });

  test('waiting while the new version has not started or its ReplicationController is not Complete', () => {
    expect(deploymentConfigProgress(config, undefined, 2)).toMatchObject({ state: 'waiting' });
    const running = { metadata: { name: 'jws-app-2', annotations: { 'openshift.io/deployment.phase': 'Running' } } };
    expect(deploymentConfigProgress({ status: { latestVersion: 2 } }, running, 2)).toEqual({
      state: 'waiting',
      detail: 'jws-app-2 is Running',
    });
  });
});

describe('Deployment rollouts, as `kubectl rollout status` reads them', () => {
  const deployment = (status: Record<string, unknown>, generation = 2, replicas = 2): KubeObject => ({
    metadata: { generation },
    spec: { replicas },
    status,
  });

  test.each([
    [{ observedGeneration: 1 }, 'waiting'],
    [{ observedGeneration: 2, updatedReplicas: 1, replicas: 3, availableReplicas: 2 }, 'waiting'],
    [{ observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 2 }, 'waiting'],
    [{ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }, 'waiting'],
    [{ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }, 'done'],
  ])('%j → %s', (status, state) => {
    expect(deploymentProgress(deployment(status)).state).toBe(state);
  });

  test('ProgressDeadlineExceeded fails it', () => {
    const stuck = deployment({
      observedGeneration: 2,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "a-1" has timed out progressing.',
        },
      ],
    });
    expect(deploymentProgress(stuck)).toEqual({
      state: 'failed',
      reason: 'progress deadline exceeded: ReplicaSet "a-1" has timed out progressing.',
    });
  });
});
