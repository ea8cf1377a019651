import { describePermission } from '../../cluster/remote/commands.js';
import { askOrMove, type ClusterCli, ClusterRefusal, canI, describe, run } from '../../cluster/remote/kubectl.js';
import { SetupError } from '../../runtime/errors.js';
import { INSTALL_HINT, operatorCommands, operatorPermissions } from './commands.js';

/**
 * Before anything is created: the cluster serves the TestRun API (the k6-operator is installed) and this user may
 * do what the load needs (create the ConfigMap and TestRun, read the runner pods and their logs, delete the TestRun
 * to stop them). Each refusal says what is missing and how to get it.
 */
export async function checkOperatorAccess(cli: ClusterCli, options: { readonly cleanup: boolean }): Promise<void> {
  await run(cli, operatorCommands.api()).catch((error: unknown) => {
    const missing =
      (error instanceof ClusterRefusal && error.reason === 'no-api') ||
      (error instanceof Error && /could not find the requested resource|NotFound|404/i.test(error.message));
    if (!missing) throw error;
    throw new SetupError(
      `--load k6-operator: this cluster has no TestRun API (k6.io/v1alpha1): the k6-operator is not installed; ${INSTALL_HINT}`,
    );
  });
  for (const permission of operatorPermissions(options.cleanup)) {
    const command = operatorCommands.canI(permission);
    if (!(await canI(cli, command))) {
      throw new SetupError(
        `--load k6-operator: the cluster forbids this user to ${describePermission(permission)} in namespace ${cli.access.namespace} (\`${describe(cli, command)}\` says no); ${askOrMove(cli.access)}`,
      );
    }
  }
}
