import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../kube/resources.js';
import { readCrdFiles, yamlFilesIn } from './crd-files.js';

/**
 * grafana/k6-operator, as testbed/build.sh builds it into `<binDir>/k6-operator/`: the command, its CRDs
 * (`crds/`, config/crd/bases/ of its module, unchanged) and `VERSION`. The test bed runs it, when asked, as one
 * more component of its control plane, so that `TestRun`s run as on any cluster with the operator installed.
 */
export const K6_OPERATOR_FOLDER = 'k6-operator';

export interface K6OperatorBuild {
  /** The folder `build.sh` wrote. */
  readonly dir: string;
  /** The module version it was built from (`v1.5.0`). */
  readonly version: string;
  /** TestRun and PrivateLoadZone: the operator watches both and does not start without them. */
  readonly crds: readonly KubeObject[];
}

/** The build in `binDir`, or undefined when build.sh has not built it (or the command cannot run). */
export function k6OperatorBuild(binDir: string): K6OperatorBuild | undefined {
  const dir = join(binDir, K6_OPERATOR_FOLDER);
  const versionFile = join(dir, 'VERSION');
  try {
    accessSync(join(dir, 'k6-operator'), constants.X_OK);
  } catch {
    return undefined;
  }
  if (!existsSync(versionFile)) return undefined;
  return {
    dir,
    version: readFileSync(versionFile, 'utf8').trim(),
    crds: readCrdFiles(yamlFilesIn(join(dir, 'crds'))),
  };
}

/**
 * The operator's flags: the test bed's admin kubeconfig; no metrics or health listener (nothing reads them, and a
 * fixed port would clash between test beds); one replica, so no leader election; JSON logs.
 */
export function k6OperatorArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--metrics-bind-address=0',
    '--health-probe-bind-address=0',
    '--leader-elect=false',
    '--zap-devel=false',
  ];
}

/** Whether the operator's log says its TestRun controller is running (controller-runtime's "Starting workers"). */
export function k6OperatorStarted(log: string): boolean {
  return log.split('\n').some((line) => line.includes('"Starting workers"') && line.includes('"controller":"testrun"'));
}
