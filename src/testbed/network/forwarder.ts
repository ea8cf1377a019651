import { connect, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Forward, ForwardTarget } from './forwards.js';

/**
 * The test bed's kube-proxy, run inside its cluster network namespace (see cluster-network.ts): one TCP
 * listener per Service address and port, each connection passed to one of the Service's endpoints, or to a
 * unix socket that leads out of the namespace (the API server, the router). It reads the whole table as one
 * JSON line on stdin each time it changes, answers `ok N` on stdout once the N-th table is in force, and exits
 * when stdin closes: it lives exactly as long as the test bed that started it.
 */

interface Listener {
  readonly server: Server;
  to: readonly ForwardTarget[];
  next: number;
}

const listeners = new Map<string, Listener>();

function pipe(client: Socket, target: ForwardTarget): void {
  const upstream = 'path' in target ? connect(target.path) : connect(target.port, target.host);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
}

function listen(forward: Forward): Promise<Listener> {
  const listener: Listener = {
    to: forward.to,
    next: 0,
    server: createServer((client) => {
      const target = listener.to[listener.next++ % Math.max(1, listener.to.length)];
      if (target === undefined) client.destroy();
      else pipe(client, target);
    }),
  };
  return new Promise((resolve) => {
    listener.server.once('error', (error) => {
      process.stderr.write(`cannot listen on ${forward.host}:${forward.port}: ${error.message}\n`);
      resolve(listener);
    });
    listener.server.listen(forward.port, forward.host, () => resolve(listener));
  });
}

async function apply(forwards: readonly Forward[]): Promise<void> {
  const wanted = new Map(forwards.map((forward) => [`${forward.host}:${forward.port}`, forward]));
  for (const [key, listener] of listeners) {
    if (!wanted.has(key)) {
      listener.server.close();
      listeners.delete(key);
    }
  }
  for (const [key, forward] of wanted) {
    const known = listeners.get(key);
    if (known) known.to = forward.to;
    else listeners.set(key, await listen(forward));
  }
}

let applied = 0;
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  const forwards = JSON.parse(line) as Forward[];
  queue = queue.then(async () => {
    await apply(forwards);
    applied += 1;
    process.stdout.write(`ok ${applied}\n`);
  });
});
process.stdin.on('end', () => process.exit(0));
// Running: unshare has made the namespace before it started this program.
process.stdout.write('ok 0\n');
