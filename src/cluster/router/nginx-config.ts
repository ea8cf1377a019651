// zdd's router as nginx: the HAProxy semantics builtin-router.ts models, as far as open-source nginx allows.
import type { RefusedConnection } from '../../platforms/profile.js';
import type { RouterEndpoint, RouterState, RouterTimings } from './router.js';

/** What one nginx configuration is made of. */
export interface NginxConfigInput {
  /** Route → the port its server listens on (127.0.0.1); routes are written in this map's order. */
  readonly routes: ReadonlyMap<string, number>;
  /** Each route's endpoints, in the order the caller gives; a route missing here has none (503). */
  readonly state: RouterState;
  readonly timings: RouterTimings;
  /** The router's own folder: the pid file and the temp folders go there. */
  readonly workDir: string;
  /** Where nginx writes its error log (reloads, worker exits, configuration errors). */
  readonly errorLog: string;
  /** `worker_shutdown_timeout`: how long an old worker may finish its requests after a reload. */
  readonly drainMs: number;
  /** `user`: the workers' user, for a master that runs as root (nginx would switch them to `nobody`). */
  readonly user?: string;
  /**
   * `retry`: a refused connect goes to another server (`proxy_next_upstream_tries 4`); `error`: one try, so
   * that a refused connect is answered 502 at once, as a platform without retries does (builtin-router.ts).
   * @default 'retry'
   */
  readonly refusedConnection?: RefusedConnection;
}

/** `proxy_next_upstream_tries`: the first try and HAProxy's `retries 3`. */
export const NGINX_TRIES = 4;
/**
 * `proxy_next_upstream_tries` of a platform that does not retry: the first try only. Not `proxy_next_upstream
 * off`: a stale idle server connection is still retried (nginx gives that try back), as `retry` does.
 */
export const NGINX_TRIES_WITHOUT_RETRY = 1;
/** Idle keep-alive connections kept per upstream (HAProxy keeps them per server, unbounded). */
const UPSTREAM_KEEPALIVE = 32;

/** The page OpenShift's router sends when no endpoint can take a request (as builtin-router.ts sends it). */
const UNAVAILABLE_PAGE =
  '<html><body><h1>Application is not available</h1><p>The application is currently not serving requests at this endpoint.</p></body></html>\\n';

/** Characters of a route name nginx takes as an upstream name (it becomes the host part of `proxy_pass`). */
const NAME = /^[A-Za-z0-9._-]+$/;
/** A host: a DNS name, an IPv4 or an IPv6 address. */
const HOST = /^[A-Za-z0-9.:-]+$/;
/** A path written unquoted: nothing nginx would split, quote or expand. */
const PATH = /^[A-Za-z0-9/._+-]+$/;

/**
 * What matches the emulation (builtin-router.ts) and what differs; written at the top of every configuration.
 */
const SEMANTICS = [
  '# Matches the emulation:',
  '# - no endpoints: 503 with the OpenShift page;',
  '# - `random two least_conn`: two random servers, the one with fewer active connections (HAProxy `balance random`);',
  '# - a failed connect goes to another server at once (`proxy_next_upstream error timeout`, redispatch),',
  '#   at most 4 tries (retries 3); `max_fails=0`: no passive marking, as HAProxy has none;',
  "# - a server's 5xx is passed through, never retried; 504 after `timeout server` (proxy_read_timeout);",
  '# - a reload (SIGHUP) starts new workers; the old ones stop accepting, close idle client connections and',
  '#   finish their requests (bounded by worker_shutdown_timeout), as HAProxy -sf does.',
  '# Differs (nginx cannot express it):',
  '# - no health checks (open-source nginx has no active checks): a dead server stays listed until the next',
  '#   reload, its connects refused and redispatched;',
  '# - a refused connect on the only server is not retried after a 1 s turn-around: 502 at once (HAProxy: 503',
  '#   after three retries, about 3 s);',
  '# - `error` covers a server that breaks off after the request was sent too: an idempotent request is retried',
  '#   on another server (HAProxy never retries a sent request); with one server, 502 as in HAProxy;',
  '# - idle server connections are reused for any request (HAProxy `http-reuse safe`: never for the first',
  '#   request of a client connection); a stale one that fails is retried without counting a try;',
  '# - no sticky-session cookie (open-source nginx has no `sticky cookie`).',
];

/** What changes for a platform that answers a refused connection with an error (`refusedConnection: error`). */
const WITHOUT_RETRIES = [
  '# This platform does not retry (refusedConnection: error): one try per request, so a refused connect is a 502',
  '# at once, with another server up or not (the emulation: 502 at once, no redispatch, no health checks).',
];

/** The upstream of one route, `be_http_<route>` (OpenShift: `be_http:<namespace>:<route>`). */
export function upstreamName(route: string): string {
  if (!NAME.test(route))
    throw new TypeError(`The route must match ${NAME} to be an nginx upstream name, got ${JSON.stringify(route)}`);
  return `be_http_${route}`;
}

