/**
 * The cluster CLI zdd drives: `oc` when it is on PATH (it also knows
 * DeploymentConfigs' `rollout latest`), else `kubectl`. Every cluster action
 * is one command a person could type; `describe()` prints it.
 */
import { execa } from 'execa';
import { SetupError, ToolError } from '../../runtime/errors.js';
import { findOnPath } from '../../runtime/executables.js';
import { type CliName, type ClusterCommand, commands } from './commands.js';

/** How to reach the cluster: the user's kubeconfig, with the flags that override it. */
export interface ClusterAccess {
  /** `--kubeconfig`. @default - $KUBECONFIG or ~/.kube/config, as kubectl reads it */
  readonly kubeconfig?: string;
  /** `--context`. @default - the kubeconfig's current context */
  readonly context?: string;
  /** `--namespace`; resolved before use (see `resolveAccess`). */
  readonly namespace: string;
  /** Where the namespace came from: `--namespace`, the context, or kubectl's `default`. @default 'flag' */
  readonly namespaceFrom?: 'flag' | 'context' | 'default';
  /** The context kubectl uses, by name, as the kubeconfig says. @default - unknown */
  readonly contextName?: string;
  /** Its API server's URL, as the kubeconfig says. @default - unknown */
  readonly server?: string;
}

/** A found CLI and how to call it. */
export interface ClusterCli {
  readonly name: CliName;
  readonly path: string;
  readonly access: ClusterAccess;
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

/** The command as a person would type it, e.g. `kubectl --namespace demo apply --filename manifests.yaml`. */
export function describe(cli: Pick<ClusterCli, 'name' | 'access'>, command: ClusterCommand): string {
  return [cli.name, ...accessArgs(cli.access), ...command.args].map(quote).join(' ');
}

/** What the cluster refused, for callers that go on after some refusals (a namespace they may not read). */
export type RefusalReason =
  | 'forbidden'
  | 'credentials'
  | 'context'
  | 'unreachable'
  | 'no-api'
  | 'no-namespace'
  | 'exists';

/** A refusal of the cluster, in words; `reason` says which kind. */
export class ClusterRefusal extends SetupError {
  override name = 'ClusterRefusal';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
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
  const result = await execute(cli, command, timeoutMs);
  if (result.exitCode === 0) return result;
  throw clusterError(cli, command, result.stderr || result.stdout, result.timedOut, result.exitCode);
}

/**
 * Runs `auth can-i`: true for yes, false for no (exit 1 with "no" on stdout, whatever warnings go to stderr);
 * any other failure throws as `run` does.
 */
export async function canI(cli: ClusterCli, command: ClusterCommand): Promise<boolean> {
  const result = await execute(cli, command, 60_000);
  if (result.exitCode === 0) return true;
  if (result.exitCode === 1 && /^no\b/.test(result.stdout.trim())) return false;
  throw clusterError(cli, command, result.stderr || result.stdout, result.timedOut, result.exitCode);
}

async function execute(
  cli: ClusterCli,
  command: ClusterCommand,
  timeoutMs: number,
): Promise<CommandResult & { timedOut: boolean }> {
  const result = await execa(cli.path, [...accessArgs(cli.access), ...command.args], {
    stdin: 'ignore',
    reject: false,
    timeout: timeoutMs,
    stripFinalNewline: false,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1, timedOut: result.timedOut };
}

/** What a failed command means for the user; hints name only the flags the user has not given. Pure. */
export function clusterError(
  cli: Pick<ClusterCli, 'name' | 'access'>,
  command: ClusterCommand,
  output: string,
  timedOut = false,
  exitCode?: number,
): Error {
  const text = output.trim();
  const typed = describe(cli, command);
  const { access } = cli;
  if (timedOut) return new ToolError(cli.name, `\`${typed}\` did not finish in time`, text);
  const forbidden = /cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/.exec(
    text,
  );
  if (forbidden) {
    const [, verb, resource, group, namespace] = forbidden;
    const what = group ? `${resource}.${group}` : resource;
    return new ClusterRefusal(
      'forbidden',
      `the cluster forbids this user to ${verb} ${what}${namespace ? ` in namespace ${namespace}` : ''} (\`${typed}\`); ${askOrMove(access)}`,
    );
  }
  if (/You must be logged in|Unauthorized|provide credentials/i.test(text)) {
    return new ClusterRefusal(
      'credentials',
      `the cluster does not accept the credentials of ${contextWords(access)} (${firstLine(text)}): ${cli.name === 'oc' ? 'log in again (oc login …)' : "renew the credentials of the context's user in the kubeconfig"}${flagHint(access, ['--kubeconfig', '--context'], ', or pass ')}`,
    );
  }
  if (
    /current-context is not set|current-context must exist|context was not found|no configuration has been provided|invalid configuration/i.test(
      text,
    )
  ) {
    return new ClusterRefusal(
      'context',
      `no usable kubeconfig context: ${firstLine(text)}; ${cli.name === 'oc' ? 'log in (oc login …)' : 'choose one (kubectl config use-context NAME)'}${flagHint(access, ['--kubeconfig', '--context'], ', or pass ')}`,
    );
  }
  const unreachable = unreachableServer(access, text);
  if (unreachable) {
    return new ClusterRefusal(
      'unreachable',
      `${unreachable} (\`${typed}\`)${flagHint(access, ['--kubeconfig', '--context'], '; to use another cluster, pass ')}`,
    );
  }
  const missingType = /doesn't have a resource type "([^"]+)"/.exec(text);
  if (missingType) {
    const resource = missingType[1] ?? '';
    const hint = resource.startsWith('routes')
      ? ': Routes are OpenShift’s; on plain Kubernetes use --expose ingress --domain …'
      : resource.startsWith('deploymentconfigs')
        ? ': DeploymentConfigs are OpenShift’s; on plain Kubernetes use --workload deployment'
        : resource.startsWith('httproutes')
          ? ': HTTPRoutes need the Gateway API CRDs (sigs.k8s.io/gateway-api, standard channel) and a Gateway controller; or use --expose route or ingress'
          : '';
    return new ClusterRefusal('no-api', `this cluster has no ${resource} API${hint}`);
  }
  if (/namespaces? "[^"]+" not found/.test(text)) {
    const from =
      access.namespaceFrom === 'context'
        ? " (the context's namespace)"
        : access.namespaceFrom === 'default'
          ? ' (kubectl’s default: the context names none)'
          : '';
    return new ClusterRefusal(
      'no-namespace',
      `namespace ${access.namespace}${from} does not exist: create it (\`${describe(cli, commands.createNamespace(cli.name, access.namespace))}\`)${flagHint(access, ['--namespace'], ', or pass ')}`,
    );
  }
  const exists = /\(AlreadyExists\).*?([\w.]+) "([^"]+)" already exists/.exec(text);
  if (exists) {
    return new ClusterRefusal(
      'exists',
      `${exists[1]} ${exists[2]} was created in namespace ${access.namespace} by someone else after zdd checked the names (\`${typed}\`): zdd changed nothing of it, and removes what it created itself`,
    );
  }
  return new ToolError(cli.name, `\`${typed}\` exited with code ${exitCode ?? '?'}: ${firstLine(text)}`, text);
}

