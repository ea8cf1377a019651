import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SidecarRelay, sidecarDrainSeconds } from '../../../src/cluster/local/sidecar.js';
import { istioSidecar } from '../../../src/platforms/istio-sidecar.js';

const sidecar = istioSidecar.sidecar ?? { defaultDrainSeconds: 5, drainAnnotation: 'x', drainAnnotationValue: String };

describe('sidecarDrainSeconds', () => {
  it("reads Istio's terminationDrainDuration from proxy.istio.io/config, else the default 5 s", () => {
    expect(sidecarDrainSeconds(sidecar, undefined)).toBe(5);
    expect(sidecarDrainSeconds(sidecar, { other: 'terminationDrainDuration: 9s' })).toBe(5);
    expect(sidecarDrainSeconds(sidecar, { 'proxy.istio.io/config': 'terminationDrainDuration: 13s' })).toBe(13);
    expect(sidecarDrainSeconds(sidecar, { 'proxy.istio.io/config': sidecar.drainAnnotationValue(20) })).toBe(20);
    expect(sidecarDrainSeconds(sidecar, { 'proxy.istio.io/config': '{ terminationDrainDuration: "1m30s" }' })).toBe(90);
    expect(sidecarDrainSeconds(sidecar, { 'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true' })).toBe(5);
  });
});

describe('SidecarRelay', () => {
  it('relays to the app, then refuses new connections once stopped', async () => {
    const app = createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const address = app.address();
    const appPort = typeof address === 'object' && address ? address.port : 0;
    const relay = new SidecarRelay(() => appPort);
    const port = await relay.start();
    const read = () =>
      new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect(port, '127.0.0.1');
        socket.on('data', (chunk) => (text += String(chunk)));
        socket.on('end', () => resolve(text));
        socket.on('error', (error: NodeJS.ErrnoException) => reject(error));
      });
    expect(await read()).toBe('hello');
    relay.stop();
    await expect(read()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await new Promise((resolve) => app.close(resolve));
  });
});