/** Renders the whole configuration; the same input gives the same bytes. */
export function renderNginxConfig(input: NginxConfigInput): string {
  const { routes, state, timings, workDir } = input;
  const retries = input.refusedConnection !== 'error';
  const lines: string[] = [
    "# zdd's router as nginx: the HAProxy semantics of src/cluster/router/builtin-router.ts, as far as nginx allows.",
    ...SEMANTICS,
    ...(retries ? [] : WITHOUT_RETRIES),
    // In the foreground, a child of zdd's process supervisor: it dies with zdd.
    'daemon off;',
    'master_process on;',
    // One event loop, as the built-in router has.
    'worker_processes 1;',
    `pid ${path(`${workDir}/nginx.pid`)};`,
    `error_log ${path(input.errorLog)} notice;`,
    `worker_shutdown_timeout ${ms(input.drainMs)};`,
    'worker_rlimit_nofile 20000;',
  ];
  if (input.user !== undefined) lines.push(`user ${checkUser(input.user)};`);
  lines.push(
    '',
    'events {',
    // Two per proxied request; HAProxy's maxconn is 20000.
    '  worker_connections 10000;',
    '}',
    '',
    'http {',
    '  access_log off;',
    // nginx's compiled-in temp folders (/var/lib/nginx) are not zdd's to write.
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `  ${kind}_temp_path ${path(`${workDir}/${kind}`)};`,
    ),
    // HAProxy has no body limit and streams responses; bodies up to 1 MB stay in memory.
    '  client_max_body_size 0;',
    '  client_body_buffer_size 1m;',
    '  proxy_buffering off;',
    // timeout http-request 10s, timeout client 30s, timeout http-keep-alive 300s.
    '  client_header_timeout 10s;',
    '  client_body_timeout 30s;',
    '  send_timeout 30s;',
    '  keepalive_timeout 300s;',
    '  keepalive_requests 1000000;',
    `  proxy_connect_timeout ${ms(timings.connectTimeoutMs)};`,
    `  proxy_read_timeout ${ms(timings.serverTimeoutMs)};`,
    `  proxy_send_timeout ${ms(timings.serverTimeoutMs)};`,
    '  proxy_next_upstream error timeout;',
    `  proxy_next_upstream_tries ${retries ? NGINX_TRIES : NGINX_TRIES_WITHOUT_RETRY};`,
    // Keep-alive to the servers, as HAProxy's http-reuse.
    '  proxy_http_version 1.1;',
    '  proxy_set_header Connection "";',
    // The request as HAProxy passes it (Host kept), with `option forwardfor` and OpenShift's X-Forwarded-*.
    '  proxy_set_header Host $http_host;',
    '  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '  proxy_set_header X-Forwarded-Host $http_host;',
    '  proxy_set_header X-Forwarded-Port $server_port;',
    '  proxy_set_header X-Forwarded-Proto http;',
  );
  for (const [route, port] of routes) {
    const upstream = upstreamName(route);
    const endpoints = state.get(route) ?? [];
    lines.push('');
    if (endpoints.length > 0) lines.push(...renderUpstream(route, upstream, endpoints));
    lines.push('  server {', `    listen 127.0.0.1:${checkPort(port)};`, '    location / {');
    if (endpoints.length > 0) lines.push(`      proxy_pass http://${upstream};`);
    else {
      // An upstream must have a server: a route without endpoints answers 503 itself.
      lines.push(
        '      default_type text/html;',
        '      add_header Cache-Control no-cache always;',
        `      return 503 '${UNAVAILABLE_PAGE}';`,
      );
    }
    lines.push('    }', '  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function renderUpstream(route: string, upstream: string, endpoints: readonly RouterEndpoint[]): string[] {
  const lines = [`  upstream ${upstream} {`, '    random two least_conn;'];
  const seen = new Set<string>();
  for (const endpoint of endpoints) {
    const key = `${endpoint.id}@${address(endpoint)}`;
    if (seen.has(key)) throw new TypeError(`Route ${route} lists the endpoint ${key} twice`);
    seen.add(key);
    lines.push(`    server ${address(endpoint)} max_fails=0; # ${checkId(endpoint.id)}`);
  }
  // After the balancing method, as nginx requires.
  lines.push(`    keepalive ${UPSTREAM_KEEPALIVE};`, '  }');
  return lines;
}

function address(endpoint: RouterEndpoint): string {
  const host = endpoint.host;
  if (!HOST.test(host))
    throw new TypeError(`An endpoint host must be a DNS name or an IP address, got ${JSON.stringify(host)}`);
  const port = checkPort(endpoint.port);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function checkId(id: string): string {
  if (!NAME.test(id)) throw new TypeError(`An endpoint id must match ${NAME}, got ${JSON.stringify(id)}`);
  return id;
}

function checkUser(user: string): string {
  if (!NAME.test(user)) throw new TypeError(`A user name must match ${NAME}, got ${JSON.stringify(user)}`);
  return user;
}

function path(value: string): string {
  if (!PATH.test(value)) throw new TypeError(`An nginx path must match ${PATH}, got ${JSON.stringify(value)}`);
  return value;
}

function ms(value: number): string {
  if (!Number.isInteger(value) || value < 0)
    throw new TypeError(`A timing must be a whole number of ms >= 0, got ${value}`);
  return `${value}ms`;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new TypeError(`A port must be 1-65535, got ${port}`);
  return port;
}