/** Why the API server cannot be reached, in words, or undefined when that is not the problem. */
function unreachableServer(access: ClusterAccess, text: string): string | undefined {
  const server = access.server ?? 'the API server';
  const where = `the server address of ${contextWords(access)} in the kubeconfig`;
  const dns = /lookup ([^\s:]+)(?: on [^:]+:\d+)?: (no such host|server misbehaving|i\/o timeout|[^\n]*)/.exec(text);
  if (dns && /dial tcp/.test(text)) {
    const host = dns[1] ?? hostOf(access.server);
    return `the API server's host ${host} does not resolve (DNS: ${dns[2]}): check ${where}, and your DNS or VPN`;
  }
  if (/connection refused|was refused/i.test(text)) {
    return `the API server ${server} refuses connections (nothing listens there): check that the cluster is up, and ${where}`;
  }
  if (
    /i\/o timeout|TLS handshake timeout|context deadline exceeded|Client\.Timeout|no route to host|network is unreachable|Unable to connect to the server/i.test(
      text,
    )
  ) {
    return `the API server ${server} does not answer (${firstLine(text).replace(/^Unable to connect to the server: /, '')}): check your network or VPN, and ${where}`;
  }
  return undefined;
}

/** The end of a refusal: what to ask for, and where else to go. */
export function askOrMove(access: ClusterAccess): string {
  return namespaceGiven(access)
    ? 'ask for that permission, or use a namespace where you have it'
    : 'ask for that permission, or pass --namespace with a namespace where you have it';
}

/** True when the user named the namespace (`--namespace`) rather than taking the context's. */
export function namespaceGiven(access: ClusterAccess): boolean {
  return access.namespaceFrom === undefined || access.namespaceFrom === 'flag';
}

/** "context prod" or "the current context". */
export function contextWords(access: ClusterAccess): string {
  const name = access.context ?? access.contextName;
  return name ? `context ${name}` : 'the current context';
}

/** `lead` and the flags among `flags` the user has not given, or '' when they gave them all. */
export function flagHint(
  access: ClusterAccess,
  flags: ReadonlyArray<'--kubeconfig' | '--context' | '--namespace'>,
  lead: string,
): string {
  const given = {
    '--kubeconfig': access.kubeconfig !== undefined,
    '--context': access.context !== undefined,
    '--namespace': namespaceGiven(access),
  };
  const untold = flags.filter((flag) => !given[flag]);
  return untold.length === 0 ? '' : `${lead}${untold.join(' or ')}`;
}

function hostOf(server: string | undefined): string | undefined {
  if (server === undefined || !URL.canParse(server)) return undefined;
  return new URL(server).hostname;
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
