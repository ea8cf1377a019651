import { mkdirSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isRunning } from '../../../src/runtime/is-running.js';
import { ProcessSupervisor } from '../../../src/runtime/processes.js';
import { ClusterNetwork } from '../../../src/testbed/network/cluster-network.js';
import { eventually } from '../../helpers/wait.js';

/**
 * The test bed's cluster network on its own: a pod sandbox with its address, a Service address leading to it,
 * and a way out to this machine's loopback. Every request here is made inside the namespaces the test creates.
 */
const canUnshare = (await execa('unshare', ['--net', 'true'], { reject: false })).exitCode === 0;
const POD_SERVER = "require('node:http').createServer((q, r) => r.end('pod')).listen(6565, '0.0.0.0')";

describe.skipIf(!canUnshare)(
  `the cluster network${canUnshare ? '' : ' — skipped: unshare --net is not allowed here (it needs root)'}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'zdd-test-network-'));
    const supervisor = new ProcessSupervisor();
    let network: ClusterNetwork;

    beforeAll(async () => {
      mkdirSync(join(dir, 'logs'));
      network = await ClusterNetwork.start({ supervisor, dir });
    });

    afterAll(() => {
      network?.stop();
      supervisor.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** curl inside the cluster network, or inside a pod's sandbox. */
    async function curl(url: string, sandbox?: number): Promise<string> {
      const args = ['-s', '-m', '5', url];
      const run = sandbox === undefined ? network.inside('curl', args) : sandboxed(sandbox, 'curl', args);
      return (await execa(run.command, run.args, { reject: false })).stdout;
    }

    test("a pod's sandbox gets its address; its Service's ClusterIP leads to it, from the network and from pods", async () => {
      expect(readlinkSync(network.namespacePath)).not.toBe(readlinkSync('/proc/self/ns/net'));
      const sandbox = supervisor.spawn('unshare', ['--net', '--', 'sleep', 'infinity']);
      await eventually(
        'the sandbox namespace',
        async () =>
          readlinkSync(`/proc/${sandbox.pid}/ns/net`) !== readlinkSync('/proc/self/ns/net') ? true : undefined,
        5_000,
      );
      await network.attach(sandbox.pid ?? 0, '10.244.0.9');
      const server = sandboxed(sandbox.pid ?? 0, process.execPath, ['-e', POD_SERVER]);
      supervisor.spawn(server.command, server.args);
      await eventually(
        'the pod to serve',
        async () => ((await curl('http://10.244.0.9:6565/')) === 'pod' ? true : undefined),
        15_000,
      );

      await network.setServices([{ host: '10.0.0.12', port: 6565, to: [{ host: '10.244.0.9', port: 6565 }] }]);
      expect(await curl('http://10.0.0.12:6565/')).toBe('pod');
      expect(await curl('http://10.0.0.12:6565/', sandbox.pid)).toBe('pod');

      // No endpoints: refused, as kube-proxy rejects; a Service removed: nothing listens.
      await network.setServices([{ host: '10.0.0.12', port: 6565, to: [] }]);
      expect(await curl('http://10.0.0.12:6565/')).toBe('');
      await network.setServices([]);
      expect(await curl('http://10.0.0.12:6565/')).toBe('');
    });

    test("exposeOutside: a server on this machine's loopback, reached from the network at another address", async () => {
      const outside = createServer((_, response) => response.end('outside'));
      await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve));
      try {
        const port = (outside.address() as AddressInfo).port;
        await network.exposeOutside({ host: '10.0.0.200', port: 80 }, { host: '127.0.0.1', port });
        expect(await curl('http://10.0.0.200/')).toBe('outside');
      } finally {
        outside.close();
      }
    });

    test('stop() ends the forwarder, and with it the namespace', async () => {
      const pid = Number(network.namespacePath.split('/')[2]);
      network.stop();
      await eventually('the forwarder to exit', async () => (isRunning(pid) ? undefined : true), 5_000);
    });
  },
);

function sandboxed(pid: number, command: string, args: readonly string[]): { command: string; args: string[] } {
  return { command: 'nsenter', args: [`--net=/proc/${pid}/ns/net`, '--', command, ...args] };
}
