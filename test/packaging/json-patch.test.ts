import { describe, expect, test } from 'vitest';
import { jsonPatch } from '../../src/packaging/kustomize/json-patch.js';

describe('jsonPatch', () => {
  test('an added key is one add of its whole value; a changed scalar one replace; keys escaped as RFC 6901 says', () => {
    const before = {
      metadata: { name: 'a', labels: { 'zdd/variant': 'default' } },
      spec: { containers: [{ name: 'app' }] },
    };
    const after = {
      metadata: { name: 'b', labels: { 'zdd/variant': 'zero-downtime' } },
      spec: { containers: [{ name: 'app', readinessProbe: { periodSeconds: 2 } }] },
    };
    expect(jsonPatch(before, after)).toEqual([
      { op: 'replace', path: '/metadata/name', value: 'b', before: 'a' },
      { op: 'replace', path: '/metadata/labels/zdd~1variant', value: 'zero-downtime', before: 'default' },
      { op: 'add', path: '/spec/containers/0/readinessProbe', value: { periodSeconds: 2 } },
    ]);
  });

  test('a removed key is a remove; a list whose length changed is replaced whole', () => {
    expect(jsonPatch({ a: 1, b: [1, 2] }, { b: [1, 2, 3] })).toEqual([
      { op: 'remove', path: '/a', before: 1 },
      { op: 'replace', path: '/b', value: [1, 2, 3], before: [1, 2] },
    ]);
    expect(jsonPatch({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });
});
