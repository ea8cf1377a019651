import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { RouterEndpoint } from '../../src/cluster/router/router.js';

/** Tiny pods and a bounded HTTP client for router tests; everything on 127.0.0.1. */
export interface Pod {
  readonly endpoint: RouterEndpoint;
  /** The Cookie header each request arrived with. */
  readonly cookies: string[];
  close(): Promise<void>;
}

/** A pod: answers 200 with `x-pod: <id>`, after `delayMs`. */
export async function startPod(id: string, delayMs = 0): Promise<Pod> {
  const cookies: string[] = [];
  const server: Server = createServer((req, res) => {
    cookies.push(req.headers.cookie ?? '');
    setTimeout(() => res.writeHead(200, { 'x-pod': id }).end(id), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    endpoint: { id, host: '127.0.0.1', port: address.port },
    cookies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An endpoint whose port has nothing listening: connections are refused. */
export async function refusingEndpoint(id: string): Promise<RouterEndpoint> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise((resolve) => server.close(resolve));
  return { id, host: '127.0.0.1', port: address.port };
}

export interface Answer {
  readonly status: number;
  readonly pod: string | undefined;
  readonly setCookie: readonly string[];
}

/** One request on a new connection (no keep-alive), bounded. */
export function get(port: number, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers, agent: false, timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        const pod = res.headers['x-pod'];
        resolve({
          status: res.statusCode ?? 0,
          pod: typeof pod === 'string' ? pod : undefined,
          setCookie: res.headers['set-cookie'] ?? [],
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

export { sleep } from './wait.js';
