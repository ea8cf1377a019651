import { connect, createServer, type Server, type Socket } from 'node:net';
import type { SidecarProxy } from '../../platforms/profile.js';

/**
 * The drain a pod's sidecar gets, nominal seconds: the duration its annotation writes (Istio's
 * `proxy.istio.io/config: "terminationDrainDuration: 30s"`), else the platform's default.
 */
export function sidecarDrainSeconds(
  sidecar: SidecarProxy,
  annotations: Readonly<Record<string, string>> | undefined,
): number {
  const config = annotations?.[sidecar.drainAnnotation];
  if (config === undefined) return sidecar.defaultDrainSeconds;
  // The annotation holds ProxyConfig as YAML; of it only this key matters here. Go durations: 30s, 1m30s, 500ms.
  const match = /(?:^|[\s{,])terminationDrainDuration:\s*["']?((?:\d+(?:\.\d+)?(?:ms|s|m|h))+)["']?/.exec(config);
  const seconds = match?.[1] === undefined ? undefined : goDurationSeconds(match[1]);
  return seconds ?? sidecar.defaultDrainSeconds;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600 };

function goDurationSeconds(text: string): number | undefined {
  let seconds = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const factor = unit === undefined ? undefined : UNIT_SECONDS[unit];
    if (value === undefined || factor === undefined) return undefined;
    seconds += Number(value) * factor;
  }
  return seconds;
}

/**
 * A pod's sidecar proxy (Istio's istio-proxy) as a TCP relay on its own loopback port: the pod's traffic
 * arrives here and goes on to the app's port. `stop()` is the sidecar exiting: the listener closes (new
 * connections are refused) and every open connection is cut, whatever the app is still doing.
 */
export class SidecarRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private listening = 0;

  /** `appPort` is read for each connection: a restarted container listens on a fresh port. */
  constructor(private readonly appPort: () => number) {}

  /** Starts listening on 127.0.0.1; resolves with the port. */
  async start(): Promise<number> {
    const server = createServer((client) => this.relay(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.listening = typeof address === 'object' && address ? address.port : 0;
    return this.listening;
  }

  get port(): number {
    return this.listening;
  }

  get stopped(): boolean {
    return this.server === undefined;
  }

  stop(): void {
    const server = this.server;
    this.server = undefined;
    server?.close();
    for (const socket of this.sockets) cut(socket);
    this.sockets.clear();
  }

  private relay(client: Socket): void {
    if (this.server === undefined) {
      cut(client);
      return;
    }
    const app = connect(this.appPort(), '127.0.0.1');
    for (const socket of [client, app]) {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    }
    // Either side failing ends both: what a client sees when the app refuses or breaks off.
    client.on('error', () => cut(app));
    app.on('error', () => cut(client));
    client.pipe(app);
    app.pipe(client);
  }
}

/**
 * Ends a connection, as a process that exits with it open does. A close rather than a reset: to a client in
 * the middle of a request both are a broken connection, and Node 20 keeps a socket ended with
 * `resetAndDestroy()` open for good, spinning.
 */
function cut(socket: Socket): void {
  socket.destroy();
}
