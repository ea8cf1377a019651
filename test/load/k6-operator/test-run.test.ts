import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import {
  DEFAULT_RUNNER_IMAGE,
  k6OperatorObjects,
  type RunnerSettings,
} from '../../../src/load/k6-operator/test-run.js';
import { REPO } from '../../helpers/cli.js';

const BASE = { name: 'zdd-load-abc', namespace: 'demo', runId: 'abc', script: 'export default function () {}' };

test('the ConfigMap holds the script and the TestRun reads it; both carry the run id, the runner pods too', () => {
  const { configMap, testRun } = k6OperatorObjects({ ...BASE, parallelism: 3 });
  expect(configMap).toEqual({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'zdd-load-abc-script', namespace: 'demo', labels: { 'zdd/run-id': 'abc' } },
    data: { 'rollout-load.js': 'export default function () {}' },
  });
  expect(testRun).toEqual({
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: 'zdd-load-abc', namespace: 'demo', labels: { 'zdd/run-id': 'abc' } },
    spec: {
      parallelism: 3,
      script: { configMap: { name: 'zdd-load-abc-script', file: 'rollout-load.js' } },
      initializer: { disabled: true },
      runner: { image: 'grafana/k6:1.8.1', metadata: { labels: { 'zdd/run-id': 'abc' } } },
    },
  });
});

const RUNNER: RunnerSettings = {
  image: 'registry.example/k6:1.8.1',
  resources: { requests: { cpu: '500m' }, limits: { memory: '512Mi' } },
  nodeSelector: { pool: 'load' },
  tolerations: [{ key: 'load', operator: 'Exists', effect: 'NoSchedule' }],
  serviceAccountName: 'k6',
};

test('runner settings and k6 arguments go where the operator reads them', () => {
  const { testRun } = k6OperatorObjects({
    ...BASE,
    parallelism: 2,
    arguments: ['--log-format=raw', '--no-usage-report'],
    runner: RUNNER,
  });
  expect(testRun.spec).toMatchObject({ arguments: '--log-format=raw --no-usage-report', runner: RUNNER });
});

test('a parallelism that is not a whole number of at least 1, and an argument the operator would split, are refused', () => {
  for (const parallelism of [0, -1, 1.5, Number.NaN]) {
    expect(() => k6OperatorObjects({ ...BASE, parallelism })).toThrow(
      /^parallelism must be a whole number of at least 1/,
    );
  }
  expect(() => k6OperatorObjects({ ...BASE, parallelism: 1, arguments: ['--tag a=b c'] })).toThrow(
    'a k6 argument for the k6-operator cannot hold a space or be empty: "--tag a=b c"',
  );
});

test('the default runner image is the k6 version .ci/run installs for the local runs', () => {
  const installed = /go install go\.k6\.io\/k6@v(\d+\.\d+\.\d+)/.exec(readFileSync(join(REPO, '.ci/run'), 'utf8'))?.[1];
  expect(DEFAULT_RUNNER_IMAGE).toBe(`grafana/k6:${installed}`);
});
