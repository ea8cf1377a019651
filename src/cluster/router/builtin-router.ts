import { createHash } from 'node:crypto';
import {
  Agent,
  type ClientRequest,
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import type { EventLog } from '../local/events.js';
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

/** The page OpenShift's router sends when no endpoint can take a request. */
const UNAVAILABLE_PAGE =
  '<html><body><h1>Application is not available</h1><p>The application is currently not serving requests at this endpoint.</p></body></html>\n';

export interface BuiltinRouterOptions {
  readonly timings: RouterTimings;
  /** Server up/down transitions from health checks go here. */
  readonly events?: EventLog;
  /** @default Math.random */
  readonly random?: () => number;
}

/**
 * A router in Node with the HAProxy semantics of OpenShift's backends:
 * `balance random`; a sticky cookie per route (`insert indirect nocache
 * httponly`); on a failed connect up to 3 retries, the last one redispatched
 * to another server; TCP health checks every `check inter` only while a route
 * has more than one endpoint (rise 2, fall 3); 503 when no server can take
 * the request, 502 when a server breaks off before answering, 504 after
 * `timeout server`. A reload swaps the server list; requests in flight finish
 * on the servers they started on.
 */
export class BuiltinRouter implements RouterBackend {
  private readonly listeners = new Map<string, Server>();
  private readonly backends = new Map<string, Backend>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: BuiltinRouterOptions) {}

  async start(routes: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const ports = new Map<string, number>();
    for (const route of routes) {
      const backend = new Backend(route, this.options);
      this.backends.set(route, backend);
      const server = createServer({ keepAlive: true }, (req, res) => backend.handle(req, res));
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
      ports.set(route, typeof address === 'object' && address ? address.port : 0);
      this.listeners.set(route, server);
    }
    return ports;
  }

  async apply(state: RouterState): Promise<void> {
    for (const [route, endpoints] of state) this.backends.get(route)?.setServers(endpoints);
  }

  async stop(): Promise<void> {
    for (const backend of this.backends.values()) backend.close();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.listeners.values()].map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

interface ServerState {
  readonly endpoint: RouterEndpoint;
  readonly cookie: string;
  readonly agent: Agent;
  up: boolean;
  checkTimer?: NodeJS.Timeout;
  successes: number;
  failures: number;
}

/** One route's backend: its servers, their health, and the request path through them. */
class Backend {
  private servers: ServerState[] = [];
  private readonly agents = new Map<string, Agent>();
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
      up: true,
      successes: 0,
      failures: 0,
    }));
    for (const server of old) clearTimeout(server.checkTimer);
    for (const [key, agent] of this.agents) {
      if (this.servers.some((server) => server.agent === agent)) continue;
      // A server that left: close its idle connections; busy ones finish their request, then close.
      (agent as Agent & { keepAlive: boolean }).keepAlive = false;
      for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
      this.agents.delete(key);
    }
    if (this.servers.length > 1) {
      for (const server of this.servers)
        this.scheduleCheck(server, this.random() * this.options.timings.checkIntervalMs);
    }
  }

  close(): void {
    for (const server of this.servers) clearTimeout(server.checkTimer);
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.servers = [];
  }

  /** Keep-alive connections to a server survive reloads that keep the server. */
  private agentFor(endpoint: RouterEndpoint): Agent {
    const key = `${endpoint.id}@${endpoint.host}:${endpoint.port}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
      this.agents.set(key, agent);
    }
    return agent;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const sticky = this.stickyServer(req);
      const first = sticky ?? this.pick();
      if (!first) return unavailable(res);
      this.attempt(req, res, body, first, RETRIES, sticky !== undefined);
    });
  }

  private attempt(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    server: ServerState,
    retriesLeft: number,
    sticky: boolean,
  ): void {
    const { timings } = this.options;
    let connected = false;
    let answered = false;
    const upstream: ClientRequest = request({
      host: server.endpoint.host,
      port: server.endpoint.port,
      method: req.method,
      path: req.url,
      headers: this.forwardHeaders(req),
      agent: server.agent,
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
      res.writeHead(answer.statusCode ?? 502, this.responseHeaders(answer, server, sticky));
      answer.pipe(res);
      // A server that breaks off mid-response: the client's connection is cut too.
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      clearTimeout(serverTimer);
      if (answered || res.headersSent) return res.destroy();
      if (!connected && retriesLeft > 0) {
        // Connection failures are retried; the last retry goes to another server (option redispatch).
        const next = retriesLeft === 1 ? (this.pick(server) ?? server) : server;
        return this.attempt(req, res, body, next, retriesLeft - 1, sticky && next === server);
      }
      if (!connected) return unavailable(res);
      respond(res, 502, `Bad Gateway (${error.code ?? error.message})`);
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
    return this.servers.find((server) => server.cookie === value && server.up);
  }

  /** `balance random` over the servers that are up, avoiding `except` when another is available. */
  private pick(except?: ServerState): ServerState | undefined {
    const up = this.servers.filter((server) => server.up);
    const candidates = up.length > 1 && except ? up.filter((server) => server !== except) : up;
    return candidates[Math.floor(this.random() * candidates.length)];
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
      void tcpCheck(server.endpoint, Math.min(this.options.timings.connectTimeoutMs, 5000)).then((ok) => {
        if (!this.servers.includes(server)) return;
        this.recordCheck(server, ok);
        this.scheduleCheck(server, this.options.timings.checkIntervalMs);
      });
    }, afterMs);
    server.checkTimer.unref();
  }

  private recordCheck(server: ServerState, ok: boolean): void {
    if (ok) {
      server.failures = 0;
      server.successes += 1;
      if (!server.up && server.successes >= RISE) {
        server.up = true;
        this.options.events?.record('server-up', server.endpoint.id, { workload: this.route, detail: 'health check' });
      }
    } else {
      server.successes = 0;
      server.failures += 1;
      if (server.up && server.failures >= FALL) {
        server.up = false;
        this.options.events?.record('server-down', server.endpoint.id, {
          workload: this.route,
          detail: 'health check',
        });
      }
    }
  }

  private random(): number {
    return (this.options.random ?? Math.random)();
  }
}

function tcpCheck(endpoint: RouterEndpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    function finish(ok: boolean) {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    }
  });
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
