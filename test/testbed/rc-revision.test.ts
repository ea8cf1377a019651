import { expect, test } from 'vitest';
import type { ApiPod } from '../../src/testbed/api-objects.js';
import { isAvailable } from '../../src/testbed/rc-revision.js';

const pod = (ready: string, since: string): ApiPod => ({
  metadata: { name: 'shop-2-abcde' },
  status: { conditions: [{ type: 'Ready', status: ready as 'True', lastTransitionTime: since }] },
});

test('a pod is available once Ready, and with minReadySeconds only after being Ready that long (podutil.IsPodAvailable)', () => {
  const now = Date.parse('2026-11-29T10:00:10Z');
  expect(isAvailable(pod('True', '2026-11-29T10:00:09Z'), 0, now)).toBe(true);
  expect(isAvailable(pod('False', '2026-11-29T10:00:00Z'), 0, now)).toBe(false);
  expect(isAvailable(pod('True', '2026-11-29T10:00:05Z'), 5000, now)).toBe(false);
  expect(isAvailable(pod('True', '2026-11-29T10:00:04Z'), 5000, now)).toBe(true);
  expect(isAvailable({ metadata: {} }, 0, now)).toBe(false);
});
