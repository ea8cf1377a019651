import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { describeFsError } from '../runtime/fs-errors.js';
import { KubeconfigError } from './errors.js';

/** Where the API server is and how to authenticate to it: what a client needs from a kubeconfig. */
export interface KubeConnection {
  /** `https://HOST:PORT`, without a trailing slash. */
  readonly server: string;
  /** PEM of the CA(s) that signed the server's certificate; the system's CAs when absent. */
  readonly ca?: Buffer;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
  readonly token?: string;
  /** PEM client certificate and key, for client-certificate auth. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** The context's namespace, `default` when it names none. */
  readonly namespace: string;
  /** The context these came from. */
  readonly context: string;
}

/** Inline data (`…-data`, base64 in the file) or a file to read, relative to the kubeconfig's folder. */
export type KubeconfigSource = { readonly data: Buffer } | { readonly file: string };

/** A kubeconfig's chosen context, with the files it names not read yet. */
export interface KubeconfigEntry {
  readonly context: string;
  /** The names of the context's cluster and user entries (for messages). */
  readonly cluster: string;
  readonly user?: string;
  readonly namespace: string;
  readonly server: string;
  readonly ca?: KubeconfigSource;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
  readonly token?: KubeconfigSource;
  readonly cert?: KubeconfigSource;
  readonly key?: KubeconfigSource;
}

/** Reads `file` and the files it names; `context` overrides `current-context`. */
export function readKubeconfig(file: string, options: { context?: string } = {}): KubeConnection {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeconfigError(file, 'the file', describeFsError(error));
  }
  const entry = parseKubeconfig(content, file, options);
  const text = (field: string, source: KubeconfigSource | undefined) =>
    source === undefined ? undefined : readSource(file, field, source);
  const cluster = (key: string) => `clusters[${entry.cluster}].cluster.${key}`;
  const user = (key: string) => `users[${entry.user}].user.${key}`;
  const token = text(user('tokenFile'), entry.token)?.toString('utf8').trim();
  return {
    server: entry.server,
    namespace: entry.namespace,
    context: entry.context,
    ...optional('ca', text(cluster('certificate-authority'), entry.ca)),
    ...optional('insecureSkipTlsVerify', entry.insecureSkipTlsVerify),
    ...optional('tlsServerName', entry.tlsServerName),
    ...optional('token', token),
    ...optional('cert', text(user('client-certificate'), entry.cert)),
    ...optional('key', text(user('client-key'), entry.key)),
  };
}

/**
 * Picks the context (`context`, else `current-context`) out of a kubeconfig's
 * text and resolves its cluster and user. Pure: file references are returned
 * as paths (made absolute against `file`'s folder), not read.
 */
