import { expect, test } from 'vitest';
import { k6OperatorSection } from '../../src/compare-flow/k6-operator-config.js';
import { k6OperatorPlan } from '../../src/compare-flow/k6-operator-plan.js';
import { parsedIn } from '../../src/input/input-issues.js';

const read = (section: unknown) => k6OperatorSection(section, 'zdd.yaml', parsedIn({ k6Operator: section }));

test('the section as written: every field checked, each problem named by file and field', () => {
  expect(read(undefined)).toEqual({});
  expect(read({ parallelism: 2, runner: { nodeSelector: { pool: 'load' } } })).toEqual({
    parallelism: 2,
    runner: { nodeSelector: { pool: 'load' } },
  });
  expect(() => read({ parallelism: 0 })).toThrow(
    'zdd.yaml: k6Operator.parallelism: Too small: expected number to be >=1, got 0',
  );
  expect(() => read({ routerAddress: 'router' })).toThrow(
    'zdd.yaml: k6Operator.routerAddress: expected HOST:PORT, got "router"',
  );
  expect(() => read({ runner: { resources: { requests: { cpu: 'lots' } } } })).toThrow(
    'zdd.yaml: k6Operator.runner.resources.requests.cpu: expected a Kubernetes quantity such as 500m or 512Mi, got "lots"',
  );
  expect(() => read({ runner: { imge: 'k6' } })).toThrow('zdd.yaml: k6Operator.runner: Unrecognized key: "imge"');
});

test('the flags over the file: a flag given replaces its field, the rest of the file stays; requests within limits', () => {
  const file = read({
    parallelism: 4,
    routerAddress: 'router.svc:80',
    runner: {
      image: 'k6:a',
      resources: { requests: { cpu: '500m' }, limits: { cpu: '1' } },
      tolerations: [{ key: 'a', operator: 'Exists' }],
    },
  });
  expect(k6OperatorPlan({ parallelism: 2, runnerToleration: ['b=c:NoSchedule'] }, file)).toEqual({
    parallelism: 2,
    routerAddress: 'router.svc:80',
    runner: {
      image: 'k6:a',
      resources: { requests: { cpu: '500m' }, limits: { cpu: '1' } },
      tolerations: [{ key: 'b', operator: 'Equal', value: 'c', effect: 'NoSchedule' }],
    },
  });
  expect(() => k6OperatorPlan({ runnerRequests: 'cpu=2' }, file)).toThrow(
    "the runners' cpu request 2 is more than their limit 1",
  );
  expect(k6OperatorPlan({}).parallelism).toBe(1);
});
