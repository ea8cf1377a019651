import { describe, expect, it } from 'vitest';
import { type EndpointCandidate, routedEndpoints } from '../../../src/cluster/local/routed-endpoints.js';

const candidate = (id: string, ready: boolean, serving: boolean): EndpointCandidate => ({
  endpoint: { id, host: '127.0.0.1', port: 1000 },
  ready,
  serving,
});
const ids = (candidates: EndpointCandidate[], traffic: Parameters<typeof routedEndpoints>[1]) =>
  routedEndpoints(candidates, traffic).map((endpoint) => endpoint.id);

describe('routedEndpoints', () => {
  const old = candidate('old', false, true);
  const gone = candidate('gone', false, false);
  const fresh = candidate('fresh', true, true);

  it('routes to ready endpoints only while one is ready, whatever the platform', () => {
    for (const traffic of ['never', 'when-no-ready', 'until-deregistered'] as const) {
      expect(ids([old, fresh, gone], traffic)).toEqual(['fresh']);
    }
  });

  it('falls back to serving-but-terminating endpoints when none is ready, with when-no-ready only (KEP-1669)', () => {
    expect(ids([gone, old], 'when-no-ready')).toEqual(['old']);
    expect(ids([gone, old], 'never')).toEqual([]);
    expect(ids([gone, old], 'until-deregistered')).toEqual([]);
  });
});
