import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  backendName,
  cookieName,
  renderHaproxyConfig,
  serverCookie,
  serverName,
} from '../../../src/cluster/router/haproxy-config.js';
import { HaproxyRouter, resolveHaproxyPath } from '../../../src/cluster/router/haproxy-router.js';
import { OPENSHIFT_ROUTER_TIMINGS, type RouterEndpoint } from '../../../src/cluster/router/router.js';

const a: RouterEndpoint = { id: 'web-1-abcde', host: '127.0.0.1', port: 8081 };
const b: RouterEndpoint = { id: 'web-1-fghij', host: '127.0.0.1', port: 8082 };
const routes = new Map([
  ['web', 40001],
  ['api', 40002],
]);

function render(state: Map<string, RouterEndpoint[]>): string {
  return renderHaproxyConfig({ routes, state, timings: OPENSHIFT_ROUTER_TIMINGS, statsSocket: '/tmp/zdd/stats.sock' });
}

/** The lines of one section (`frontend x` / `backend x`), up to the next blank line. */
function section(config: string, header: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(header);
  expect(start, `${header} is missing`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('renderHaproxyConfig', () => {
  test('starts with the line naming the template, global and defaults as in OpenShift', () => {
    const config = render(new Map());
    expect(config.split('\n')[0]).toMatch(/^# Mirrors openshift\/router's .*haproxy-config\.template/);
    expect(section(config, 'global')).toEqual([
      '  maxconn 20000',
      '  no strict-limits',
      '  stats socket /tmp/zdd/stats.sock mode 600 level admin',
    ]);
    expect(section(config, 'defaults')).toEqual([
      '  maxconn 20000',
      '  timeout connect 5000ms',
      '  timeout client 30s',
      '  timeout client-fin 1s',
      '  timeout server 30000ms',
      '  timeout server-fin 1s',
      '  timeout http-request 10s',
      '  timeout http-keep-alive 300s',
      '  timeout tunnel 1h',
    ]);
    expect(config).not.toMatch(/daemon/);
  });

  test('one frontend per route on its own port, in the order of the map', () => {
    const config = render(new Map());
    expect(section(config, 'frontend fe_http:web')).toEqual([
      '  bind 127.0.0.1:40001',
      '  mode http',
      '  default_backend be_http:web',
    ]);
    expect(config.indexOf('frontend fe_http:web')).toBeLessThan(config.indexOf('frontend fe_http:api'));
  });

  test('a backend lists its servers with cookies, and health checks only with more than one endpoint', () => {
    const config = render(
      new Map([
        ['web', [a, b]],
        ['api', [a]],
      ]),
    );
    expect(section(config, 'backend be_http:web')).toEqual([
      '  mode http',
      '  option redispatch',
      '  option forwardfor',
      '  balance random',
      '  timeout check 5000ms',
      '  http-request add-header X-Forwarded-Host %[req.hdr(host)]',
      '  http-request add-header X-Forwarded-Port %[dst_port]',
      '  http-request add-header X-Forwarded-Proto http if !{ ssl_fc }',
      `  cookie ${md5('web')} insert indirect nocache httponly`,
      `  server pod:web-1-abcde:127.0.0.1:8081 127.0.0.1:8081 cookie ${md5('web-1-abcde')} weight 1 check inter 5000ms`,
      `  server pod:web-1-fghij:127.0.0.1:8082 127.0.0.1:8082 cookie ${md5('web-1-fghij')} weight 1 check inter 5000ms`,
    ]);
    const api = section(config, 'backend be_http:api');
    expect(api.filter((line) => line.startsWith('  server '))).toEqual([
      `  server pod:web-1-abcde:127.0.0.1:8081 127.0.0.1:8081 cookie ${md5('web-1-abcde')} weight 1`,
    ]);
  });

  test('a platform that does not retry a refused connection: retries 0, no redispatch, no health checks', () => {
    const config = renderHaproxyConfig({
      routes,
      state: new Map([['web', [a, b]]]),
      timings: OPENSHIFT_ROUTER_TIMINGS,
      refusedConnection: 'error',
    });
    const web = section(config, 'backend be_http:web');
    expect(web.slice(0, 3)).toEqual(['  mode http', '  retries 0', '  option forwardfor']);
    expect(web.filter((line) => line.includes('check inter') || line.includes('redispatch'))).toEqual([]);
  });

  test('the endpoints keep the order the caller gave', () => {
    const servers = section(render(new Map([['web', [b, a]]])), 'backend be_http:web').filter((line) =>
      line.startsWith('  server '),
    );
    expect(servers.map((line) => line.split(' ')[3])).toEqual([serverName(b), serverName(a)]);
  });

  test('a route without endpoints has a backend without servers (HAProxy answers 503)', () => {
    const config = render(new Map([['web', []]]));
    for (const header of ['backend be_http:web', 'backend be_http:api']) {
      expect(section(config, header).some((line) => line.includes('server '))).toBe(false);
    }
  });

  test('the timings come from the input', () => {
    const config = renderHaproxyConfig({
      routes,
      state: new Map([['web', [a, b]]]),
      timings: {
        reloadIntervalMs: 0,
        checkIntervalMs: 250,
        connectTimeoutMs: 100,
        serverTimeoutMs: 2000,
        retryDelayMs: 100,
      },
    });
    expect(config).toContain('  timeout connect 100ms\n');
    expect(config).toContain('  timeout server 2000ms\n');
    expect(config).toContain(' check inter 250ms\n');
    expect(config).not.toContain('stats socket');
  });

  test('the same input gives the same bytes', () => {
    const state = () =>
      new Map([
        ['web', [a, b]],
        ['api', [b]],
      ]);
    expect(render(state())).toBe(render(state()));
    expect(render(state())).toMatchInlineSnapshot(`
      "# Mirrors openshift/router's images/router/haproxy/conf/haproxy-config.template (plain-HTTP routes only).
      global
        maxconn 20000
        no strict-limits
        stats socket /tmp/zdd/stats.sock mode 600 level admin

      defaults
        maxconn 20000
        timeout connect 5000ms
        timeout client 30s
        timeout client-fin 1s
        timeout server 30000ms
        timeout server-fin 1s
        timeout http-request 10s
        timeout http-keep-alive 300s
        timeout tunnel 1h

      frontend fe_http:web
        bind 127.0.0.1:40001
        mode http
        default_backend be_http:web

      backend be_http:web
        mode http
        option redispatch
        option forwardfor
        balance random
        timeout check 5000ms
        http-request add-header X-Forwarded-Host %[req.hdr(host)]
        http-request add-header X-Forwarded-Port %[dst_port]
        http-request add-header X-Forwarded-Proto http if !{ ssl_fc }
        cookie 2567a5ec9705eb7ac2c984033e06189d insert indirect nocache httponly
        server pod:web-1-abcde:127.0.0.1:8081 127.0.0.1:8081 cookie 52a951f55fe1d5174c1741591f152077 weight 1 check inter 5000ms
        server pod:web-1-fghij:127.0.0.1:8082 127.0.0.1:8082 cookie a04e6c5627bd9646b5f6213b0ca645a6 weight 1 check inter 5000ms

      frontend fe_http:api
        bind 127.0.0.1:40002
        mode http
        default_backend be_http:api

      backend be_http:api
        mode http
        option redispatch
        option forwardfor
        balance random
        timeout check 5000ms
        http-request add-header X-Forwarded-Host %[req.hdr(host)]
        http-request add-header X-Forwarded-Port %[dst_port]
        http-request add-header X-Forwarded-Proto http if !{ ssl_fc }
        cookie 8a5da52ed126447d359e70c05721a8aa insert indirect nocache httponly
        server pod:web-1-fghij:127.0.0.1:8082 127.0.0.1:8082 cookie a04e6c5627bd9646b5f6213b0ca645a6 weight 1
      "
    `);
  });

  test('names and cookies are derived from the route and the endpoint', () => {
    expect(backendName('web')).toBe('be_http:web');
    expect(cookieName('web')).toBe(md5('web'));
    expect(serverCookie(a)).toBe(md5(a.id));
    expect(serverName({ id: 'p', host: '::1', port: 80 })).toBe('pod:p:::1:80');
    expect(render(new Map([['web', [{ id: 'p', host: '::1', port: 80 }]]]))).toContain(' [::1]:80 cookie ');
  });

  test('rejects names HAProxy would misread, and an endpoint listed twice', () => {
    expect(() => render(new Map([['web', [{ ...a, id: 'a b' }]]]))).toThrow(/endpoint id/);
    expect(() =>
      renderHaproxyConfig({ routes: new Map([['we b', 1]]), state: new Map(), timings: OPENSHIFT_ROUTER_TIMINGS }),
    ).toThrow(/route/);
    expect(() => render(new Map([['web', [a, a]]]))).toThrow(/twice/);
    expect(() =>
      renderHaproxyConfig({ routes, state: new Map(), timings: OPENSHIFT_ROUTER_TIMINGS, statsSocket: '/a b' }),
    ).toThrow(/stats socket/);
  });
});

const haproxy = await resolveHaproxyPath();
const available = await HaproxyRouter.available(haproxy);
const missing = 'haproxy is not installed (apt-get install haproxy)';

describe(`haproxy -c accepts the rendered configuration${available ? '' : ` — skipped: ${missing}`}`, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  test.skipIf(!available)('with servers, health checks, an empty backend and a stats socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zdd-haproxy-config-'));
    dirs.push(dir);
    const file = join(dir, 'haproxy.cfg');
    const config = renderHaproxyConfig({
      routes,
      state: new Map([
        ['web', [a, b]],
        ['api', []],
      ]),
      timings: OPENSHIFT_ROUTER_TIMINGS,
      statsSocket: join(dir, 'stats.sock'),
    });
    await writeFile(file, config);
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(haproxy, ['-c', '-f', file], { timeout: 10_000 }, (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          output: stdout + stderr,
        });
      });
    });
    expect(result, result.output).toMatchObject({ code: 0 });
    expect(result.output).toContain('Configuration file is valid');
  });
});
