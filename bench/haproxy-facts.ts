/**
 * Measures how the real HAProxy (OpenShift's router configuration, see src/cluster/router/haproxy-config.ts)
 * treats failing endpoints, cookies and reloads, so that the built-in router can imitate it.
 *
 *   npx tsx bench/haproxy-facts.ts
 *
 * Traffic goes to 127.0.0.1 only; takes about a minute.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cookieName, serverCookie } from '../src/cluster/router/haproxy-config.js';
import { HaproxyRouter } from '../src/cluster/router/haproxy-router.js';
import { OPENSHIFT_ROUTER_TIMINGS, type RouterEndpoint } from '../src/cluster/router/router.js';
import { ProcessSupervisor } from '../src/runtime/processes.js';
import { delay as sleep } from '../src/runtime/timing.js';

const ROUTE = 'web';

interface Pod {
  readonly endpoint: RouterEndpoint;
  readonly cookies: string[];
  readonly requests: () => number;
  close(): Promise<void>;
}

type Behaviour = 'ok' | 'destroy' | '503';

async function startPod(
  id: string,
  behaviour: Behaviour = 'ok',
  options: { keepAliveTimeout?: number; closeIdleEveryMs?: number } = {},
): Promise<Pod> {
  const cookies: string[] = [];
  let count = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    count += 1;
    cookies.push(req.headers.cookie ?? '');
    if (behaviour === 'destroy') req.socket.destroy();
    else res.writeHead(behaviour === 'ok' ? 200 : 503, { 'x-pod': id }).end(id);
  });
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer =
    options.closeIdleEveryMs === undefined
      ? undefined
      : setInterval(() => server.closeIdleConnections(), options.closeIdleEveryMs);
  return {
    endpoint: { id, host: '127.0.0.1', port: portOf(server.address()) },
    cookies,
    requests: () => count,
    close: () =>
      new Promise((resolve) => {
        if (timer !== undefined) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function refusingEndpoint(id: string): Promise<RouterEndpoint> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server.address());
  await new Promise((resolve) => server.close(resolve));
  return { id, host: '127.0.0.1', port };
}

function portOf(address: ReturnType<ReturnType<typeof createTcpServer>['address']>): number {
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Result {
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly ms: number;
  readonly pod: string | undefined;
  readonly setCookie: readonly string[];
  readonly reusedSocket: boolean;
  readonly connectionClose: boolean;
}

function send(port: number, agent: Agent | false, headers: Record<string, string> = {}): Promise<Result> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent, headers, timeout: 20_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        const pod = res.headers['x-pod'];
        resolve({
          status: res.statusCode,
          error: undefined,
          ms: performance.now() - started,
          pod: typeof pod === 'string' ? pod : undefined,
          setCookie: res.headers['set-cookie'] ?? [],
          reusedSocket: req.reusedSocket,
          connectionClose: res.headers.connection === 'close',
        });
      });
      res.on('error', (error: NodeJS.ErrnoException) => finish(error));
    });
    const finish = (error: NodeJS.ErrnoException) =>
      resolve({
        status: undefined,
        error: error.code ?? error.message,
        ms: performance.now() - started,
        pod: undefined,
        setCookie: [],
        reusedSocket: req.reusedSocket,
        connectionClose: false,
      });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', finish);
    req.end();
  });
}

/** `count` requests, at most `concurrency` at a time. */
async function burst(port: number, agent: Agent | false, count: number, concurrency: number): Promise<Result[]> {
  const results: Result[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        results.push(await send(port, agent));
      }
    }),
  );
  return results;
}

/** An open model: one request every 1000/rate ms for durationMs, whatever the answers do. */
async function openLoad(port: number, agent: Agent, rate: number, durationMs: number): Promise<Result[]> {
  const pending: Promise<Result>[] = [];
  const started = performance.now();
  for (let index = 0; index < (rate * durationMs) / 1000; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(send(port, agent));
  }
  return Promise.all(pending);
}

