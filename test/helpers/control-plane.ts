import { join } from 'node:path';
import { execa } from 'execa';
import type { KubeClient } from '../../src/kube/api-client.js';
import { isKubeApiError } from '../../src/kube/errors.js';
import { type ControlPlane, defaultBinDir, missingBinaries } from '../../src/testbed/control-plane.js';
import { sleep } from './wait.js';

/** True when testbed/build.sh has not built the control plane's binaries: test bed tests skip then. */
export const NO_TESTBED = missingBinaries(defaultBinDir()).length > 0;

/** The reason test bed tests give when they skip. */
export const NO_TESTBED_REASON =
  'skipped: no etcd/kube-apiserver/kube-controller-manager in testbed/bin; run testbed/build.sh';

/** A test or describe title that says why it skips, when it does. */
export function testbedTitle(title: string): string {
  return NO_TESTBED ? `${title} (${NO_TESTBED_REASON})` : title;
}

/**
 * Runs the real kubectl against `plane` (admin, or the restricted user). Its
 * discovery cache goes into the control plane's folder, which `stop()` removes,
 * not into ~/.kube. Never throws.
 */
export function kubectl(
  plane: ControlPlane,
  args: readonly string[],
  options: { restricted?: boolean; input?: string } = {},
) {
  const kubeconfig = options.restricted ? plane.restrictedKubeconfig : plane.kubeconfig;
  return execa('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(plane.dir, 'kubectl-cache'), ...args], {
    reject: false,
    timeout: 60_000,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
}

/**
 * Creates namespace `name` and waits for its `default` ServiceAccount: until the
 * controller manager has made it, the API refuses pods there.
 */
export async function createNamespace(api: KubeClient, name: string): Promise<void> {
  await api.create({ apiVersion: 'v1', plural: 'namespaces' }, { metadata: { name } });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await api.get({ apiVersion: 'v1', plural: 'serviceaccounts', namespace: name }, 'default');
      return;
    } catch (error) {
      if (!isKubeApiError(error, 404) || Date.now() > deadline) throw error;
    }
    await sleep(50);
  }
}
