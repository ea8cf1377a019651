import { request as httpRequest, type IncomingMessage, STATUS_CODES } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { delay } from '../runtime/timing.js';
import { KubeApiError, KubeConnectionError, type KubeStatus } from './errors.js';
import { type KubeConnection, readKubeconfig } from './kubeconfig.js';
import { type KubeList, type KubeObject, type Resource, resourcePath } from './resources.js';
import { type WatchEvent, type WatchOptions, watchResource } from './watch.js';

export type { WatchEvent, WatchOptions } from './watch.js';

/** `merge` (RFC 7386), `strategic` (Kubernetes' strategic merge), `json` (RFC 6902 operations), `apply` (server-side apply). */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RequestOptions {
  /** Ends the request early; the call then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface ReadOptions extends RequestOptions {
  /** E.g. `status`, `scale`. */
  readonly subresource?: string;
}

export interface ListOptions extends RequestOptions {
  /** E.g. `app=web,tier!=db`. */
  readonly labelSelector?: string;
  /** E.g. `spec.nodeName=zdd-node`, `status.phase!=Running`. */
  readonly fieldSelector?: string;
}

export interface WriteOptions extends RequestOptions {
  /** Records who changed which field (managedFields). */
  readonly fieldManager?: string;
  /** Validate and default on the server, store nothing. */
  readonly dryRun?: boolean;
}

export interface CreateOptions extends WriteOptions {
  /** POST to a subresource of object `name` instead, e.g. `{ name: 'web', subresource: 'binding' }`. */
  readonly name?: string;
  readonly subresource?: string;
}

export interface ReplaceOptions extends WriteOptions {
  readonly subresource?: string;
}

export interface PatchOptions extends WriteOptions {
  readonly type: PatchType;
  /** Server-side apply only: take over fields other managers own instead of failing with a conflict. */
  readonly force?: boolean;
  readonly subresource?: string;
}

export interface DeleteOptions extends RequestOptions {
  /** 0 deletes at once (a pod's final delete); unset uses the object's own grace period. */
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only this incarnation of the object. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun?: boolean;
}

export interface KubeClientOptions {
  /** For requests other than watches. @default 30000 */
  readonly timeoutMs?: number;
  /** @default 'zdd' */
  readonly userAgent?: string;
}

/** What `raw` returns: the answer as it came, whatever its status. */
export interface RawResponse {
  readonly statusCode: number;
  readonly body: string;
}

/**
 * A minimal Kubernetes REST client for the test bed's own components (node
 * agent, controllers, router, control plane), over node:https. Errors from the
 * API are `KubeApiError`s (status code, reason, the API's message); failures
 * to reach it are `KubeConnectionError`s.
 *
 * @example
 * const api = KubeClient.fromKubeconfig(controlPlane.kubeconfig);
 * const pods = { apiVersion: 'v1', plural: 'pods', namespace: 'default' };
 * const { items } = await api.list<Pod>(pods, { fieldSelector: 'spec.nodeName=' });
 * await api.create(pods, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' },
 *   target: { apiVersion: 'v1', kind: 'Node', name: 'zdd-node' } }, { name: 'web', subresource: 'binding' });
 * await api.patch(pods, 'web', { status: { phase: 'Running' } }, { type: 'merge', subresource: 'status' });
 * for await (const event of api.watch<Pod>(pods, { signal })) console.log(event.type, event.object.metadata?.name);
 * await api.delete(pods, 'web', { gracePeriodSeconds: 0 });
 * api.close();
 */
export class KubeClient {
  /** The namespace of the kubeconfig's context (`default` when it names none). */
  readonly namespace: string;
  readonly server: string;
  private readonly url: URL;
  private readonly agent: Agent | undefined;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  /** A client for `file`'s current context (or `context`). */
  static fromKubeconfig(file: string, options: KubeClientOptions & { context?: string } = {}): KubeClient {
    return new KubeClient(
      readKubeconfig(file, options.context === undefined ? {} : { context: options.context }),
      options,
    );
  }

  constructor(connection: KubeConnection, options: KubeClientOptions = {}) {
    this.server = connection.server;
    this.namespace = connection.namespace;
    this.url = new URL(connection.server);
    this.token = connection.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'zdd';
    // One keep-alive agent per client: status updates and watches reuse TLS connections. Idle sockets are
    // unref'd by Node, so an open client does not keep the process alive.
    this.agent =
      this.url.protocol === 'https:'
        ? new Agent({
            keepAlive: true,
            ...(connection.ca && { ca: connection.ca }),
            ...(connection.cert && { cert: connection.cert }),
            ...(connection.key && { key: connection.key }),
            ...(connection.tlsServerName && { servername: connection.tlsServerName }),
            rejectUnauthorized: connection.insecureSkipTlsVerify !== true,
          })
        : undefined;
  }

