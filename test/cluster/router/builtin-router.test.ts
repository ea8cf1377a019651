import { afterEach, expect, test } from 'vitest';
import { BuiltinRouter } from '../../../src/cluster/router/builtin-router.js';
import { OPENSHIFT_ROUTER_TIMINGS } from '../../../src/cluster/router/router.js';
import { EventLog } from '../../../src/runtime/events.js';
import { get, type Pod, refusingEndpoint, sleep, startPod } from '../../helpers/router.js';

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
