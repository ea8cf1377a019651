import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { BuiltinRouter } from '../../../src/cluster/router/builtin-router.js';
import { OPENSHIFT_ROUTER_TIMINGS } from '../../../src/cluster/router/router.js';
import { EventLog } from '../../../src/runtime/events.js';
import { get, type Pod, refusingEndpoint, sleep, startPod } from '../../helpers/router.js';
import { until } from '../../helpers/wait.js';

/** Health checks, which only the built-in router reports as events. */
const timings = { ...OPENSHIFT_ROUTER_TIMINGS, checkIntervalMs: 200 };
let router: BuiltinRouter | undefined;
const pods: Pod[] = [];
afterEach(async () => {
  await router?.stop();
  await Promise.all(pods.splice(0).map((pod) => pod.close()));
});

test('with two endpoints a dead one is marked DOWN by its first check after a reload (checks at inter × i / n)', async () => {
  const events = new EventLog();
  router = new BuiltinRouter({ timings, events });
  await router.start(['web']);
  const good = await startPod('good');
  pods.push(good);
  await router.apply(new Map([['web', [good.endpoint, await refusingEndpoint('dead')]]]));
  await sleep(timings.checkIntervalMs * 0.5 + 60); // the second server's first check runs at inter × 1/2
  expect(events.all().map((e) => `${e.type} ${e.object}`)).toEqual(['server-down dead']);
});

test('with one endpoint there are no health checks', async () => {
  const events = new EventLog();
  router = new BuiltinRouter({ timings, events });
  await router.start(['web']);
  await router.apply(new Map([['web', [await refusingEndpoint('dead')]]]));
  await sleep(timings.checkIntervalMs * 2);
  expect(events.all()).toEqual([]);
});

test('a platform that does not retry (refusedConnection error): a refused connect is a 502 at once, no health checks', async () => {
  const events = new EventLog();
  router = new BuiltinRouter({ timings, events, refusedConnection: 'error' });
  const ports = await router.start(['web']);
  const good = await startPod('good');
  pods.push(good);
  await router.apply(new Map([['web', [good.endpoint, await refusingEndpoint('dead')]]]));
  const statuses = new Set<number>();
  for (let i = 0; i < 20; i++) statuses.add((await get(ports.get('web') ?? 0)).status);
  // balance random over both: some requests meet the dead one and are not redispatched.
  expect([...statuses].sort()).toEqual([200, 502]);
  await sleep(timings.checkIntervalMs * 2);
  expect(events.all()).toEqual([]);
});

test('an idle server connection is closed by the router within seconds, before a Node app behind it would (5 s): no keep-alive race', async () => {
  router = new BuiltinRouter({ timings: OPENSHIFT_ROUTER_TIMINGS, events: new EventLog() });
  const ports = await router.start(['web']);
  const closed: number[] = [];
  // An app that would keep an idle connection for 10 s: whoever closes first, it is not the app.
  const app = createServer((_, response) => response.writeHead(200, { 'x-pod': 'app' }).end('ok'));
  app.keepAliveTimeout = 10_000;
  app.on('connection', (socket) => socket.on('close', () => closed.push(Date.now())));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  pods.push({ endpoint: { id: 'app', host: '127.0.0.1', port: 0 }, cookies: [], close: () => closeServer(app) });
  await router.apply(new Map([['web', [{ id: 'app', host: '127.0.0.1', port: (app.address() as AddressInfo).port }]]]));
  // Two requests on one client connection: the second goes on a kept-alive server connection (http-reuse safe).
  const client = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let index = 0; index < 2; index++) {
      await new Promise<void>((resolve, reject) => {
        request({ host: '127.0.0.1', port: ports.get('web'), agent: client }, (response) => {
          response.resume();
          response.on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
    }
    const idleSince = Date.now();
    await until(() => closed.length === 2, 8_000);
    expect(closed).toHaveLength(2);
    expect(Math.max(...closed) - idleSince).toBeLessThan(5_000);
  } finally {
    client.destroy();
  }
});

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
