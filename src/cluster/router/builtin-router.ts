import { createHash } from 'node:crypto';
import {
  Agent,
  type ClientRequest,
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request as request_,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { RefusedConnection } from '../../platforms/profile.js';
import { canConnect } from '../../runtime/can-connect.js';
import type { EventLog } from '../../runtime/events.js';
import type { RouterBackend, RouterEndpoint, RouterState, RouterTimings } from './router.js';

/** HAProxy's defaults as OpenShift's router uses them. */
const RETRIES = 3;
const RISE = 2;
const FALL = 3;
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

/** A client request on its way through a backend. */
interface ClientRequestState {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly body: Buffer;
  /** The first request on its client connection (HAProxy answers 502 only then). */
  readonly firstOnConnection: boolean;
  /** Pinned to a server by the route's cookie. */
  readonly sticky: boolean;
}

/** The page OpenShift's router sends when no endpoint can take a request. */
const UNAVAILABLE_PAGE =
  '<html><body><h1>Application is not available</h1><p>The application is currently not serving requests at this endpoint.</p></body></html>\n';

export interface BuiltinRouterOptions {
  readonly timings: RouterTimings;
  /** Server up/down transitions from health checks go here. */
  readonly events?: EventLog;
  /** @default Math.random */
  readonly random?: () => number;
  /**
   * `retry`: HAProxy's retries, redispatch and health checks (below); `error`: a proxy with neither, which
   * answers 502 at once when an endpoint refuses the connection (a cloud load balancer, Envoy without a retry
   * policy, kube-proxy's refused connection).
   * @default 'retry'
   */
  readonly refusedConnection?: RefusedConnection;
}

/**
 * A router in Node with the HAProxy 2.6 semantics of OpenShift's backends, as
 * measured with the real one (bench/haproxy-facts.ts):
 * - `balance random`: two random servers, the one with fewer requests in flight;
 * - `http-reuse safe` (HAProxy's default): a client connection's first request
 *   goes over a new server connection, later ones may take an idle one — so a
 *   server that closes its idle connections (a pod's SIGTERM) can break only
 *   those later requests, never a request on a new client connection;
 * - a sticky cookie per route (`insert indirect nocache httponly`);
 * - a failed connect is retried up to 3 times: at once on another server when
 *   the request is not pinned by a cookie and another server is up; otherwise
 *   on the same server after a 1 s turn-around, the last retry redispatched;
 *   503 when every retry failed (about 3 s with one server);
 * - once the request is sent it is never retried: a server that breaks off
 *   gets the client a 502 on a connection's first request, and a closed
 *   connection after that; a 5xx from a server is passed through;
 * - TCP health checks every `check inter` only while a route has more than
 *   one endpoint; after a reload each server starts one failure from DOWN,
 *   checked first at inter × i / n; rise 2, fall 3;
 * - 504 after `timeout server`.
 * A reload swaps the server list; requests in flight finish where they started.
 */
export class BuiltinRouter implements RouterBackend {
  private readonly listeners = new Map<string, Server>();
  private readonly backends = new Map<string, Backend>();
  private readonly sockets = new Set<Socket>();
  private readonly hostListeners: Server[] = [];

  constructor(private readonly options: BuiltinRouterOptions) {}

  async start(routes: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const ports = new Map<string, number>();
    for (const route of routes) {
      const backend = new Backend(route, this.options);
      this.backends.set(route, backend);
      const { server, port } = await this.listen((req, res) => backend.handle(req, res));
      ports.set(route, port);
      this.listeners.set(route, server);
    }
    return ports;
  }

  /**
   * Applies each route's endpoints. A route new to the router gets a backend
   * (reached through `listenByHost`: it has no listener of its own); a route
   * left out of `state` is removed.
   */
  async apply(state: RouterState): Promise<void> {
    for (const [route, endpoints] of state) {
      let backend = this.backends.get(route);
      if (!backend) {
        backend = new Backend(route, this.options);
        this.backends.set(route, backend);
      }
      backend.setServers(endpoints);
    }
    for (const [route, backend] of this.backends) {
      if (state.has(route)) continue;
      backend.close();
      this.backends.delete(route);
    }
  }

  /**
   * One more listener on 127.0.0.1 (a free port) that sends each request to
   * the route `routeFor` names from its Host header (port removed, lower
   * case), as OpenShift's router shares ports 80/443 between routes; a host
   * no route claims, or a route with no backend yet, gets the router's 503
   * page. Resolves with the port.
   */
  async listenByHost(routeFor: (host: string) => string | undefined): Promise<number> {
    const { server, port } = await this.listen((req, res) => {
      const route = routeFor(hostOf(req));
      const backend = route === undefined ? undefined : this.backends.get(route);
      if (backend) backend.handle(req, res);
      else {
        req.resume();
        req.once('end', () => unavailable(res));
      }
    });
    this.hostListeners.push(server);
    return port;
  }

  /** A listener on a free port of 127.0.0.1, its connections tracked so that `stop()` can end them. */
  private async listen(
    handle: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<{ server: Server; port: number }> {
    const server = createServer({ keepAlive: true }, handle);
    server.keepAliveTimeout = 300_000; // timeout http-keep-alive 300s
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    return { server, port: typeof address === 'object' && address ? address.port : 0 };
  }

  async stop(): Promise<void> {
    for (const backend of this.backends.values()) backend.close();
    for (const socket of this.sockets) socket.destroy();
    const servers = [...this.listeners.values(), ...this.hostListeners];
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** The Host header without its port, in lower case (`App.Example:8080` → `app.example`). */
function hostOf(req: IncomingMessage): string {
  const host = (req.headers.host ?? '').trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

interface ServerState {
  readonly endpoint: RouterEndpoint;
  readonly cookie: string;
  readonly agent: Agent;
  /** HAProxy's health counter: UP while ≥ RISE; from 0 to RISE + FALL - 1. */
  health: number;
  inflight: number;
  checkTimer?: NodeJS.Timeout;
}

function isUp(server: ServerState): boolean {
  return server.health >= RISE;
}

/** One route's backend: its servers, their health, and the request path through them. */
/**
 * How long an idle server connection stays in a backend's pool before the router closes it. Without a limit
 * Node's agent keeps it until the server closes it, and a request sent on it just as the server's keep-alive
 * timeout fires (5 s in Node) is reset: the keep-alive race, more likely the busier the machine, and a failure
 * no rollout caused. HAProxy, too, purges idle server connections on its own (`pool-purge-delay`).
 */
const IDLE_SERVER_CONNECTION_MS = 2000;

class Backend {
  private servers: ServerState[] = [];
  private readonly agents = new Map<string, Agent>();
  /** New server connections, closed after their response: for the first request of each client connection. */
  private readonly fresh = new Agent({ keepAlive: false });
  private readonly requestsPerConnection = new WeakMap<Socket, number>();
  private readonly cookieName: string;

  constructor(
    private readonly route: string,
    private readonly options: BuiltinRouterOptions,
  ) {
    this.cookieName = md5(route);
  }

  setServers(endpoints: readonly RouterEndpoint[]): void {
    const old = this.servers;
    // A reload starts every server fresh and UP, as HAProxy without a server-state file does.
    this.servers = endpoints.map((endpoint) => ({
      endpoint,
      cookie: md5(endpoint.id),
      agent: this.agentFor(endpoint),
      health: RISE, // UP, one failed check from DOWN: no server-state file survives a reload
      inflight: 0,
    }));
    for (const server of old) clearTimeout(server.checkTimer);
    for (const [key, agent] of this.agents) {
      if (this.servers.some((server) => server.agent === agent)) continue;
      // A server that left: close its idle connections; busy ones finish their request, then close.
      (agent as Agent & { keepAlive: boolean }).keepAlive = false;
      for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
      this.agents.delete(key);
    }
    if (this.servers.length > 1 && this.options.refusedConnection !== 'error') {
      // HAProxy spreads the first checks: server i of n at inter × i / n.
      const inter = this.options.timings.checkIntervalMs;
      for (const [index, server] of this.servers.entries()) {
        this.scheduleCheck(server, (inter * index) / this.servers.length);
      }
    }
  }

  close(): void {
    for (const server of this.servers) clearTimeout(server.checkTimer);
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.fresh.destroy();
    this.servers = [];
  }

  /** Keep-alive connections to a server survive reloads that keep the server. */
  private agentFor(endpoint: RouterEndpoint): Agent {
    const key = `${endpoint.id}@${endpoint.host}:${endpoint.port}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_SERVER_CONNECTION_MS });
      this.agents.set(key, agent);
    }
    return agent;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const served = this.requestsPerConnection.get(req.socket) ?? 0;
    this.requestsPerConnection.set(req.socket, served + 1);
    const firstOnConnection = served === 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const sticky = this.stickyServer(req);
      const first = sticky ?? this.pick();
      if (!first) return unavailable(res);
      this.attempt({ req, res, body, firstOnConnection, sticky: sticky !== undefined }, first, RETRIES);
    });
  }

  private attempt(request: ClientRequestState, server: ServerState, retriesLeft: number): void {
    const { req, res, body } = request;
    const { timings } = this.options;
    let connected = false;
    let answered = false;
    server.inflight += 1;
    let counted = true;
    const done = () => {
      if (counted) server.inflight -= 1;
      counted = false;
    };
    const upstream: ClientRequest = request_({
      host: server.endpoint.host,
      port: server.endpoint.port,
      method: req.method,
      path: req.url,
      headers: this.forwardHeaders(req),
      // http-reuse safe: an idle connection only for a request that is not its client connection's first.
      agent: request.firstOnConnection ? this.fresh : server.agent,
    });
    const connectTimer = setTimeout(() => {
      if (!connected) upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' }));
    }, timings.connectTimeoutMs);
    upstream.on('socket', (socket: Socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    const serverTimer = setTimeout(() => {
      if (!answered) {
        upstream.destroy();
        if (!res.headersSent) respond(res, 504, 'Gateway Time-out');
      }
    }, timings.serverTimeoutMs);
    upstream.on('response', (answer) => {
      answered = true;
      clearTimeout(connectTimer);
      clearTimeout(serverTimer);
      res.writeHead(answer.statusCode ?? 502, this.responseHeaders(answer, server, request.sticky));
      answer.pipe(res);
      answer.on('end', done);
      // A server that breaks off mid-response: the client's connection is cut too.
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
      res.on('close', done);
    });
    upstream.on('error', () => {
      clearTimeout(connectTimer);
      clearTimeout(serverTimer);
      done();
      if (answered || res.headersSent) return void res.destroy();
      if (connected) {
        // The request was sent: never retried. HAProxy answers 502 on a client
        // connection's first request and closes the connection after that.
        if (request.firstOnConnection) respond(res, 502, 'Bad Gateway');
        else req.socket.destroy();
        return;
      }
      if (this.options.refusedConnection === 'error') return respond(res, 502, 'Bad Gateway');
      if (retriesLeft === 0) return unavailable(res);
      const other = this.pick(server);
      if (!request.sticky && other && other !== server) {
        // Not pinned and another server is up: redispatch at once.
        return this.attempt(request, other, retriesLeft - 1);
      }
      // Pinned, or the only server: retry the same one after the turn-around; the last retry redispatches.
      const next = retriesLeft === 1 ? (other ?? server) : server;
      const wait = next === server ? timings.retryDelayMs : 0;
      setTimeout(() => {
        if (req.socket.destroyed) return;
        this.attempt({ ...request, sticky: request.sticky && next === server }, next, retriesLeft - 1);
      }, wait);
    });
    upstream.end(body);
  }

  /** The server the client's cookie names, if it is in the backend and up. */
  private stickyServer(req: IncomingMessage): ServerState | undefined {
    const cookie = req.headers.cookie;
    if (!cookie) return undefined;
    const value = cookie
      .split(';')
      .map((part) => part.trim().split('='))
      .find(([name]) => name === this.cookieName)?.[1];
    return this.servers.find((server) => server.cookie === value && isUp(server));
  }

  /**
   * `balance random`, HAProxy 2.x style: draw two servers that are up and take
   * the one with fewer requests in flight; avoid `except` when another is up.
   */
  private pick(except?: ServerState): ServerState | undefined {
    const up = this.servers.filter(isUp);
    const candidates = up.length > 1 && except ? up.filter((server) => server !== except) : up;
    const a = candidates[Math.floor(this.random() * candidates.length)];
    const b = candidates[Math.floor(this.random() * candidates.length)];
    if (!a || !b) return a ?? b;
    return b.inflight < a.inflight ? b : a;
  }

  private forwardHeaders(req: IncomingMessage): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    }
    // `indirect`: the router's own cookie is not passed to the application.
    if (typeof headers.cookie === 'string') {
      const rest = headers.cookie
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '' && !part.startsWith(`${this.cookieName}=`));
      if (rest.length > 0) headers.cookie = rest.join('; ');
      else delete headers.cookie;
    }
    const forwardedFor = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = forwardedFor
      ? `${forwardedFor}, ${req.socket.remoteAddress}`
      : req.socket.remoteAddress;
    headers['x-forwarded-host'] = req.headers.host;
    headers['x-forwarded-port'] = String(req.socket.localPort);
    headers['x-forwarded-proto'] = 'http';
    return headers;
  }

  private responseHeaders(answer: IncomingMessage, server: ServerState, sticky: boolean): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    }
    if (!sticky) {
      // `insert nocache httponly`
      const cookie = `${this.cookieName}=${server.cookie}; path=/; HttpOnly`;
      const existing = headers['set-cookie'];
      headers['set-cookie'] = existing
        ? [...(Array.isArray(existing) ? existing : [String(existing)]), cookie]
        : [cookie];
      headers['cache-control'] = 'private';
    }
    return headers;
  }

  private scheduleCheck(server: ServerState, afterMs: number): void {
    server.checkTimer = setTimeout(() => {
      void canConnect(
        server.endpoint.host,
        server.endpoint.port,
        Math.min(this.options.timings.connectTimeoutMs, 5000),
      ).then((ok) => {
        if (!this.servers.includes(server)) return;
        this.recordCheck(server, ok);
        this.scheduleCheck(server, this.options.timings.checkIntervalMs);
      });
    }, afterMs);
    server.checkTimer.unref();
  }

  /** HAProxy's health counter: successes fill it up, failures drain it; UP at RISE or more. */
  private recordCheck(server: ServerState, ok: boolean): void {
    const max = RISE + FALL - 1;
    const wasUp = isUp(server);
    if (ok) server.health = wasUp ? max : server.health + 1 >= RISE ? max : server.health + 1;
    else server.health = wasUp && server.health - 1 >= RISE ? server.health - 1 : 0;
    if (wasUp !== isUp(server)) {
      this.options.events?.record(isUp(server) ? 'server-up' : 'server-down', server.endpoint.id, {
        workload: this.route,
        detail: 'health check',
      });
    }
  }

  private random(): number {
    return (this.options.random ?? Math.random)();
  }
}

function unavailable(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(503, {
    'content-type': 'text/html',
    'cache-control': 'no-cache',
    'content-length': Buffer.byteLength(UNAVAILABLE_PAGE),
  });
  res.end(UNAVAILABLE_PAGE);
}

function respond(res: ServerResponse, status: number, text: string): void {
  const body = `<html><body><h1>${status} ${text}</h1></body></html>\n`;
  res.writeHead(status, {
    'content-type': 'text/html',
    'cache-control': 'no-cache',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
