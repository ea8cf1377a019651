/**
 * The cluster CLI zdd drives: `oc` when it is on PATH (it also knows
 * DeploymentConfigs' `rollout latest`), else `kubectl`. Every cluster action
 * is one command a person could type; `describe()` prints it.
 */
import { execa } from 'execa';
import { SetupError, ToolError } from '../../errors.js';
import { findOnPath } from '../../runtime/executables.js';

/** How to reach the cluster: the user's kubeconfig, with the flags that override it. */
export interface ClusterAccess {
  /** `--kubeconfig`. @default - $KUBECONFIG or ~/.kube/config, as kubectl reads it */
  readonly kubeconfig?: string;
  /** `--context`. @default - the kubeconfig's current context */
  readonly context?: string;
  /** `--namespace`; resolved before use (see `resolveNamespace`). */
  readonly namespace: string;
}

export type CliName = 'oc' | 'kubectl';

/** A found CLI and how to call it. */
export interface ClusterCli {
  readonly name: CliName;
  readonly path: string;
  readonly access: ClusterAccess;
}

/** One command: its arguments after the CLI's name, and what goes to its stdin. */
export interface ClusterCommand {
  readonly args: readonly string[];
  readonly stdin?: string;
  /** What stdin holds, for `describe()` (e.g. "the manifests of both variants"). */
  readonly stdinDescription?: string;
}

/** Finds `oc`, else `kubectl`, on PATH; `prefer` forces one. */
export function findClusterCli(access: ClusterAccess, env: NodeJS.ProcessEnv = process.env): ClusterCli {
  for (const name of ['oc', 'kubectl'] as const) {
    const path = findOnPath(name, env);
    if (path) return { name, path, access };
  }
  throw new SetupError(
    '--target cluster needs oc or kubectl on PATH (neither was found): install the OpenShift CLI (oc) or kubectl, and log in (oc login, or a kubeconfig for kubectl)',
  );
}

/** The global flags every command gets: kubeconfig, context and namespace. */
export function accessArgs(access: ClusterAccess): string[] {
  return [
    ...(access.kubeconfig ? ['--kubeconfig', access.kubeconfig] : []),
    ...(access.context ? ['--context', access.context] : []),
    '--namespace',
    access.namespace,
  ];
}

/** The command as a person would type it, e.g. `kubectl --namespace demo apply -f -`. */
export function describe(cli: Pick<ClusterCli, 'name' | 'access'>, command: ClusterCommand): string {
  const words = [cli.name, ...accessArgs(cli.access), ...command.args].map(quote);
  return `${words.join(' ')}${command.stdinDescription ? `   # stdin: ${command.stdinDescription}` : ''}`;
}

/** The result of a command that ran. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * Runs a command; a non-zero exit becomes a `SetupError` that says what the
 * cluster refused (forbidden verb and resource, not logged in, no such
 * namespace, …) or a `ToolError` with the CLI's last lines.
 */
export async function run(cli: ClusterCli, command: ClusterCommand, timeoutMs = 60_000): Promise<CommandResult> {
  const result = await execa(cli.path, [...accessArgs(cli.access), ...command.args], {
    input: command.stdin,
    stdin: command.stdin === undefined ? 'ignore' : 'pipe',
    reject: false,
    timeout: timeoutMs,
    stripFinalNewline: false,
  });
  if (result.exitCode === 0) return { stdout: result.stdout, stderr: result.stderr, exitCode: 0 };
  throw clusterError(cli, command, result.stderr || result.stdout, result.timedOut, result.exitCode);
}

/** What a failed command means for the user. Pure. */
export function clusterError(
  cli: Pick<ClusterCli, 'name' | 'access'>,
  command: ClusterCommand,
  output: string,
  timedOut = false,
  exitCode?: number,
): Error {
  const text = output.trim();
  const typed = describe(cli, command);
  if (timedOut) return new ToolError(cli.name, `\`${typed}\` did not finish in time`, text);
  const forbidden = /cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/.exec(
    text,
  );
  if (forbidden) {
    const [, verb, resource, group, namespace] = forbidden;
    const what = group ? `${resource}.${group}` : resource;
    return new SetupError(
      `the cluster forbids this user to ${verb} ${what}${namespace ? ` in namespace ${namespace}` : ''} (\`${typed}\`); ask for that permission or use another --namespace`,
    );
  }
  if (/You must be logged in|Unauthorized|provide credentials/i.test(text)) {
    return new SetupError(
      `the cluster does not accept the credentials of ${cli.access.context ? `context ${cli.access.context}` : 'the current context'}: log in (oc login …) or pass --kubeconfig / --context (${firstLine(text)})`,
    );
  }
  if (
    /current-context is not set|context was not found|no configuration has been provided|invalid configuration/i.test(
      text,
    )
  ) {
    return new SetupError(
      `no usable kubeconfig context: ${firstLine(text)}; log in (oc login …), or pass --kubeconfig and --context`,
    );
  }
  if (/connection refused|was refused|no such host|i\/o timeout|Unable to connect to the server/i.test(text)) {
    return new SetupError(`the cluster does not answer: ${firstLine(text)} (\`${typed}\`)`);
  }
  const missingType = /doesn't have a resource type "([^"]+)"/.exec(text);
  if (missingType) {
    const resource = missingType[1] ?? '';
    const hint = resource.startsWith('routes')
      ? ': Routes are OpenShift’s; on plain Kubernetes use --expose ingress --domain …'
      : resource.startsWith('deploymentconfigs')
        ? ': DeploymentConfigs are OpenShift’s; on plain Kubernetes use --workload deployment'
        : '';
    return new SetupError(`this cluster has no ${resource} API${hint}`);
  }
  if (/namespaces? "[^"]+" not found/.test(text)) {
    return new SetupError(
      `namespace ${cli.access.namespace} does not exist: create it (oc new-project ${cli.access.namespace}) or pass another --namespace`,
    );
  }
  return new ToolError(cli.name, `\`${typed}\` exited with code ${exitCode ?? '?'}: ${firstLine(text)}`, text);
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? '(no output)'
  );
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
