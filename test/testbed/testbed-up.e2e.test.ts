import { afterEach, describe, expect, test } from 'vitest';
import { NO_TESTBED, testbedTitle } from '../helpers/control-plane.js';
import { NO_GATEWAY_API } from '../helpers/gateway-api-schema.js';
import { nothingLeft, processesOf, type Sandbox, type Started, sandbox, start } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';

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
