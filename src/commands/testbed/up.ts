import type { ReloadDiscipline } from '../../cluster/router/reloading-router.js';
import { untilAborted } from '../../runtime/timing.js';
import { startTestbed } from '../../testbed/testbed.js';

export interface TestbedUpOptions {
  /** The router's reload interval, seconds. @default 5 */
  readonly reloadIntervalSeconds?: number;
  /** @default 'periodic' */
  readonly reloads?: ReloadDiscipline;
  /** `--seed`: the router's reload phase at each rollout, as `zdd compare --seed` gives the local router. @default - none */
  readonly seed?: number;
  /** `--k6-operator`: run the k6-operator, its runner pods running this k6. @default - not run */
  readonly k6Operator?: { readonly k6: string };
  /** The test bed stops when this aborts (Ctrl-C, SIGTERM). @default - runs until the process ends */
  readonly signal?: AbortSignal;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/**
 * `zdd testbed up`: a real Kubernetes control plane (built by testbed/build.sh) with zdd's node agent,
 * DeploymentConfig controller and router, in the foreground, so that `--target cluster` can be tried
 * without a cluster. Ctrl-C stops everything.
 */
export async function testbedUp(options: TestbedUpOptions = {}): Promise<void> {
  const log = options.log ?? console.log;
  const bed = await startTestbed({
    ...(options.reloadIntervalSeconds !== undefined && { reloadIntervalSeconds: options.reloadIntervalSeconds }),
    ...(options.reloads !== undefined && { reloads: options.reloads }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.k6Operator && { k6Operator: true, k6: options.k6Operator.k6 }),
    ...(options.signal && { signal: options.signal }),
  });
  try {
    log(`API server   ${bed.server}`);
    log(`kubeconfig   ${bed.kubeconfig}   (admin; a read-only user: ${bed.restrictedKubeconfig})`);
    log(`router       ${bed.routerAddress}   (Routes get hosts NAME-NAMESPACE.${bed.routerDomain})`);
    log(
      bed.gatewayApiVersion === undefined
        ? 'gateway API  not installed (testbed/build.sh copies its CRDs)'
        : `gateway API  ${bed.gatewayApiVersion} CRDs; the router serves HTTPRoutes as any Gateway they name`,
    );
    if (bed.k6OperatorVersion !== undefined) {
      log(
        `k6-operator  ${bed.k6OperatorVersion}; its runner pods run ${options.k6Operator?.k6}, on the test bed's network, where the router is ${bed.routerServiceAddress}`,
      );
    }
    log('try:');
    log(`  kubectl --kubeconfig ${bed.kubeconfig} create namespace demo`);
    log(
      `  zdd compare --target cluster --kubeconfig ${bed.kubeconfig} --namespace demo --router-address ${bed.routerAddress} --cleanup`,
    );
    log('press Ctrl-C to stop');
    if (options.signal) await untilAborted(options.signal);
    log('stopping the test bed');
  } finally {
    await bed.stop();
  }
}