  /** One object, or one of its subresources (`{ subresource: 'scale' }`). Throws a 404 `KubeApiError` when absent. */
  async get<T = KubeObject>(resource: Resource, name: string, options: ReadOptions = {}): Promise<T> {
    return this.json<T>('GET', resourcePath(resource, name, options.subresource), options);
  }

  /** Every object of a kind (in `resource.namespace`, or in all namespaces when it has none). */
  async list<T = KubeObject>(resource: Resource, options: ListOptions = {}): Promise<KubeList<T>> {
    const list = await this.json<KubeList<T>>('GET', resourcePath(resource), { ...options, query: selectors(options) });
    // The API leaves kind and apiVersion out of a list's items; put them back, as a watch's objects have them.
    const kind = list.kind?.endsWith('List') ? list.kind.slice(0, -'List'.length) : undefined;
    for (const item of list.items) {
      if (typeof item === 'object' && item !== null) {
        const object = item as KubeObject;
        if (kind !== undefined) object.kind ??= kind;
        if (list.apiVersion !== undefined) object.apiVersion ??= list.apiVersion;
      }
    }
    return list;
  }

  /**
   * The changes to a kind of object, as an async iterator that ends when
   * `signal` aborts (or the loop breaks). Without `resourceVersion` it lists
   * first and yields each existing object as ADDED. It reopens the stream when
   * the server closes it, and when the server has forgotten the version it
   * resumes from (410 Gone) it lists again and yields the difference
   * (ADDED, MODIFIED, DELETED), so a consumer's view stays exact.
   */
  watch<T extends KubeObject = KubeObject>(
    resource: Resource,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>> {
    const path = resourcePath(resource);
    return watchResource<T>(
      {
        list: (signal) => this.list<T>(resource, { ...options, signal }),
        open: (resourceVersion, timeoutSeconds, signal) =>
          this.stream(
            path,
            {
              ...selectors(options),
              watch: 'true',
              allowWatchBookmarks: 'true',
              resourceVersion,
              timeoutSeconds: String(timeoutSeconds),
            },
            signal,
          ),
        describe: `GET ${path}?watch=true`,
      },
      options,
    );
  }

  /** POST: a new object, or (with `name` and `subresource`) e.g. a pod's `binding`. */
  async create<T = KubeObject>(resource: Resource, body: object, options: CreateOptions = {}): Promise<T> {
    const path =
      options.subresource === undefined
        ? resourcePath(resource)
        : resourcePath(resource, options.name, options.subresource);
    return this.json<T>('POST', path, { ...options, query: writeQuery(options), body });
  }

  /** PUT: the whole object (or subresource); fails with 409 Conflict when `metadata.resourceVersion` is stale. */
  async replace<T = KubeObject>(
    resource: Resource,
    name: string,
    body: object,
    options: ReplaceOptions = {},
  ): Promise<T> {
    return this.json<T>('PUT', resourcePath(resource, name, options.subresource), {
      ...options,
      query: writeQuery(options),
      body,
    });
  }

  /**
   * PATCH. `json` takes an array of RFC 6902 operations; `apply` (server-side
   * apply) takes the full intended object and needs a `fieldManager`.
   */
  async patch<T = KubeObject>(resource: Resource, name: string, body: object, options: PatchOptions): Promise<T> {
    if (options.type === 'json' && !Array.isArray(body)) throw new Error('a json patch is an array of operations');
    if (options.type === 'apply' && !options.fieldManager) throw new Error('server-side apply needs a fieldManager');
    const query = writeQuery(options);
    if (options.type === 'apply' && options.force) query.force = 'true';
    return this.json<T>('PATCH', resourcePath(resource, name, options.subresource), {
      ...options,
      query,
      body,
      contentType: PATCH_CONTENT_TYPES[options.type],
    });
  }

  /** DELETE. Returns the object (still there while it terminates or has finalizers) or a Status. */
  async delete(resource: Resource, name: string, options: DeleteOptions = {}): Promise<KubeObject> {
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(options.gracePeriodSeconds !== undefined && { gracePeriodSeconds: options.gracePeriodSeconds }),
      ...(options.propagationPolicy !== undefined && { propagationPolicy: options.propagationPolicy }),
      ...(options.preconditions !== undefined && { preconditions: options.preconditions }),
      ...(options.dryRun && { dryRun: ['All'] }),
    };
    return this.json<KubeObject>('DELETE', resourcePath(resource, name), { ...options, body });
  }

