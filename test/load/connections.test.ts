import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { ConnectionPattern } from '../../src/load/connections.js';
import { findK6, k6Version } from '../../src/load/k6/find-k6.js';
import type { LoadGenerator } from '../../src/load/load-run.js';
import { runOpenModel } from '../../src/load/open-model.js';
import type { Sample } from '../../src/load/sample.js';
import { startLoad } from '../../src/load/start-load.js';
import { makeTempDir, type TempDir } from '../../src/runtime/temp-dir.js';

/**
 * `--connections`: a new TCP connection per request for `new`, kept-alive connections for `reused`, with
 * both generators, told apart by a server that counts the connections each path arrives on.
 */
const servers: http.Server[] = [];
const dirs: TempDir[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) dir.remove();
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** Counts, per request path, the requests and the distinct connections they came on. */
async function countingServer() {
  const connections = new Map<string, Set<unknown>>();
  const requests = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const seen = connections.get(path) ?? new Set();
    seen.add(req.socket);
    connections.set(path, seen);
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (pattern: ConnectionPattern) => `${base}/${pattern}`,
    requests: (pattern: ConnectionPattern) => requests.get(`/${pattern}`) ?? 0,
    connections: (pattern: ConnectionPattern) => connections.get(`/${pattern}`)?.size ?? 0,
  };
}

function expectPatterns(server: Awaited<ReturnType<typeof countingServer>>, samples: readonly Sample[]) {
  for (const pattern of ['new', 'reused'] as const) {
    const ofPattern = samples.filter((sample) => sample.connection === pattern);
    expect(ofPattern.length).toBeGreaterThanOrEqual(20);
    expect(ofPattern.every((sample) => sample.error === undefined)).toBe(true);
  }
  // Every `new` request opened its own connection; the `reused` ones shared a few.
  expect(server.connections('new')).toBe(server.requests('new'));
  expect(server.connections('reused')).toBeLessThan(server.requests('reused') / 3);
}

describe('connection patterns', () => {
  test('built-in generator: `new` opens a connection per request, `reused` keeps them alive', async () => {
    const server = await countingServer();
    const result = await runOpenModel({
      targets: [
        { name: 'app', url: server.url('new'), connection: 'new' },
        { name: 'app', url: server.url('reused'), connection: 'reused' },
      ],
      rate: 20,
      durationMs: 1500,
    });
    expectPatterns(server, result.samples);
    expect(result.delivery.map((d) => [d.name, d.connection, d.sent])).toEqual([
      ['app', 'new', 30],
      ['app', 'reused', 30],
    ]);
  });

  const k6 = findK6();
  test.skipIf(!k6)(
    `k6: the same, one scenario per pattern${k6 ? '' : ' (skipped: k6 is not installed: go install go.k6.io/k6@v1.8.1)'}`,
    async () => {
      const server = await countingServer();
      const dir = makeTempDir('test-k6');
      dirs.push(dir);
      const generator: LoadGenerator = { kind: 'k6', path: k6 as string, version: await k6Version(k6 as string) };
      const run = await startLoad({
        generator,
        targets: [
          { name: 'app', url: server.url('new'), connection: 'new' },
          { name: 'app', url: server.url('reused'), connection: 'reused' },
        ],
        rate: 20,
        maxDurationMs: 2000,
        timeoutMs: 2000,
        maxRequestsPerTarget: 1000,
        gated: ['app'],
        maxErrorRate: 0,
        workDir: dir.path,
      });
      const result = await run.done;
      expectPatterns(server, result.samples);
      expect(result.delivery.map((d) => [d.target, d.connection, d.dropped])).toEqual([
        ['app', 'new', 0],
        ['app', 'reused', 0],
      ]);
      expect(
        result.thresholds
          .filter((t) => t.metric.includes('connection:'))
          .map((t) => t.metric)
          .sort(),
      ).toEqual(['http_req_failed{variant:app,connection:new}', 'http_req_failed{variant:app,connection:reused}']);
      expect(result.thresholds.every((t) => t.ok)).toBe(true);
    },
  );
});