export function parseKubeconfig(text: string, file: string, options: { context?: string } = {}): KubeconfigEntry {
  const fail = (field: string, problem: string) => new KubeconfigError(file, field, problem);
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw fail('the file', `is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(document)) throw fail('the file', 'expected a YAML mapping with clusters, users and contexts');
  const contextName = options.context ?? stringField(document, 'current-context');
  if (contextName === undefined || contextName === '') {
    throw fail('current-context', 'is not set; pass a context name');
  }
  const context = namedEntry(document, 'contexts', 'context', contextName, fail);
  const clusterName = stringField(context, 'cluster');
  if (clusterName === undefined) throw fail(`contexts[${contextName}].context.cluster`, 'is missing');
  const cluster = namedEntry(document, 'clusters', 'cluster', clusterName, fail);
  const userName = stringField(context, 'user');
  const user = userName === undefined ? {} : namedEntry(document, 'users', 'user', userName, fail);

  const clusterField = (key: string) => `clusters[${clusterName}].cluster.${key}`;
  const userField = (key: string) => `users[${userName}].user.${key}`;
  const server = stringField(cluster, 'server');
  if (server === undefined) throw fail(clusterField('server'), 'is missing');
  if (!/^https?:\/\/[^/]+/.test(server))
    throw fail(clusterField('server'), `expected an https:// URL, got "${server}"`);
  for (const unsupported of ['exec', 'auth-provider', 'username']) {
    if (user[unsupported] !== undefined) {
      throw fail(userField(unsupported), 'is not supported here; use a token or a client certificate');
    }
  }
  const source = (field: string, dataKey: string, fileKey: string, where: (key: string) => string) => {
    const record = field === 'cluster' ? cluster : user;
    const data = stringField(record, dataKey);
    if (data !== undefined) return { data: Buffer.from(data, 'base64') };
    const path = stringField(record, fileKey);
    if (path === undefined) return undefined;
    if (path === '') throw fail(where(fileKey), 'is empty');
    return { file: isAbsolute(path) ? path : resolve(dirname(file), path) };
  };
  const token = stringField(user, 'token');
  const tokenFile = stringField(user, 'tokenFile');
  const skipVerify = cluster['insecure-skip-tls-verify'];
  const tlsServerName = stringField(cluster, 'tls-server-name');
  const entry: KubeconfigEntry = {
    context: contextName,
    cluster: clusterName,
    ...optional('user', userName),
    namespace: stringField(context, 'namespace') || 'default',
    server: server.replace(/\/+$/, ''),
    ...optional('ca', source('cluster', 'certificate-authority-data', 'certificate-authority', clusterField)),
    ...optional('insecureSkipTlsVerify', skipVerify === true ? true : undefined),
    ...optional('tlsServerName', tlsServerName),
    ...optional(
      'token',
      token !== undefined
        ? { data: Buffer.from(token) }
        : tokenFile !== undefined
          ? { file: resolve(dirname(file), tokenFile) }
          : undefined,
    ),
    ...optional('cert', source('user', 'client-certificate-data', 'client-certificate', userField)),
    ...optional('key', source('user', 'client-key-data', 'client-key', userField)),
  };
  if ((entry.cert === undefined) !== (entry.key === undefined)) {
    throw fail(
      userField(entry.cert === undefined ? 'client-certificate' : 'client-key'),
      'is missing: a client certificate needs both',
    );
  }
  return entry;
}

/** What `kubeconfigYaml` writes: one cluster, one user, one context (also the current one). */
export interface KubeconfigSpec {
  readonly server: string;
  /** Path of the CA's PEM file. */
  readonly caFile: string;
  readonly user: string;
  readonly token: string;
  readonly context: string;
  readonly namespace?: string;
}

/** A kubeconfig with a bearer token, as `kubectl config` would write it. */
export function kubeconfigYaml(spec: KubeconfigSpec): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: spec.context, cluster: { server: spec.server, 'certificate-authority': spec.caFile } }],
    users: [{ name: spec.user, user: { token: spec.token } }],
    contexts: [
      {
        name: spec.context,
        context: { cluster: spec.context, user: spec.user, ...optional('namespace', spec.namespace) },
      },
    ],
    'current-context': spec.context,
  });
}

type Fail = (field: string, problem: string) => KubeconfigError;

/** `document[list]`'s item whose `name` is `name`, returning its `key` mapping (e.g. `contexts[x].context`). */
function namedEntry(
  document: Record<string, unknown>,
  list: string,
  key: string,
  name: string,
  fail: Fail,
): Record<string, unknown> {
  const items = document[list];
  const found = Array.isArray(items) ? items.find((item) => isRecord(item) && item.name === name) : undefined;
  if (!isRecord(found)) throw fail(list, `has no entry named "${name}"`);
  const value = found[key] ?? {};
  if (!isRecord(value)) throw fail(`${list}[${name}].${key}`, 'expected a mapping');
  return value;
}

function readSource(kubeconfig: string, field: string, source: KubeconfigSource): Buffer {
  if ('data' in source) return source.data;
  try {
    return readFileSync(source.file);
  } catch (error) {
    throw new KubeconfigError(kubeconfig, field, `cannot read ${source.file}: ${describeFsError(error)}`);
  }
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ [key]: value }`, or nothing when `value` is undefined (exactOptionalPropertyTypes-friendly spreading). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
