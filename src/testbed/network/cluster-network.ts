import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { SetupError } from '../../runtime/errors.js';
import { packageRoot } from '../../runtime/package-info.js';
import type { ProcessSupervisor } from '../../runtime/processes.js';
import type { Forward } from './forwards.js';

/** The Services' addresses: the API server's `--service-cluster-ip-range` (components.ts) is this range. */
export const SERVICE_NETWORK = '10.0.0.0/24';

/**
 * The cluster network's own address, on its loopback: every pod's default gateway (as Calico's 169.254.1.1),
 * and the source of the connections the cluster network makes to pods.
 */
const GATEWAY = '169.254.1.1';

export interface ClusterNetworkOptions {
  readonly supervisor: ProcessSupervisor;
  /** A folder of the test bed's: the forwarder's log and the unix sockets that lead out. */
  readonly dir: string;
}

/**
 * A network of the test bed's own, in a network namespace it creates (`unshare --net`, root): pods on it get an
 * address from the pod network on a veth pair of their own, as a CNI plugin gives them, and connect to each
 * other and to Service ClusterIPs through it; components that must reach pods (the k6-operator) run inside it.
 * Nothing in it is reachable from the machine's network, and it reaches out only through the unix sockets
 * `exposeOutside` makes (the API server, the router). It ends with its forwarder process: stopping the test
 * bed, or its watchdog after `kill -9`, removes the namespace and every veth pair with it.
 */
export class ClusterNetwork {
  private readonly staticForwards: Forward[] = [];
  private serviceForwards: readonly Forward[] = [];
  private readonly bridges: Server[] = [];
  private sent = 0;
  private acknowledged = 0;
  private readonly waiting = new Map<number, () => void>();
  private links = 0;
  private readonly started: Promise<void>;
  private exited = false;