function tally(results: readonly Result[]): string {
  const counts = new Map<string, number>();
  for (const result of results) {
    const key =
      result.status === undefined ? `error ${result.error}` : `${result.status}${result.pod ? ` ${result.pod}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${key}: ${count}`).join(', ');
}

function latencies(results: readonly Result[]): string {
  const sorted = results.map((result) => result.ms).sort((x, y) => x - y);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(0);
  const buckets = [
    ['<50ms', 0, 50],
    ['50ms-0.9s', 50, 900],
    ['0.9-1.5s', 900, 1500],
    ['1.5-2.5s', 1500, 2500],
    ['2.5-3.5s', 2500, 3500],
    ['>=3.5s', 3500, Number.POSITIVE_INFINITY],
  ] as const;
  const histogram = buckets
    .map(([label, low, high]) => [label, sorted.filter((ms) => ms >= low && ms < high).length] as const)
    .filter(([, count]) => count > 0)
    .map(([label, count]) => `${label}: ${count}`)
    .join(', ');
  return `min ${at(0)} p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} max ${at(1)} ms; ${histogram}`;
}

/** One command on the admin stats socket. */
function statsCommand(path: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(2000, () => socket.destroy(new Error('stats socket timeout')));
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
}

/** Named columns of one `show stat` row (server name, or BACKEND). */
async function statRow(statsSocket: string, server: string): Promise<Record<string, string>> {
  const csv = await statsCommand(statsSocket, 'show stat').catch(() => '');
  const header = csv.split('\n')[0]?.replace(/^# /, '').split(',') ?? [];
  const row =
    csv
      .split('\n')
      .find((line) => line.split(',')[1] === server)
      ?.split(',') ?? [];
  return Object.fromEntries(header.map((name, index) => [name, row[index] ?? '']));
}

function print(label: string, text: string): void {
  console.log(`${label.padEnd(4)} ${text}`);
}

async function main(): Promise<void> {
  if (!(await HaproxyRouter.available())) {
    console.log('haproxy is not installed: apt-get install haproxy');
    return;
  }
  const supervisor = new ProcessSupervisor();
  const workDir = await mkdtemp(join(tmpdir(), 'zdd-haproxy-facts-'));
  const router = new HaproxyRouter({ supervisor, timings: OPENSHIFT_ROUTER_TIMINGS, workDir });
  const pods: Pod[] = [];
  const pod = async (...args: Parameters<typeof startPod>) => {
    const started = await startPod(...args);
    pods.push(started);
    return started;
  };
  const apply = (...endpoints: RouterEndpoint[]) => router.apply(new Map([[ROUTE, endpoints]]));
  try {
    const port = (await router.start([ROUTE])).get(ROUTE) ?? 0;
    console.log(`HAProxy router on 127.0.0.1:${port}, timings ${JSON.stringify(OPENSHIFT_ROUTER_TIMINGS)}`);

    // (a) one good server, one refusing connections.
    {
      const good = await pod('good');
      const refusing = await refusingEndpoint('refusing');
      const name = `pod:refusing:127.0.0.1:${refusing.port}`;
      await apply(good.endpoint, refusing);
      const applied = performance.now();
      const agent = new Agent({ keepAlive: true, maxSockets: 20 });
      const results = await burst(port, agent, 200, 20);
      print(
        '(a)',
        `200 requests, 20 concurrent, keep-alive: ${tally(results)}; took ${(performance.now() - applied).toFixed(0)} ms`,
      );
      print('', `latency: ${latencies(results)}`);
      const sequential: Result[] = [];
      for (let index = 0; index < 20; index += 1) sequential.push(await send(port, false));
      print('', `20 sequential, new connection each: ${tally(sequential)}; ${latencies(sequential)}`);
      const backend = await statRow(router.statsSocketPath, 'BACKEND');
      const server = await statRow(router.statsSocketPath, name);
      print(
        '',
        `backend counters: retries (wretr) ${backend.wretr}, redispatches (wredis) ${backend.wredis}; refusing server: connection errors (econ) ${server.econ}, status ${server.status}`,
      );
      const pinned: Result[] = [];
      for (let index = 0; index < 3; index += 1) {
        pinned.push(
          await send(port, false, {
            cookie: `${cookieName(ROUTE)}=${serverCookie({ id: 'refusing', host: '', port: 0 })}`,
          }),
        );
      }
      print(
        '',
        `3 requests whose cookie pins the refusing server, in order: ${pinned.map((r) => `${r.status} ${r.pod} ${r.ms.toFixed(0)} ms`).join(', ')}`,
      );
      for (const [round, order] of [
        [1, 'second'],
        [2, 'second'],
        [3, 'first'],
      ] as const) {
        await (order === 'second' ? apply(good.endpoint, refusing) : apply(refusing, good.endpoint));
        const reloaded = performance.now();
        const transitions: string[] = [];
        let last = '';
        while (!last.startsWith('DOWN') && performance.now() - reloaded < 12_000) {
          const row = await statRow(router.statsSocketPath, name);
          const now = `${row.status} (${row.check_status || 'no check yet'}, chkfail ${row.chkfail})`;
          if (now !== last) transitions.push(`${(performance.now() - reloaded).toFixed(0)} ms ${now}`);
          last = now;
          await sleep(20);
        }
        print(
          '',
          `health checks after reload ${round}, refusing server listed ${order} (inter 5000ms, fall 3, rise 2): ${transitions.join(' -> ')}`,
        );
      }
      const afterDown = await burst(port, agent, 50, 10);
      print('', `then 50 requests: ${tally(afterDown)}; ${latencies(afterDown)}`);
      agent.destroy();
    }

    // (b) one server, refusing connections.
    {
      await apply(await refusingEndpoint('refusing'));
      const results = await burst(port, new Agent({ keepAlive: true }), 5, 5);
      print('(b)', `only a refusing server, 5 requests: ${tally(results)}; ${latencies(results)}`);
    }

    // (c) a server that closes the connection without answering.
    {
      const destroyer = await pod('destroyer', 'destroy');
      await apply(destroyer.endpoint);
      const alone = await burst(port, new Agent({ keepAlive: true }), 10, 5);
      print('(c)', `only a server that destroys the socket, 10 requests: ${tally(alone)}; ${latencies(alone)}`);
      print('', `requests that reached it: ${destroyer.requests()} (one per client request = no retry)`);
      const fresh = await burst(port, false, 10, 5);
      print('', `same, a new connection per request: ${tally(fresh)}`);
      const good = await pod('good-c');
      await apply(destroyer.endpoint, good.endpoint);
      const before = destroyer.requests();
      const mixed = await burst(port, new Agent({ keepAlive: true }), 100, 10);
      print('', `with a good server too, 100 requests: ${tally(mixed)}; ${latencies(mixed)}`);
      print(
        '',
        `requests that reached the destroyer: ${destroyer.requests() - before}, the good one: ${good.requests()}`,
      );
      const freshMixed = await burst(port, false, 100, 10);
      print('', `same, a new connection per request: ${tally(freshMixed)}`);
    }

    // (d) a server that answers 503.
    {
      const unavailable = await pod('unavailable', '503');
      const good = await pod('good-d');
      await apply(unavailable.endpoint);
      const alone = await burst(port, false, 10, 5);
      print('(d)', `only a server answering 503, 10 requests: ${tally(alone)}`);
      await apply(unavailable.endpoint, good.endpoint);
      const mixed = await burst(port, false, 100, 10);
      print('', `with a good server too, 100 requests: ${tally(mixed)}`);
    }

    // (e) a server that closes idle keep-alive connections, under 200 req/s for 5 s.
    for (const [label, options] of [
      ['keepAliveTimeout 1 ms', { keepAliveTimeout: 1 }],
      ['closeIdleConnections() every 5 ms', { closeIdleEveryMs: 5 }],
    ] as const) {
      const closer = await pod('closer', 'ok', options);
      await apply(closer.endpoint);
      const agent = new Agent({ keepAlive: true });
      const results = await openLoad(port, agent, 200, 5000);
      agent.destroy();
      print('(e)', `${label}: ${results.length} requests, keep-alive client: ${tally(results)}; ${latencies(results)}`);
      const fresh: Result[] = [];
      const started = performance.now();
      for (let index = 0; index < 1000; index += 1) {
        const wait = started + index * 5 - performance.now();
        if (wait > 0) await sleep(wait);
        fresh.push(await send(port, false));
      }
      print('', `  1000 requests, a new client connection each: ${tally(fresh)}`);
      const nodeDirect = new Agent({ keepAlive: true });
      const direct = await openLoad(closer.endpoint.port, nodeDirect, 200, 2000);
      nodeDirect.destroy();
      print('', `  for comparison, Node straight to that server (no router), 2 s: ${tally(direct)}`);
      await closer.close();
    }

    // (f) the cookie.
    {
      const one = await pod('one');
      const two = await pod('two');
      await apply(one.endpoint, two.endpoint);
      const first = await send(port, false);
      print(
        '(f)',
        `Set-Cookie: ${JSON.stringify(first.setCookie)} (cookie name = md5("${ROUTE}") = ${cookieName(ROUTE)})`,
      );
      const pair = first.setCookie[0]?.split(';')[0] ?? '';
      const sticky: Result[] = [];
      for (let index = 0; index < 20; index += 1) sticky.push(await send(port, false, { cookie: `${pair}; other=1` }));
      print(
        '',
        `20 requests with "${pair}; other=1": ${tally(sticky)}; Set-Cookie on them: ${sticky.filter((r) => r.setCookie.length > 0).length}`,
      );
      const seen = [...one.cookies, ...two.cookies].filter((line) => line !== '');
      print('', `Cookie headers the servers received: ${JSON.stringify([...new Set(seen)])}`);
      const owner = first.pod === 'one' ? one : two;
      const other = owner === one ? two : one;
      await apply(other.endpoint);
      const moved = await send(port, false, { cookie: pair });
      print('', `same cookie after its server left: ${tally([moved])}, Set-Cookie ${JSON.stringify(moved.setCookie)}`);
    }

    // (g) idle client keep-alive connections to the old worker, across a reload.
    {
      const one = await pod('g-one');
      await apply(one.endpoint);
      const agent = new Agent({ keepAlive: true, maxSockets: 5 });
      await burst(port, agent, 10, 5);
      const sockets = Object.values(agent.freeSockets).flat();
      const events: string[] = [];
      const started = performance.now();
      for (const socket of sockets) {
        socket?.on('end', () => events.push(`FIN at ${(performance.now() - started).toFixed(0)} ms`));
        socket?.on('error', (error: NodeJS.ErrnoException) => events.push(`error ${error.code}`));
      }
      await apply(one.endpoint);
      const applied = performance.now() - started;
      const before = events.length;
      const next = await burst(port, agent, 10, 5);
      print(
        '(g)',
        `${sockets.length} idle keep-alive client sockets; apply() took ${applied.toFixed(0)} ms; closed by then: ${before}`,
      );
      print('', `events on them (ms after apply() was called): ${events.join(', ') || 'none'}`);
      print('', `10 requests right after on the agent: ${tally(next)}`);
      agent.destroy();

      // Keep-alive load across reloads, and without (control).
      for (const reloads of [0, 20]) {
        const agent3 = new Agent({ keepAlive: true });
        const load = openLoad(port, agent3, 200, 10_000);
        for (let index = 0; index < reloads; index += 1) {
          await sleep(450);
          await apply(one.endpoint);
        }
        const results = await load;
        agent3.destroy();
        const closing = results.filter((r) => r.connectionClose).length;
        print(
          '',
          `200 req/s for 10 s, keep-alive client, ${reloads} reloads: ${tally(results)}; answers with "Connection: close": ${closing}; ${latencies(results)}`,
        );
      }
      const fresh: Result[] = [];
      const load = (async () => {
        const begin = performance.now();
        for (let index = 0; index < 1000; index += 1) {
          const wait = begin + index * 5 - performance.now();
          if (wait > 0) await sleep(wait);
          fresh.push(await send(port, false));
        }
      })();
      for (let index = 0; index < 10; index += 1) {
        await sleep(450);
        await apply(one.endpoint);
      }
      await load;
      print('', `200 req/s for 5 s, a new connection per request, 10 reloads: ${tally(fresh)}; ${latencies(fresh)}`);
    }
  } finally {
    await router.stop().catch((error: unknown) => console.error(error));
    supervisor.close();
    await Promise.all(pods.map((started) => started.close()));
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
