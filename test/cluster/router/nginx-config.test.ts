import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type NginxConfigInput, renderNginxConfig, upstreamName } from '../../../src/cluster/router/nginx-config.js';
import { NginxRouter, resolveNginxPath } from '../../../src/cluster/router/nginx-router.js';
import { OPENSHIFT_ROUTER_TIMINGS, type RouterEndpoint } from '../../../src/cluster/router/router.js';

const a: RouterEndpoint = { id: 'web-1-abcde', host: '127.0.0.1', port: 8081 };
const b: RouterEndpoint = { id: 'web-1-fghij', host: '127.0.0.1', port: 8082 };
const routes = new Map([
  ['web', 40001],
  ['api', 40002],
]);

function input(state: Map<string, RouterEndpoint[]>, workDir = '/tmp/zdd/nginx'): NginxConfigInput {
  return {
    routes,
    state,
    timings: OPENSHIFT_ROUTER_TIMINGS,
    workDir,
    errorLog: `${workDir}/log`,
    drainMs: OPENSHIFT_ROUTER_TIMINGS.serverTimeoutMs,
  };
}

/** The lines of one block, from its opening line to its closing brace at the same indentation. */
function block(config: string, opening: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(opening);
  expect(start, `${opening} is missing`).toBeGreaterThanOrEqual(0);
  const indent = opening.length - opening.trimStart().length;
  const end = lines.indexOf(`${' '.repeat(indent)}}`, start);
  return lines.slice(start + 1, end);
}

describe('renderNginxConfig', () => {
  test('a foreground master, its files in the work folder, timings as HAProxy has them', () => {
    const config = renderNginxConfig(input(new Map()));
    expect(config.split('\n')[0]).toMatch(/^# zdd's router as nginx/);
    expect(config).toContain('\n# Differs (nginx cannot express it):\n');
    for (const line of [
      'daemon off;',
      'master_process on;',
      'pid /tmp/zdd/nginx/nginx.pid;',
      'error_log /tmp/zdd/nginx/log notice;',
      'worker_shutdown_timeout 30000ms;',
      '  client_body_temp_path /tmp/zdd/nginx/client_body;',
      '  proxy_temp_path /tmp/zdd/nginx/proxy;',
      '  proxy_connect_timeout 5000ms;',
      '  proxy_read_timeout 30000ms;',
      '  proxy_next_upstream error timeout;',
      '  proxy_next_upstream_tries 4;',
      '  proxy_set_header Host $http_host;',
    ]) {
      expect(config.split('\n')).toContain(line);
    }
    expect(config).not.toMatch(/^user /m);
    expect(renderNginxConfig({ ...input(new Map()), user: 'root' })).toMatch(/^user root;$/m);
  });

  test("each route: a server on 127.0.0.1 and its port, an upstream with the route's endpoints", () => {
    const config = renderNginxConfig(input(new Map([['web', [a, b]]])));
    expect(block(config, '  upstream be_http_web {')).toEqual([
      '    random two least_conn;',
      '    server 127.0.0.1:8081 max_fails=0; # web-1-abcde',
      '    server 127.0.0.1:8082 max_fails=0; # web-1-fghij',
      '    keepalive 32;',
    ]);
    expect(block(config, '  server {').slice(0, 3)).toEqual([
      '    listen 127.0.0.1:40001;',
      '    location / {',
      '      proxy_pass http://be_http_web;',
    ]);
    expect(config).not.toMatch(/listen (?!127\.0\.0\.1:)/);
  });

  test('a route without endpoints has no upstream and answers 503 itself', () => {
    const config = renderNginxConfig(input(new Map([['web', [a]]])));
    expect(config).not.toContain('upstream be_http_api');
    const api = config.slice(config.indexOf('listen 127.0.0.1:40002;'));
    expect(api).toMatch(/return 503 '<html><body><h1>Application is not available<\/h1>/);
    expect(api).toContain('add_header Cache-Control no-cache always;');
  });

  test('a platform that does not retry (refusedConnection error): one try per request, said at the top', () => {
    const retry = renderNginxConfig(input(new Map([['web', [a, b]]])));
    expect(renderNginxConfig({ ...input(new Map([['web', [a, b]]])), refusedConnection: 'retry' })).toBe(retry);
    const error = renderNginxConfig({ ...input(new Map([['web', [a, b]]])), refusedConnection: 'error' });
    expect(error.split('\n')).toContain('  proxy_next_upstream_tries 1;');
    expect(error.split('\n')).toContain('  proxy_next_upstream error timeout;');
    expect(error).toMatch(/^# This platform does not retry \(refusedConnection: error\)/m);
    expect(retry).not.toContain('does not retry');
    // Nothing else differs: the same servers, timings and drain.
    const rest = (config: string) => config.split('\n').filter((line) => !/^# |proxy_next_upstream_tries/.test(line));
    expect(rest(error)).toEqual(rest(retry));
  });

  test('the same input gives the same bytes', () => {
    const state = new Map([['web', [a, b]]]);
    expect(renderNginxConfig(input(state))).toBe(renderNginxConfig(input(state)));
  });

  test('rejects names and paths nginx would misread, and an endpoint listed twice', () => {
    expect(() => upstreamName('we b')).toThrow(/route/);
    expect(() => renderNginxConfig(input(new Map([['web', [a, a]]])))).toThrow(/twice/);
    expect(() => renderNginxConfig(input(new Map([['web', [{ ...a, host: 'a;b' }]]])))).toThrow(/host/);
    expect(() => renderNginxConfig(input(new Map(), '/tmp/a b'))).toThrow(/path/);
  });
});

const nginx = await resolveNginxPath();
const available = await NginxRouter.available(nginx);
const missing = 'nginx is not installed (apt-get install nginx)';

describe(`nginx -t accepts the rendered configuration${available ? '' : ` — skipped: ${missing}`}`, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  test.skipIf(!available)('with servers, a route without endpoints, the root user line and one try', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zdd-nginx-config-'));
    dirs.push(dir);
    const file = join(dir, 'nginx.conf');
    const config = renderNginxConfig({
      ...input(
        new Map([
          ['web', [a, b]],
          ['api', []],
        ]),
        dir,
      ),
      ...(process.getuid?.() === 0 && { user: 'root' }),
      refusedConnection: 'error',
    });
    await writeFile(file, config);
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(
        nginx,
        ['-t', '-p', `${dir}/`, '-c', file, '-e', join(dir, 'log')],
        { timeout: 10_000 },
        (error, stdout, stderr) => {
          resolve({
            code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
            output: stdout + stderr,
          });
        },
      );
    });
    expect(result, result.output).toMatchObject({ code: 0 });
    expect(result.output).toContain('test is successful');
  });
});
