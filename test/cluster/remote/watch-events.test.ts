import { describe, expect, test } from 'vitest';
import { JsonStreamSplitter } from '../../../src/cluster/remote/json-stream.js';
import { type WatchEvent, WatchEventMapper } from '../../../src/cluster/remote/watch-events.js';

const pod = (extra: Record<string, unknown>): WatchEvent['object'] =>
  ({
    kind: 'Pod',
    metadata: {
      name: 'app-1-abcde',
      labels: { 'app.kubernetes.io/name': 'app' },
      ownerReferences: [{ name: 'app-1' }],
    },
    ...extra,
  }) as WatchEvent['object'];

describe('kubectl --watch output', () => {
  test('pretty-printed JSON objects, split across chunks anyhow, strings with braces included', () => {
    const splitter = new JsonStreamSplitter();
    const text = `{\n  "type": "ADDED",\n  "object": {"kind": "Pod", "note": "a } and a \\" inside"}\n}\n{"type":"DELETED","object":{}}\n`;
    const values = [...text].flatMap((char) => splitter.push(char));
    expect(values).toEqual([
      { type: 'ADDED', object: { kind: 'Pod', note: 'a } and a " inside' } },
      { type: 'DELETED', object: {} },
    ]);
  });
});

describe('watch events → the event log the local cluster writes', () => {
  test('a pod’s life: created, scheduled, started, ready, deleted, unready, exited, removed', () => {
    const mapper = new WatchEventMapper();
    const types = (event: WatchEvent) => mapper.map(event).map((e) => `${e.type}${e.detail ? ` (${e.detail})` : ''}`);
    expect(types({ type: 'ADDED', object: pod({}) })).toEqual(['pod-created (revision app-1)']);
    expect(types({ type: 'MODIFIED', object: pod({ spec: { nodeName: 'zdd-node' } }) })).toEqual([
      'pod-scheduled (node zdd-node)',
    ]);
    const running = { containerStatuses: [{ restartCount: 0, state: { running: {} } }], podIP: '10.244.0.7' };
    expect(types({ type: 'MODIFIED', object: pod({ spec: { nodeName: 'n' }, status: running }) })).toEqual([
      'pod-started (ip 10.244.0.7)',
    ]);
    const ready = { ...running, conditions: [{ type: 'Ready', status: 'True' }] };
    expect(types({ type: 'MODIFIED', object: pod({ spec: { nodeName: 'n' }, status: ready }) })).toEqual(['pod-ready']);
    const deleting = pod({
      metadata: {
        name: 'app-1-abcde',
        labels: { 'app.kubernetes.io/name': 'app' },
        deletionTimestamp: '2026-01-01T00:00:00Z',
        deletionGracePeriodSeconds: 40,
      },
      spec: { nodeName: 'n' },
      status: running,
    });
    expect(types({ type: 'MODIFIED', object: deleting })).toEqual([
      'pod-unready (deleted)',
      'pod-deleted (grace 40 s)',
    ]);
    expect(types({ type: 'DELETED', object: deleting })).toEqual(['pod-exited (gone)', 'pod-removed']);
  });

  test('an image that cannot be pulled and a restart are reported', () => {
    const mapper = new WatchEventMapper();
    mapper.map({ type: 'ADDED', object: pod({}) });
    const waiting = {
      containerStatuses: [{ restartCount: 0, state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } }],
    };
    expect(mapper.map({ type: 'MODIFIED', object: pod({ status: waiting }) })).toEqual([
      { type: 'pod-waiting', object: 'app-1-abcde', workload: 'app', detail: 'ErrImagePull: not found' },
    ]);
    const restarted = { containerStatuses: [{ restartCount: 1, state: { running: {} } }] };
    expect(mapper.map({ type: 'MODIFIED', object: pod({ status: restarted }) }).map((e) => e.type)).toEqual([
      'pod-started',
      'container-restarted',
    ]);
  });

  test('EndpointSlices: what the router routes (ready not false), terminating ones named, changes only', () => {
    const mapper = new WatchEventMapper();
    const slice = (endpoints: unknown[]): WatchEvent => ({
      type: 'MODIFIED',
      object: {
        kind: 'EndpointSlice',
        metadata: { name: 'app-x1', labels: { 'kubernetes.io/service-name': 'app' } },
        endpoints,
      } as WatchEvent['object'],
    });
    const a = { targetRef: { name: 'a' }, conditions: { ready: true, serving: true, terminating: false } };
    const b = { targetRef: { name: 'b' }, conditions: { ready: false, serving: true, terminating: true } };
    expect(mapper.map(slice([a, b]))).toEqual([
      { type: 'endpoints-changed', object: 'app', detail: 'a; terminating: b' },
    ]);
    expect(mapper.map(slice([a, b]))).toEqual([]);
    expect(mapper.map(slice([{ targetRef: { name: 'c' }, conditions: {} }]))).toEqual([
      { type: 'endpoints-changed', object: 'app', detail: 'c' },
    ]);
  });

  test('ReplicationControllers and ReplicaSets: scaled', () => {
    const mapper = new WatchEventMapper();
    const rc = (replicas: number): WatchEvent => ({
      type: 'MODIFIED',
      object: {
        kind: 'ReplicationController',
        metadata: { name: 'app-2', annotations: { 'openshift.io/deployment-config.name': 'app' } },
        spec: { replicas },
      } as WatchEvent['object'],
    });
    expect(mapper.map(rc(1))).toEqual([{ type: 'scaled', object: 'app-2', workload: 'app', detail: 'to 1' }]);
    expect(mapper.map(rc(1))).toEqual([]);
  });
});
