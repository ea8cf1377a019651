import { expect, test } from 'vitest';
import { PodAddressBook, PodIpPool } from '../../src/testbed/pod-ips.js';

test('pod addresses come from 10.244.0.0/16, never the network, gateway or broadcast address, never loopback', () => {
  const pool = new PodIpPool();
  const first = Array.from({ length: 300 }, () => pool.allocate());
  expect(first.slice(0, 3)).toEqual(['10.244.0.2', '10.244.0.3', '10.244.0.4']);
  expect(first).toContain('10.244.1.0');
  expect(new Set(first).size).toBe(300);
  expect(first.every((ip) => ip.startsWith('10.244.') && ip !== '10.244.0.1')).toBe(true);
  expect(pool.size).toBe(300);
});

test('a released address is reused only after the others (a fresh pod does not inherit a stale endpoint), and the pool says when it is full', () => {
  const pool = new PodIpPool();
  const a = pool.allocate();
  pool.allocate();
  pool.release(a);
  expect(pool.allocate()).toBe('10.244.0.4');
  for (let i = 0; i < 65_533 - 3; i++) pool.allocate();
  // Only the released one is left, after wrapping around.
  expect(pool.allocate()).toBe(a);
  expect(pool.size).toBe(65_533);
  expect(() => pool.allocate()).toThrow('the pod network 10.244.0.0/16 has no free address left');
  expect(() => pool.release('not an address')).toThrow('not an IPv4 address: "not an address"');
});

test('the address book maps a pod address and container port to the loopback port, and tells listeners when it moves', () => {
  const book = new PodAddressBook();
  let port = 41_000;
  const pod = { hostPort: (containerPort: number) => (containerPort === 8080 ? port : undefined) };
  let changes = 0;
  const stop = book.onChange(() => {
    changes += 1;
  });
  book.set('10.244.0.2', pod);
  expect(book.resolve('10.244.0.2', 8080)).toBe(41_000);
  expect(book.resolve('10.244.0.2', 9090)).toBeUndefined();
  expect(book.resolve('10.244.0.3', 8080)).toBeUndefined();
  port = 0; // a pod that has not bound its port yet
  expect(book.resolve('10.244.0.2', 8080)).toBeUndefined();
  book.delete('10.244.0.2');
  expect(book.resolve('10.244.0.2', 8080)).toBeUndefined();
  expect(changes).toBe(2);
  stop();
  book.changed();
  expect(changes).toBe(2);
});
