// Mirrors openshift/router's images/router/haproxy/conf/haproxy-config.template (plain-HTTP routes only).
import { createHash } from 'node:crypto';
import type { RefusedConnection } from '../../platforms/profile.js';
import type { RouterEndpoint, RouterState, RouterTimings } from './router.js';

/** What one HAProxy configuration is made of. */
export interface HaproxyConfigInput {
  /** Route → the port its frontend listens on (127.0.0.1); routes are written in this map's order. */
  readonly routes: ReadonlyMap<string, number>;
  /** Each route's endpoints, in the order the caller gives; a route missing here has no servers (503). */
  readonly state: RouterState;
  readonly timings: RouterTimings;
  /** Path of an admin stats socket, so that a running worker can be inspected. */
  readonly statsSocket?: string;
  /**
   * `retry`: the template's retries, redispatch and health checks; `error`: none of them (`retries 0`), so
   * that a refused connection is answered at once, as a platform without retries does.
   * @default 'retry'
   */
  readonly refusedConnection?: RefusedConnection;
}

/** `timeout check` of every backend, fixed in the template. */
const CHECK_TIMEOUT_MS = 5000;

/** Characters HAProxy accepts in proxy and server names. */
const NAME = /^[A-Za-z0-9._:-]+$/;
/** A host: a DNS name, an IPv4 or an IPv6 address. */
const HOST = /^[A-Za-z0-9.:-]+$/;
/** A socket path written unquoted: nothing HAProxy would split, quote or expand. */
const PATH = /^[A-Za-z0-9/._+-]+$/;

/** The frontend of one route (the real router has a single `public` frontend that picks by Host). */
export function frontendName(route: string): string {
  return `fe_http:${checkName('route', route)}`;
}

/** The backend of one route, `be_http:<namespace>:<route>` in OpenShift; no namespace here. */
export function backendName(route: string): string {
  return `be_http:${checkName('route', route)}`;
}

/** The sticky-session cookie's name: a hash of the route, as OpenShift hashes the routing key. */
export function cookieName(route: string): string {
  return md5(route);
}

/** The cookie value that pins a client to one endpoint: a hash of the endpoint's id. */
export function serverCookie(endpoint: RouterEndpoint): string {
  return md5(endpoint.id);
}

/** The server's name, as `pod:<pod>:<service>:<port-name>:<ip>:<port>` in OpenShift: `pod:<id>:<host>:<port>`. */
export function serverName(endpoint: RouterEndpoint): string {
  return `pod:${checkName('endpoint id', endpoint.id)}:${checkHost(endpoint.host)}:${checkPort(endpoint.port)}`;
}

/** Renders the whole configuration; the same input gives the same bytes. */
export function renderHaproxyConfig(input: HaproxyConfigInput): string {
  const { routes, state, timings, statsSocket } = input;
  const retries = input.refusedConnection !== 'error';
  const lines: string[] = [
    "# Mirrors openshift/router's images/router/haproxy/conf/haproxy-config.template (plain-HTTP routes only).",
    'global',
    '  maxconn 20000',
    // As in the template: HAProxy 2.6 would otherwise refuse to start when it cannot raise the FD limit.
    '  no strict-limits',
  ];
  if (statsSocket !== undefined) {
    if (!PATH.test(statsSocket)) {
      throw new TypeError(`The stats socket path must match ${PATH}, got ${JSON.stringify(statsSocket)}`);
    }
    lines.push(`  stats socket ${statsSocket} mode 600 level admin`);
  }
  lines.push(
    '',
    'defaults',
    '  maxconn 20000',
    `  timeout connect ${ms(timings.connectTimeoutMs)}`,
    '  timeout client 30s',
    '  timeout client-fin 1s',
    `  timeout server ${ms(timings.serverTimeoutMs)}`,
    '  timeout server-fin 1s',
    '  timeout http-request 10s',
    '  timeout http-keep-alive 300s',
    '  timeout tunnel 1h',
  );
  for (const [route, port] of routes) {
    const backend = backendName(route);
    lines.push('', `frontend ${frontendName(route)}`, `  bind 127.0.0.1:${checkPort(port)}`, '  mode http');
    lines.push(`  default_backend ${backend}`);
    lines.push(
      '',
      `backend ${backend}`,
      '  mode http',
      ...(retries ? ['  option redispatch'] : ['  retries 0']),
      '  option forwardfor',
      '  balance random',
      `  timeout check ${CHECK_TIMEOUT_MS}ms`,
      '  http-request add-header X-Forwarded-Host %[req.hdr(host)]',
      '  http-request add-header X-Forwarded-Port %[dst_port]',
      '  http-request add-header X-Forwarded-Proto http if !{ ssl_fc }',
      `  cookie ${cookieName(route)} insert indirect nocache httponly`,
    );
    const endpoints = state.get(route) ?? [];
    const check = retries && endpoints.length > 1 ? ` check inter ${ms(timings.checkIntervalMs)}` : '';
    const names = new Set<string>();
    for (const endpoint of endpoints) {
      const name = serverName(endpoint);
      if (names.has(name)) throw new TypeError(`Route ${route} lists the endpoint ${name} twice`);
      names.add(name);
      lines.push(`  server ${name} ${address(endpoint)} cookie ${serverCookie(endpoint)} weight 1${check}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function address(endpoint: RouterEndpoint): string {
  const host = checkHost(endpoint.host);
  return host.includes(':') ? `[${host}]:${endpoint.port}` : `${host}:${endpoint.port}`;
}

function ms(value: number): string {
  if (!Number.isInteger(value) || value < 0)
    throw new TypeError(`A timing must be a whole number of ms >= 0, got ${value}`);
  return `${value}ms`;
}

function checkName(what: string, name: string): string {
  if (!NAME.test(name))
    throw new TypeError(`The ${what} must match ${NAME} to be an HAProxy name, got ${JSON.stringify(name)}`);
  return name;
}

function checkHost(host: string): string {
  if (!HOST.test(host))
    throw new TypeError(`An endpoint host must be a DNS name or an IP address, got ${JSON.stringify(host)}`);
  return host;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new TypeError(`A port must be 1-65535, got ${port}`);
  return port;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
