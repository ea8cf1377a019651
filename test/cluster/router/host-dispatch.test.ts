import { request } from 'node:http';
import { afterEach, expect, test } from 'vitest';
import { BuiltinRouter } from '../../../src/cluster/router/builtin-router.js';
import { ReloadingRouter } from '../../../src/cluster/router/reloading-router.js';
import { OPENSHIFT_ROUTER_TIMINGS } from '../../../src/cluster/router/router.js';
import { EventLog } from '../../../src/runtime/events.js';
import { type Pod, startPod } from '../../helpers/router.js';

let router: BuiltinRouter | undefined;
const pods: Pod[] = [];
afterEach(async () => {
  await router?.stop();
  router = undefined;
  await Promise.all(pods.splice(0).map((pod) => pod.close()));
});

/** One request with a Host header, on a new connection; status, x-pod and body. */
function send(port: number, host: string): Promise<{ status: number; pod: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', headers: { host }, agent: false, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          const pod = res.headers['x-pod'];
          resolve({ status: res.statusCode ?? 0, pod: typeof pod === 'string' ? pod : undefined, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

test('one listener sends each request to the route its Host header names (port and case ignored); an unknown host gets the 503 page', async () => {
  router = new BuiltinRouter({ timings: OPENSHIFT_ROUTER_TIMINGS });
  const [shop, blog] = await Promise.all([startPod('shop-1'), startPod('blog-1')]);
  pods.push(shop as Pod, blog as Pod);
  const routes = new Map([
    ['shop.apps.example', 'route:shop'],
    ['blog.apps.example', 'route:blog'],
  ]);
  const port = await router.listenByHost((host) => routes.get(host));
  // Routes that appear after the start get their backend from the first reload that has them.
  await router.apply(
    new Map([
      ['route:shop', [(shop as Pod).endpoint]],
      ['route:blog', [(blog as Pod).endpoint]],
    ]),
  );

  expect((await send(port, 'shop.apps.example')).pod).toBe('shop-1');
  expect((await send(port, `BLOG.apps.example:${port}`)).pod).toBe('blog-1');
  const unknown = await send(port, 'other.apps.example');
  expect(unknown.status).toBe(503);
  expect(unknown.body).toContain('Application is not available');
});

test('a route left out of a reload is removed: its host gets the 503 page', async () => {
  router = new BuiltinRouter({ timings: OPENSHIFT_ROUTER_TIMINGS });
  const shop = await startPod('shop-1');
  pods.push(shop);
  const port = await router.listenByHost((host) => (host === 'shop.apps.example' ? 'route:shop' : undefined));
  await router.apply(new Map([['route:shop', [shop.endpoint]]]));
  expect((await send(port, 'shop.apps.example')).status).toBe(200);

  await router.apply(new Map());
  expect((await send(port, 'shop.apps.example')).status).toBe(503);
});

test('ReloadingRouter.remove() drops a route at the next reload, and a changed port alone is a change to reload', async () => {
  const events = new EventLog();
  const timings = { ...OPENSHIFT_ROUTER_TIMINGS, reloadIntervalMs: 100 };
  const backend = new BuiltinRouter({ timings });
  router = backend;
  const reloading = new ReloadingRouter(backend, timings, events, 'coalesced');
  await reloading.start([]);
  const [first, restarted] = await Promise.all([startPod('web-1'), startPod('web-1')]);
  pods.push(first as Pod, restarted as Pod);
  const port = await backend.listenByHost(() => 'route:web');

  reloading.set('route:web', [(first as Pod).endpoint]);
  await until(() => reloading.synced());
  expect((await send(port, 'web')).status).toBe(200);

  // The same pod, restarted on another loopback port (the id is the pod's name).
  reloading.set('route:web', [(restarted as Pod).endpoint]);
  expect(reloading.synced()).toBe(false);
  await until(() => reloading.synced());
  await (first as Pod).close();
  expect((await send(port, 'web')).status).toBe(200);

  reloading.remove('route:web');
  await until(() => reloading.synced());
  expect((await send(port, 'web')).status).toBe(503);
  expect(events.all().map((event) => event.detail)).toContain('route removed');
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
