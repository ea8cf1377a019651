/**
 * Every command `--load k6-operator` runs, built as data (pure), so that the run and `--dry-run` print the same
 * commands, and the permissions they need.
 */
import { type ClusterCommand, commands, type Permission, REACH_TIMEOUT } from '../../cluster/remote/commands.js';

/** The TestRun's resource, group-qualified (`kubectl get testrun` could name another group's kind). */
export const TEST_RUNS = 'testruns.k6.io';
/** What a run with the k6-operator creates besides the variants: `--cleanup` and the printed delete take these too. */
export const OPERATOR_RESOURCES: readonly string[] = ['configmaps', TEST_RUNS];

/** The operator's labels on a TestRun's runner pods. */
export function runnerSelector(testRun: string): string {
  return `k6_cr=${testRun},runner=true`;
}

export const operatorCommands = {
  /**
   * Whether the cluster serves the TestRun API (the operator's CRD is installed): a discovery GET, which every
   * authenticated user may make, where reading the CRD itself needs a cluster-wide permission.
   */
  api: (): ClusterCommand => ({ args: ['get', '--raw', '/apis/k6.io/v1alpha1', '--request-timeout', REACH_TIMEOUT] }),
  canI: (permission: Permission): ClusterCommand => commands.canI(permission),
  create: (file: string): ClusterCommand => commands.create(file),
  testRun: (name: string): ClusterCommand => ({
    args: ['get', `${TEST_RUNS}/${name}`, '--ignore-not-found', '--output', 'json'],
  }),
  runnerPods: (testRun: string): ClusterCommand => commands.pods(runnerSelector(testRun)),
  /** A runner's log from its start, until its container ends. */
  follow: (pod: string): ClusterCommand => ({ args: ['logs', '--follow', pod] }),
  /** Stops the runners: the TestRun's Jobs and their pods go with it, and each k6 ends its test on SIGTERM. */
  stop: (testRun: string): ClusterCommand => ({
    args: ['delete', `${TEST_RUNS}/${testRun}`, '--ignore-not-found', '--wait=false'],
  }),
};

/** Every permission the load needs, in the order they are asked; the run and `--dry-run` ask the same. */
export function operatorPermissions(cleanup: boolean): Permission[] {
  return [
    ...['create', ...(cleanup ? ['list', 'delete'] : [])].map((verb) => ({ verb, resource: 'configmaps' })),
    ...['create', 'get', 'delete', ...(cleanup ? ['list'] : [])].map((verb) => ({ verb, resource: TEST_RUNS })),
    { verb: 'list', resource: 'pods' },
    { verb: 'get', resource: 'pods', subresource: 'log' },
  ];
}

/** How to install the operator, for a cluster without the TestRun API. */
export const INSTALL_HINT =
  'install grafana/k6-operator (the bundle.yaml of one of its releases, with kubectl apply --server-side, or its Helm chart grafana/k6-operator), then run again';
