import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeClient, type WatchEvent } from '../../src/kube/api-client.js';
import { KubeApiError, KubeConnectionError } from '../../src/kube/errors.js';
import type { KubeObject, ObjectMeta, Resource } from '../../src/kube/resources.js';
import { freePort } from '../../src/runtime/free-port.js';
import { type ControlPlane, startControlPlane } from '../../src/testbed/control-plane.js';
import { createNamespace, NO_TESTBED, testbedTitle } from '../helpers/control-plane.js';
import { until } from '../helpers/wait.js';

// Against a real API server (testbed/build.sh's binaries): what the test bed's components rely on.

const NS = 'client';

interface Pod extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    nodeName?: string;
    containers: Array<{ name: string; image: string; env?: Array<{ name: string; value: string }> }>;
  };
  status?: { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }> };
}

interface Scale extends KubeObject {
  spec: { replicas: number };
}

const pods: Resource = { apiVersion: 'v1', plural: 'pods', namespace: NS };
const deployments: Resource = { apiVersion: 'apps/v1', plural: 'deployments', namespace: NS };
const replicaSets: Resource = { apiVersion: 'apps/v1', plural: 'replicasets', namespace: NS };

function pod(name: string, labels: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'zdd-sample-app:latest' }] },
  };
}

/** Consumes a watch in the background. */
function collect<T extends KubeObject>(events: AsyncIterable<WatchEvent<T>>) {
  const seen: string[] = [];
  const done = (async () => {
    for await (const event of events) seen.push(`${event.type} ${event.object.metadata?.name}`);
  })();
  return { seen, done };
}

