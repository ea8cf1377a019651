import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DelayedRouter } from '../../../src/cluster/router/delayed-router.js';
import type { RouterBackend, RouterEndpoint, RouterState } from '../../../src/cluster/router/router.js';
import { EventLog } from '../../../src/runtime/events.js';

/** A backend that only records what it was given, and when. */
class FakeBackend implements RouterBackend {
  readonly applied: Array<{ at: number; ids: string }> = [];
  async start(routes: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return new Map(routes.map((route, index) => [route, 8000 + index]));
  }
  async apply(state: RouterState): Promise<void> {
    this.applied.push({ at: Date.now(), ids: (state.get('r') ?? []).map((e) => e.id).join(',') || '-' });
  }
  async stop(): Promise<void> {}
}

const pod = (id: string, port: number): RouterEndpoint => ({ id, host: '127.0.0.1', port });

describe('DelayedRouter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies each change its delay after it was set, without reloads in between', async () => {
    const backend = new FakeBackend();
    const events = new EventLog();
    const router = new DelayedRouter(backend, { addMs: 1000, removeMs: 10_000 }, events);
    expect(await router.start(['r'])).toEqual(new Map([['r', 8000]]));
    router.set('r', [pod('old', 1)]);
    expect(router.synced()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(router.synced()).toBe(true);
    // A rollout's step: the new pod is ready, the old one deleted at the same moment.
    router.set('r', [pod('new', 2)]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(backend.applied).toEqual([
      { at: 0, ids: '-' },
      { at: 1000, ids: 'old' },
      { at: 2000, ids: 'new,old' },
      { at: 11_000, ids: 'new' },
    ]);
    expect(router.synced()).toBe(true);
    expect(events.all().map((event) => event.detail)).toEqual([
      'endpoints: old',
      'endpoints: new, old',
      'endpoints: new',
    ]);
    await router.stop();
  });

  it('applies an addition and a removal that arrive together in one state (no empty moment)', async () => {
    const backend = new FakeBackend();
    const router = new DelayedRouter(backend, { addMs: 6000, removeMs: 6000 }, new EventLog());
    await router.start(['r']);
    router.set('r', [pod('old', 1)]);
    await vi.advanceTimersByTimeAsync(6000);
    router.set('r', [pod('new', 2)]);
    await vi.advanceTimersByTimeAsync(6000);
    expect(backend.applied.map((apply) => apply.ids)).toEqual(['-', 'old', 'new']);
    await router.stop();
  });

  it('has nothing to align: its delays do not depend on a reload phase', async () => {
    const backend = new FakeBackend();
    const router = new DelayedRouter(backend, { addMs: 0, removeMs: 120_000 }, new EventLog());
    await router.start(['r']);
    router.alignReloads(0.5);
    router.set('r', [pod('a', 1)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(backend.applied.map((apply) => apply.ids)).toEqual(['-', 'a']);
    await router.stop();
  });
});

describe('DelayedRouter whose backend fails', () => {
  it('applies nothing more, and synced() throws what the backend threw', async () => {
    class Failing extends FakeBackend {
      override async apply(state: RouterState): Promise<void> {
        if ((state.get('r') ?? []).length > 0) throw new Error('backend broke');
        await super.apply(state);
      }
    }
    const router = new DelayedRouter(new Failing(), { addMs: 0, removeMs: 0 }, new EventLog());
    await router.start(['r']);
    router.set('r', [pod('a', 1)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => router.synced()).toThrow('backend broke');
    await router.stop();
  });
});
