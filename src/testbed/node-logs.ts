import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { delay } from '../runtime/timing.js';

/** What the log server asks of the node agent about a pod. */
export interface PodLogs {
  /** The file its container writes to, or undefined for a pod this node has not run. */
  file(namespace: string, pod: string): string | undefined;
  /** Whether its container still runs (and may write more). */
  running(namespace: string, pod: string): boolean;
}

export interface NodeLogServerOptions {
  /** A serving certificate and key (the API server does not check a kubelet's certificate unless told to). */
  readonly cert: string;
  readonly key: string;
  readonly logs: PodLogs;
}

/** How often a followed log is read for more. */
const FOLLOW_MS = 100;

/**
 * The part of a kubelet's API that `kubectl logs` reaches through the API server:
 * `GET /containerLogs/NAMESPACE/POD/CONTAINER`, with `follow` (the stream ends when the container does) and
 * `tailLines`. The node lists its address and this port, so the API server proxies pod logs here; the pods'
 * output is in files of the node agent's (one container per pod, so the container name is not needed).
 */
export class NodeLogServer {
  private constructor(
    private readonly server: Server,
    private readonly abort: AbortController,
  ) {}

  static async start(options: NodeLogServerOptions): Promise<NodeLogServer> {
    const abort = new AbortController();
    const server = createServer({ cert: options.cert, key: options.key }, (request, response) => {
      const url = new URL(request.url ?? '/', 'https://node');
      const [, kind, namespace = '', pod = ''] = url.pathname.split('/').map(decodeURIComponent);
      const file = kind === 'containerLogs' && request.method === 'GET' ? options.logs.file(namespace, pod) : undefined;
      if (file === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end(`no pod ${namespace}/${pod} on this node\n`);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' });
      const tailLines = url.searchParams.get('tailLines');
      const follow = url.searchParams.get('follow') === 'true';
      const closed = new AbortController();
      response.on('close', () => closed.abort());
      const signal = AbortSignal.any([abort.signal, closed.signal]);
      void stream(file, { tailLines: tailLines === null ? undefined : Number(tailLines), follow, signal }, (text) =>
        response.write(text),
      )
        .catch(() => {})
        .finally(() => response.end());
      // A follower stops when the container has ended and every line it wrote is sent.
      if (follow) void untilEnded(options.logs, namespace, pod, signal).then(() => closed.abort());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new NodeLogServer(server, abort);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Sends the file (its last `tailLines` lines), then, when following, what is appended until `signal`. */
async function stream(
  file: string,
  options: { tailLines: number | undefined; follow: boolean; signal: AbortSignal },
  write: (text: Buffer) => void,
): Promise<void> {
  let offset = 0;
  if (options.tailLines !== undefined && Number.isInteger(options.tailLines) && options.tailLines >= 0) {
    offset = tailOffset(file, options.tailLines);
  }
  for (;;) {
    const ended = options.signal.aborted;
    offset += sendFrom(file, offset, write, !options.follow || ended);
    // After the end is known, one last read above has sent what was written before it.
    if (!options.follow || ended) return;
    await delay(FOLLOW_MS);
  }
}

/** Sends what the file holds past `offset`: whole lines only, unless it is the `last` read. */
function sendFrom(file: string, offset: number, write: (text: Buffer) => void, last: boolean): number {
  const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size <= offset) return 0;
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  try {
    const read = readSync(fd, buffer, 0, buffer.length, offset);
    // Only whole lines: the rest comes with the next read.
    const end = last ? read : buffer.subarray(0, read).lastIndexOf(10) + 1;
    if (end > 0) write(buffer.subarray(0, end));
    return end;
  } finally {
    closeSync(fd);
  }
}

/** The offset where the last `lines` lines of the file start. */
function tailOffset(file: string, lines: number): number {
  const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size === 0) return 0;
  const buffer = Buffer.alloc(size);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  let at = buffer[size - 1] === 10 ? size - 1 : size;
  for (let found = 0; found < lines; found++) {
    const previous = buffer.lastIndexOf(10, at - 1);
    if (previous < 0) return 0;
    at = previous;
  }
  return lines === 0 ? size : at + 1;
}

async function untilEnded(logs: PodLogs, namespace: string, pod: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && logs.running(namespace, pod)) await delay(FOLLOW_MS);
}
