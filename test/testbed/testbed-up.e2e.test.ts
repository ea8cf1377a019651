import { afterEach, describe, expect, test } from 'vitest';
import { findK6 } from '../../src/load/k6/find-k6.js';
import { defaultBinDir } from '../../src/testbed/control-plane.js';
import { k6OperatorBuild } from '../../src/testbed/k6-operator.js';
import { NO_TESTBED, testbedTitle } from '../helpers/control-plane.js';
import { NO_GATEWAY_API } from '../helpers/gateway-api-schema.js';
import { nothingLeft, processesOf, type Sandbox, type Started, sandbox, start } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';

const NO_K6_OPERATOR = k6OperatorBuild(defaultBinDir()) === undefined || findK6() === undefined;

/** `zdd testbed up` in the foreground, through the real CLI: Ctrl-C or SIGTERM stops it all, then exit 130. */

let run: Started | undefined;
let box: Sandbox | undefined;
afterEach(() => {
  if (run?.child.pid && run.child.exitCode === null) run.child.kill('SIGKILL');
  run = undefined;
  box?.remove();
  box = undefined;
});

describe.skipIf(NO_TESTBED)(testbedTitle('zdd testbed up'), () => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops the control plane and everything else, then exit 130',
    async (signal) => {
      box = sandbox('zdd-testbed-up-');
      const started = start(['testbed', 'up'], box.env);
      run = started;
      expect(await until(() => started.output().includes('press Ctrl-C to stop'), 120_000), started.output()).toBe(
        true,
      );
      // etcd, kube-apiserver, kube-controller-manager and the watchdog at least.
      expect(processesOf(box.tmp).length).toBeGreaterThan(4);
      started.child.kill(signal);
      expect(await started.exited, started.output()).toBe(130);
      expect(started.output()).toMatch(
        NO_GATEWAY_API
          ? /gateway API {2}not installed/
          : /gateway API {2}v\d+\.\d+\.\d+ CRDs; the router serves HTTPRoutes as any Gateway they name/,
      );
      expect(started.output()).toContain('stopping the test bed');
      expect(started.output()).toContain(`zdd: stopped by ${signal}; everything zdd started was stopped`);
      expect(await nothingLeft(box.tmp)).toBe(true);
    },
    180_000,
  );
});

describe.skipIf(NO_TESTBED || NO_K6_OPERATOR)(
  `${testbedTitle('zdd testbed up --k6-operator')}${NO_K6_OPERATOR ? ' — skipped: no k6-operator build (testbed/build.sh) or no k6' : ''}`,
  () => {
    test('runs the operator on a network of its own, says where, and SIGINT stops it all', async () => {
      box = sandbox('zdd-testbed-up-');
      const started = start(['testbed', 'up', '--k6-operator'], box.env);
      run = started;
      expect(await until(() => started.output().includes('press Ctrl-C to stop'), 150_000), started.output()).toBe(
        true,
      );
      expect(started.output()).toMatch(
        /k6-operator {2}v1\.5\.0; its runner pods run \S+k6, on the test bed's network, where the router is 10\.0\.0\.\d+:80/,
      );
      started.child.kill('SIGINT');
      expect(await started.exited, started.output()).toBe(130);
      expect(await nothingLeft(box.tmp)).toBe(true);
    }, 200_000);
  },
);