describe.skipIf(NO_TESTBED)(testbedTitle('KubeClient against a real API server'), () => {
  let plane: ControlPlane;
  let api: KubeClient;

  beforeAll(async () => {
    plane = await startControlPlane();
    api = KubeClient.fromKubeconfig(plane.kubeconfig);
    await createNamespace(api, NS);
  }, 120_000);

  afterAll(async () => {
    api?.close();
    await plane?.stop();
  });

  test('create, get, and list with label and field selectors', async () => {
    const created = await api.create<Pod>(pods, pod('list-a', { role: 'web' }));
    expect(created.metadata.uid).toBeTruthy();
    await api.create(pods, pod('list-b', { role: 'db' }));
    expect((await api.get<Pod>(pods, 'list-a')).spec.containers[0]?.image).toBe('zdd-sample-app:latest');

    const web = await api.list<Pod>(pods, { labelSelector: 'role=web' });
    expect(web.items.map((item) => item.metadata.name)).toEqual(['list-a']);
    expect(web.items[0]?.kind).toBe('Pod');
    expect(web.metadata.resourceVersion).toMatch(/^\d+$/);
    const byName = await api.list<Pod>(pods, { fieldSelector: 'metadata.name=list-b' });
    expect(byName.items.map((item) => item.metadata.name)).toEqual(['list-b']);
    const everywhere = await api.list<Pod>({ apiVersion: 'v1', plural: 'pods' }, { labelSelector: 'role' });
    expect(everywhere.items.map((item) => item.metadata.name).sort()).toEqual(['list-a', 'list-b']);
  });

  test('errors carry the status code, the reason and the API message', async () => {
    const missing = await api.get(pods, 'nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(KubeApiError);
    expect(missing).toMatchObject({ statusCode: 404, reason: 'NotFound', apiMessage: 'pods "nope" not found' });
    expect((missing as Error).message).toBe(
      'GET /api/v1/namespaces/client/pods/nope: 404 NotFound: pods "nope" not found',
    );

    await api.create(pods, pod('twice'));
    const duplicate = await api.create(pods, pod('twice')).catch((error: unknown) => error);
    expect(duplicate).toMatchObject({
      statusCode: 409,
      reason: 'AlreadyExists',
      apiMessage: 'pods "twice" already exists',
    });

    const restricted = KubeClient.fromKubeconfig(plane.restrictedKubeconfig);
    try {
      expect(restricted.namespace).toBe('restricted');
      const forbidden = await restricted
        .create({ apiVersion: 'v1', plural: 'pods', namespace: restricted.namespace }, pod('not-allowed'))
        .catch((error: unknown) => error);
      expect(forbidden).toMatchObject({
        statusCode: 403,
        reason: 'Forbidden',
        apiMessage:
          'pods is forbidden: User "restricted" cannot create resource "pods" in API group "" in the namespace "restricted"',
      });
    } finally {
      restricted.close();
    }

    const closed = new KubeClient({
      server: `https://127.0.0.1:${await freePort()}`,
      namespace: 'default',
      context: 'x',
    });
    const refused = await closed.get(pods, 'x').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KubeConnectionError);
    expect((refused as Error).message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/client\/pods\/x: connect ECONNREFUSED /,
    );
  });

  test('binding, status and the final delete: what the node agent does to a pod', async () => {
    await api.create(pods, pod('bound'));
    await api.create(
      pods,
      {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'bound' },
        target: { apiVersion: 'v1', kind: 'Node', name: 'zdd-node' },
      },
      { name: 'bound', subresource: 'binding' },
    );
    expect((await api.get<Pod>(pods, 'bound')).spec.nodeName).toBe('zdd-node');

    const running = await api.patch<Pod>(
      pods,
      'bound',
      { status: { phase: 'Running', podIP: '10.244.0.7', conditions: [{ type: 'Ready', status: 'True' }] } },
      { type: 'merge', subresource: 'status' },
    );
    expect(running.status).toMatchObject({ phase: 'Running', podIP: '10.244.0.7' });
    // A status write through the main resource is ignored: status is only written through its subresource.
    await api.patch(pods, 'bound', { status: { phase: 'Failed' } }, { type: 'merge' });
    const read = await api.get<Pod>(pods, 'bound', { subresource: 'status' });
    expect(read.status?.phase).toBe('Running');
    const replaced = await api.replace<Pod>(
      pods,
      'bound',
      { ...read, status: { ...read.status, podIP: '10.244.0.8' } },
      {
        subresource: 'status',
      },
    );
    expect(replaced.status).toMatchObject({ phase: 'Running', podIP: '10.244.0.8' });

    // A bound pod is deleted gracefully: it stays, terminating, until the final delete with grace 0.
    const terminating = await api.delete(pods, 'bound');
    expect(terminating.metadata?.deletionTimestamp).toBeTruthy();
    expect((await api.get<Pod>(pods, 'bound')).metadata.deletionTimestamp).toBeTruthy();
    await api.delete(pods, 'bound', { gracePeriodSeconds: 0, preconditions: { uid: read.metadata.uid as string } });
    await expect(api.get(pods, 'bound')).rejects.toMatchObject({ statusCode: 404 });
  });

  test('merge, strategic-merge, json and server-side apply patches', async () => {
    await api.create(pods, pod('patched'));
    const merged = await api.patch<Pod>(pods, 'patched', { metadata: { labels: { tier: 'web' } } }, { type: 'merge' });
    expect(merged.metadata.labels).toEqual({ tier: 'web' });

    // Strategic merge merges containers by name; a merge patch would replace the whole list.
    const strategic = await api.patch<Pod>(
      pods,
      'patched',
      { spec: { containers: [{ name: 'app', image: 'zdd-sample-app:v2' }] } },
      { type: 'strategic' },
    );
    expect(strategic.spec.containers).toHaveLength(1);
    expect(strategic.spec.containers[0]?.image).toBe('zdd-sample-app:v2');

    const json = await api.patch<Pod>(
      pods,
      'patched',
      [{ op: 'add', path: '/metadata/annotations', value: { 'zdd/note': 'json' } }],
      { type: 'json' },
    );
    expect(json.metadata.annotations).toEqual({ 'zdd/note': 'json' });
    await expect(api.patch(pods, 'patched', { op: 'add' }, { type: 'json' })).rejects.toThrow(
      'a json patch is an array of operations',
    );

    const deploymentsApplied = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'applied', labels: { owner: 'one' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'applied' } },
        template: { metadata: { labels: { app: 'applied' } }, spec: pod('x').spec },
      },
    };
    const applied = await api.patch<KubeObject>(deployments, 'applied', deploymentsApplied, {
      type: 'apply',
      fieldManager: 'zdd-one',
    });
    expect(applied.metadata?.labels).toEqual({ owner: 'one' });
    const conflict = await api
      .patch(
        deployments,
        'applied',
        { ...deploymentsApplied, metadata: { name: 'applied', labels: { owner: 'two' } } },
        {
          type: 'apply',
          fieldManager: 'zdd-two',
        },
      )
      .catch((error: unknown) => error);
    expect(conflict).toMatchObject({ statusCode: 409, reason: 'Conflict' });
    expect((conflict as KubeApiError).apiMessage).toContain('conflict with "zdd-one"');
    const forced = await api.patch<KubeObject>(
      deployments,
      'applied',
      { ...deploymentsApplied, metadata: { name: 'applied', labels: { owner: 'two' } } },
      { type: 'apply', fieldManager: 'zdd-two', force: true },
    );
    expect(forced.metadata?.labels).toEqual({ owner: 'two' });
    await expect(api.patch(deployments, 'applied', deploymentsApplied, { type: 'apply' })).rejects.toThrow(
      'server-side apply needs a fieldManager',
    );
  });

  test('the scale subresource, and delete with a propagation policy (the real controllers act on them)', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'scaled' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'scaled' } },
        template: { metadata: { labels: { app: 'scaled' } }, spec: pod('x').spec },
      },
    };
    await api.create(deployments, deployment);
    expect((await api.get<Scale>(deployments, 'scaled', { subresource: 'scale' })).spec.replicas).toBe(1);
    const scaled = await api.patch<Scale>(
      deployments,
      'scaled',
      { spec: { replicas: 3 } },
      { type: 'merge', subresource: 'scale' },
    );
    expect(scaled.spec.replicas).toBe(3);

    // The deployment controller makes a ReplicaSet; the orphaning delete leaves it, without its owner.
    const replicaSet = async () => (await api.list(replicaSets, { labelSelector: 'app=scaled' })).items[0];
    expect(await until(async () => (await replicaSet()) !== undefined, 30_000)).toBe(true);
    await api.delete(deployments, 'scaled', { propagationPolicy: 'Orphan' });
    // The garbage collector removes the orphan finalizer, then the Deployment is gone.
    const gone = () =>
      api.get(deployments, 'scaled').then(
        () => false,
        (error: unknown) => (error as KubeApiError).statusCode === 404,
      );
    expect(await until(gone, 30_000)).toBe(true);
    expect(await until(async () => (await replicaSet())?.metadata?.ownerReferences === undefined, 30_000)).toBe(true);
    const orphan = await replicaSet();
    expect(orphan?.metadata?.name).toMatch(/^scaled-/);
    await api.delete(replicaSets, orphan?.metadata?.name as string, { propagationPolicy: 'Background' });
  });

  test('watch: lists first, then yields changes, and ends when its signal aborts', async () => {
    await api.create(pods, pod('watched-1', { watch: 'yes' }));
    const stop = new AbortController();
    const { seen, done } = collect(api.watch<Pod>(pods, { labelSelector: 'watch=yes', signal: stop.signal }));
    expect(await until(() => seen.length === 1, 10_000)).toBe(true);
    await api.create(pods, pod('watched-2', { watch: 'yes' }));
    await api.create(pods, pod('not-watched'));
    await api.patch(pods, 'watched-2', { metadata: { annotations: { a: 'b' } } }, { type: 'merge' });
    await api.delete(pods, 'watched-1');
    expect(await until(() => seen.includes('DELETED watched-1'), 10_000)).toBe(true);
    // An unbound pod's delete first sets its deletionTimestamp (MODIFIED), then removes it at once.
    expect(seen).toEqual([
      'ADDED watched-1',
      'ADDED watched-2',
      'MODIFIED watched-2',
      'MODIFIED watched-1',
      'DELETED watched-1',
    ]);
    stop.abort();
    await done;
  });

  test('watch: reopens when the server closes the stream, without losing or repeating events', async () => {
    const list = await api.list(pods);
    const stop = new AbortController();
    const { seen, done } = collect(
      api.watch<Pod>(pods, {
        resourceVersion: list.metadata.resourceVersion,
        labelSelector: 'reopen',
        timeoutSeconds: 1,
        signal: stop.signal,
      }),
    );
    await api.create(pods, pod('reopen-1', { reopen: 'yes' }));
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // the server has closed the first stream by now
    await api.create(pods, pod('reopen-2', { reopen: 'yes' }));
    expect(await until(() => seen.length >= 2, 10_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(seen).toEqual(['ADDED reopen-1', 'ADDED reopen-2']);
    stop.abort();
    await done;
  });
});