  /** Starts the namespace and its forwarder; a SetupError says why when the machine cannot. */
  static async start(options: ClusterNetworkOptions): Promise<ClusterNetwork> {
    const log = join(options.dir, 'logs', 'cluster-network.log');
    const fd = openSync(log, 'a');
    let child: ChildProcess;
    try {
      // The built program, also when this module runs from src/ (the tests): `npm run build` made it.
      const forwarder = join(packageRoot(), 'lib', 'src', 'testbed', 'network', 'forwarder.js');
      child = options.supervisor.spawn('unshare', ['--net', '--', process.execPath, forwarder], {
        stdio: ['pipe', 'pipe', fd],
      });
    } finally {
      closeSync(fd);
    }
    const network = new ClusterNetwork(options, child);
    try {
      await network.configure();
    } catch (error) {
      child.stdin?.end();
      options.supervisor.killGroup(child.pid ?? 0);
      throw new SetupError(
        `the test bed's cluster network could not be made (it needs root, unshare and ip from iproute2): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return network;
  }

  private constructor(
    private readonly options: ClusterNetworkOptions,
    private readonly forwarder: ChildProcess,
  ) {
    let markStarted: () => void = () => {};
    this.started = new Promise((resolve) => {
      markStarted = resolve;
    });
    this.waiting.set(0, () => markStarted());
    forwarder.once('exit', () => {
      this.exited = true;
      this.release();
    });
    if (forwarder.stdout) {
      createInterface({ input: forwarder.stdout }).on('line', (line) => {
        const applied = Number(/^ok (\d+)$/.exec(line)?.[1] ?? Number.NaN);
        if (!Number.isInteger(applied)) return;
        this.acknowledged = applied;
        for (const [sequence, resolve] of this.waiting) {
          if (sequence <= applied) {
            this.waiting.delete(sequence);
            resolve();
          }
        }
      });
    }
  }

  /** The forwarder's process id: the namespace lives as long as it does. */
  get pid(): number | undefined {
    return this.forwarder.pid;
  }

  /** The namespace's path, for `nsenter --net=`. */
  get namespacePath(): string {
    return `/proc/${this.forwarder.pid}/ns/net`;
  }

  /** `command args…` as a process inside the network: what to spawn instead. */
  inside(command: string, args: readonly string[]): { command: string; args: string[] } {
    return { command: 'nsenter', args: [`--net=${this.namespacePath}`, '--', command, ...args] };
  }

  /**
   * Gives the network namespace of process `pid` (a pod's sandbox) address `ip` on a veth pair whose other end
   * is in the cluster network, with the cluster network as its default route.
   */
  async attach(pid: number, ip: string): Promise<void> {
    this.links += 1;
    const link = `zdd${this.links}`;
    await ipBatch(this.namespacePath, [
      `link add ${link} type veth peer name eth0 netns ${pid}`,
      `link set ${link} up`,
      `route add ${ip}/32 dev ${link} src ${GATEWAY}`,
    ]);
    await ipBatch(`/proc/${pid}/ns/net`, [
      'link set lo up',
      `addr add ${ip}/32 dev eth0`,
      'link set eth0 up',
      `route add ${GATEWAY} dev eth0 scope link`,
      `route add default via ${GATEWAY} dev eth0 src ${ip}`,
    ]);
  }

  /**
   * Makes `outside` (an address of this machine's loopback: the API server, the router) reachable inside the
   * network at `inside`, through a unix socket in the test bed's folder.
   */
  async exposeOutside(inside: { host: string; port: number }, outside: { host: string; port: number }): Promise<void> {
    const path = join(this.options.dir, `bridge-${this.bridges.length + 1}.sock`);
    const server = createServer((client) => {
      const upstream = connect(outside.port, outside.host);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      for (const socket of [client, upstream]) {
        socket.on('error', close);
        socket.on('close', close);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    this.bridges.push(server);
    this.staticForwards.push({ ...inside, to: [{ path }] });
    await this.send();
  }

  /** Replaces the Services' listeners (serviceForwards); resolves once they are in force. */
  setServices(forwards: readonly Forward[]): Promise<void> {
    this.serviceForwards = forwards;
    return this.send();
  }

  /** Ends the forwarder (and with it the namespace) and closes the bridges. */
  stop(): void {
    this.forwarder.stdin?.end();
    if (this.forwarder.pid !== undefined) this.options.supervisor.killGroup(this.forwarder.pid);
    for (const server of this.bridges) server.close();
    this.release();
  }

  private release(): void {
    for (const resolve of this.waiting.values()) resolve();
    this.waiting.clear();
  }

  private async configure(): Promise<void> {
    await this.started;
    // Configuring before unshare has made the namespace would change this machine's own network.
    const [own, theirs] = await Promise.all([readlink('/proc/self/ns/net'), readlink(this.namespacePath)]);
    if (this.exited || own === theirs) throw new Error('the forwarder did not start in a network namespace of its own');
    await ipBatch(this.namespacePath, [
      'link set lo up',
      `addr add ${GATEWAY}/32 dev lo`,
      // Every Service address is local here, so the forwarder can listen on any of them.
      `route add local ${SERVICE_NETWORK} dev lo`,
    ]);
    // Pods reach each other through the cluster network.
    await execa('nsenter', [`--net=${this.namespacePath}`, '--', 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    await this.send();
  }

  private send(): Promise<void> {
    const stdin = this.forwarder.stdin;
    if (!stdin?.writable) return Promise.resolve();
    this.sent += 1;
    const sequence = this.sent;
    const applied = new Promise<void>((resolve) => {
      if (this.acknowledged >= sequence) resolve();
      else this.waiting.set(sequence, resolve);
    });
    // A Service address that leads out (the router's) keeps its bridge: its Service has no endpoints here.
    const key = (forward: Forward) => `${forward.host}:${forward.port}`;
    const outside = new Set(this.staticForwards.map(key));
    const services = this.serviceForwards.filter((forward) => !outside.has(key(forward)));
    stdin.write(`${JSON.stringify([...this.staticForwards, ...services])}\n`);
    return applied;
  }
}

/** Runs `ip` commands in the network namespace at `namespacePath`. */
async function ipBatch(namespacePath: string, commands: readonly string[]): Promise<void> {
  await execa('nsenter', [`--net=${namespacePath}`, '--', 'ip', '-batch', '-'], {
    input: `${commands.join('\n')}\n`,
  });
}