  /** A GET of any path (`/readyz`, `/version`), answered whatever its status; throws only when unreachable. */
  async raw(path: string, options: RequestOptions = {}): Promise<RawResponse> {
    const response = await this.send('GET', path, { ...options, accept: '*/*' });
    return { statusCode: response.statusCode ?? 0, body: await readBody(response) };
  }

  /** Closes idle connections; open watches end with their signals. */
  close(): void {
    this.agent?.destroy();
  }

  private async json<T>(method: string, path: string, options: SendOptions): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.send(method, path, options);
      let body: string;
      try {
        body = await readBody(response);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        throw new KubeConnectionError(method, `${this.server}${pathWithQuery(path, options.query)}`, { cause: error });
      }
      const statusCode = response.statusCode ?? 0;
      // 429 with Retry-After: the server did not act on the request (e.g. a new CRD's storage is still
      // initialising); client-go waits and retries too.
      const retryAfter = Number(response.headers['retry-after']);
      if (statusCode === 429 && Number.isFinite(retryAfter) && attempt < MAX_ATTEMPTS_ON_429) {
        await delay(Math.min(Math.max(retryAfter, 0.1), 5) * 1000, options.signal);
        if (options.signal?.aborted) throw options.signal.reason;
        continue;
      }
      if (statusCode < 200 || statusCode > 299) {
        throw apiError(method, pathWithQuery(path, options.query), statusCode, body);
      }
      return (body === '' ? {} : JSON.parse(body)) as T;
    }
  }

  /** Opens a watch stream; the response is 200 or this throws the API's error. */
  private async stream(path: string, query: Query, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    const response = await this.send('GET', path, { query, ...(signal && { signal }), noTimeout: true });
    const statusCode = response.statusCode ?? 0;
    if (statusCode !== 200) throw apiError('GET', pathWithQuery(path, query), statusCode, await readBody(response));
    return response;
  }

  private send(method: string, path: string, options: SendOptions): Promise<IncomingMessage> {
    const signals = [options.signal, options.noTimeout ? undefined : AbortSignal.timeout(this.timeoutMs)].filter(
      (signal): signal is AbortSignal => signal !== undefined,
    );
    const signal = signals.length === 0 ? undefined : AbortSignal.any(signals);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const target = pathWithQuery(path, options.query);
    const headers: Record<string, string | number> = {
      accept: options.accept ?? 'application/json',
      'user-agent': this.userAgent,
      ...(this.token && { authorization: `Bearer ${this.token}` }),
      ...(payload !== undefined && {
        'content-type': options.contentType ?? 'application/json',
        'content-length': Buffer.byteLength(payload),
      }),
    };
    const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
          port: this.url.port,
          method,
          path: `${this.url.pathname.replace(/\/$/, '')}${target}`,
          headers,
          ...(this.agent && { agent: this.agent }),
          ...(signal && { signal }),
        },
        resolve,
      );
      outgoing.once('error', (error) => {
        // The caller's own abort is not a connection problem: reject with its reason, as fetch does.
        if (options.signal?.aborted) reject(options.signal.reason);
        else reject(new KubeConnectionError(method, `${this.server}${target}`, { cause: error }));
      });
      outgoing.end(payload);
    });
  }
}

type Query = Record<string, string | undefined>;

const MAX_ATTEMPTS_ON_429 = 5;

interface SendOptions extends RequestOptions {
  readonly query?: Query;
  readonly body?: object;
  readonly contentType?: string;
  readonly accept?: string;
  readonly noTimeout?: boolean;
}

function selectors(options: ListOptions): Query {
  return { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
}

function writeQuery(options: WriteOptions): Query {
  return { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined };
}

function pathWithQuery(path: string, query: Query | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      body += chunk;
    });
    response.once('end', () => resolve(body));
    response.once('error', reject);
  });
}

/** The API's Status (or whatever the body says) as a `KubeApiError`. */
function apiError(method: string, path: string, statusCode: number, body: string): KubeApiError {
  let status: KubeStatus | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) status = parsed as KubeStatus;
  } catch {
    // Not JSON (e.g. a proxy's page): the text is the message.
  }
  const reason = status?.reason || STATUS_CODES[statusCode] || 'Unknown';
  const message = status?.message || body.trim() || `HTTP ${statusCode}`;
  return new KubeApiError(method, path, statusCode, reason, message, status);
}
