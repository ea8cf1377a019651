import { describe, expect, test } from 'vitest';
import { fieldChanges } from '../../src/diff/field-changes.js';
import { formatDiffPath } from '../../src/diff/field-path.js';
import { matchObjects } from '../../src/diff/match-objects.js';
import { fromRendered } from '../../src/kubernetes/object.js';

const paths = (before: unknown, after: unknown) =>
  // biome-ignore lint/suspicious/noExplicitAny: plain test data
  fieldChanges(before as any, after as any).map((change) => `${change.change} ${formatDiffPath(change.path)}`);

describe('fieldChanges', () => {
  test('the topmost path where the objects part; named list items matched by name, whatever their order', () => {
    const before = {
      spec: {
        containers: [
          { name: 'a', image: 'x:1' },
          { name: 'b', image: 'y:1' },
        ],
      },
    };
    const after = {
      spec: {
        containers: [
          { name: 'b', image: 'y:2', lifecycle: { preStop: {} } },
          { name: 'a', image: 'x:1' },
        ],
      },
    };
    expect(paths(before, after)).toEqual([
      'changed spec.containers[name=b].image',
      'added spec.containers[name=b].lifecycle',
    ]);
  });

  test('keys that are not identifiers are quoted; unnamed lists compared by position', () => {
    expect(
      paths(
        { metadata: { labels: { 'zdd/variant': 'a' } }, args: ['x', 'y'] },
        { metadata: { labels: { 'zdd/variant': 'b' } }, args: ['x', 'z'] },
      ),
    ).toEqual(['changed metadata.labels["zdd/variant"]', 'changed args[1]']);
  });
});

describe('matchObjects', () => {
  const object = (kind: string, name: string) => {
    const [read] = fromRendered([{ kind, metadata: { name } }]);
    if (!read) throw new Error('expected an object');
    return read;
  };

  test('by kind and name first, then by kind alone when each side has one left of that kind', () => {
    const before = [
      object('Deployment', 'old'),
      object('Service', 'web'),
      object('ConfigMap', 'a'),
      object('ConfigMap', 'b'),
    ];
    const after = [
      object('Service', 'web'),
      object('Deployment', 'new'),
      object('ConfigMap', 'c'),
      object('ConfigMap', 'd'),
    ];
    expect(
      matchObjects(before, after).map(
        (pair) => `${pair.kind} ${pair.before?.name ?? '-'} → ${pair.after?.name ?? '-'}`,
      ),
    ).toEqual([
      'Deployment old → new',
      'Service web → web',
      'ConfigMap a → -',
      'ConfigMap b → -',
      'ConfigMap - → c',
      'ConfigMap - → d',
    ]);
  });
});
