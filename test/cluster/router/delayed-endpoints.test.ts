import { describe, expect, it } from 'vitest';
import { DelayedEndpoints } from '../../../src/cluster/router/delayed-endpoints.js';
import type { RouterEndpoint } from '../../../src/cluster/router/router.js';

const a: RouterEndpoint = { id: 'a', host: '127.0.0.1', port: 1001 };
const b: RouterEndpoint = { id: 'b', host: '127.0.0.1', port: 1002 };

/** The ids route `r` sends to at each time. */
function idsAt(model: DelayedEndpoints, times: readonly number[]): string[] {
  return times.map((time) => (model.visible(time).get('r') ?? []).map((endpoint) => endpoint.id).join(',') || '-');
}

describe('DelayedEndpoints', () => {
  it('shows an addition addMs late and a removal removeMs late (a pushed proxy: ingress-nginx, 6 s each)', () => {
    const model = new DelayedEndpoints({ addMs: 6000, removeMs: 6000 });
    model.publish('r', [a], 0);
    expect(idsAt(model, [0, 5999, 6000])).toEqual(['-', '-', 'a']);
    model.publish('r', [a, b], 10_000);
    model.publish('r', [b], 11_000);
    expect(idsAt(model, [15_999, 16_000, 16_999, 17_000])).toEqual(['a', 'a,b', 'a,b', 'b']);
    expect(model.nextArrival(17_000)).toBeUndefined();
  });

  it('keeps sending to a removed target for the whole deregistration, and adds a new one at once (ALB: 120 s / 0 s)', () => {
    const model = new DelayedEndpoints({ addMs: 0, removeMs: 120_000 });
    model.publish('r', [a], 0);
    model.publish('r', [b], 1000);
    expect(idsAt(model, [0, 1000, 60_000, 120_999, 121_000])).toEqual(['a', 'a,b', 'a,b', 'a,b', 'b']);
  });

  it('lets the most recently published change decide among those that have arrived', () => {
    // Added, then removed before the addition arrived: never routed to.
    const late = new DelayedEndpoints({ addMs: 6000, removeMs: 3000 });
    late.publish('r', [a], 0);
    late.publish('r', [], 1000);
    expect(idsAt(late, [3999, 4000, 6000, 9000])).toEqual(['-', '-', '-', '-']);
    // Removed, then back before the removal arrived: routed to throughout.
    const back = new DelayedEndpoints({ addMs: 1000, removeMs: 10_000 });
    back.publish('r', [a], 0);
    back.publish('r', [], 2000);
    back.publish('r', [a], 3000);
    expect(idsAt(back, [1000, 2500, 4000, 12_000, 13_000])).toEqual(['a', 'a', 'a', 'a', 'a']);
  });

  it('treats a pod restarted on a fresh port as a new endpoint', () => {
    const model = new DelayedEndpoints({ addMs: 1000, removeMs: 5000 });
    model.publish('r', [a], 0);
    model.publish('r', [{ ...a, port: 2001 }], 2000);
    const ports = (time: number) => (model.visible(time).get('r') ?? []).map((endpoint) => endpoint.port);
    expect(ports(2500)).toEqual([1001]);
    expect(ports(3000)).toEqual([1001, 2001]);
    expect(ports(7000)).toEqual([2001]);
  });

  it('names the next arrival, and lists a route published with no endpoints', () => {
    const model = new DelayedEndpoints({ addMs: 3000, removeMs: 10_000 });
    model.publish('r', [], 0);
    model.publish('s', [a], 0);
    expect(model.nextArrival(0)).toBe(3000);
    expect([...model.visible(0).keys()]).toEqual(['r', 's']);
    model.publish('s', [], 5000);
    expect(model.nextArrival(5000)).toBe(15_000);
    expect(model.nextArrival(15_000)).toBeUndefined();
  });
});
