import { connect } from 'node:net';

/** True when a TCP connection to host:port opens within `timeoutMs` (a probe or a health check). */
export function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    function finish(ok: boolean) {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    }
  });
}
