/**
 * Pod addresses for the test bed. The API server refuses loopback addresses
 * in EndpointSlices ("may not be in the loopback range"), so each pod gets an
 * address from the pod network kind and kubeadm clusters use, 10.244.0.0/16.
 * Nothing ever connects to one: the test bed's router maps each address to
 * the pod's loopback port (`PodAddressBook`).
 */
export const POD_NETWORK = '10.244.0.0/16';

const FIRST = ipv4Number('10.244.0.2'); // .0.0 is the network, .0.1 its gateway by convention
const LAST = ipv4Number('10.244.255.254'); // .255.255 is the broadcast address

/** Hands out pod addresses and takes them back; an address is not reused while another is free. */
export class PodIpPool {
  private readonly used = new Set<number>();
  private next = FIRST;

  /** A free address; throws when all 65 533 are taken. */
  allocate(): string {
    for (let tried = 0; tried <= LAST - FIRST; tried++) {
      const candidate = this.next;
      this.next = candidate === LAST ? FIRST : candidate + 1;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return ipv4Text(candidate);
      }
    }
    throw new Error(`the pod network ${POD_NETWORK} has no free address left`);
  }

  release(ip: string): void {
    this.used.delete(ipv4Number(ip));
  }

  get size(): number {
    return this.used.size;
  }
}

/** What the router asks of the node: the loopback port behind a pod address and container port. */
export interface PodAddressResolver {
  /** The loopback port of `containerPort` in the pod at `ip`, or undefined (not ours, or the port is not served). */
  resolve(ip: string, containerPort: number): number | undefined;
  /** Calls `listener` when a pod's loopback port changes (a container restart takes a fresh port). */
  onChange(listener: () => void): () => void;
}

/** A pod as the address book sees it: its loopback port for a container port. */
export interface AddressedPod {
  hostPort(containerPort: number): number | undefined;
}

/** Pod address → the pod running on this node. */
export class PodAddressBook implements PodAddressResolver {
  private readonly pods = new Map<string, AddressedPod>();
  private readonly listeners = new Set<() => void>();

  set(ip: string, pod: AddressedPod): void {
    this.pods.set(ip, pod);
    this.changed();
  }

  delete(ip: string): void {
    if (this.pods.delete(ip)) this.changed();
  }

  resolve(ip: string, containerPort: number): number | undefined {
    const port = this.pods.get(ip)?.hostPort(containerPort);
    return port === undefined || port === 0 ? undefined : port;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells listeners that a port behind an address moved. */
  changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function ipv4Number(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    throw new Error(`not an IPv4 address: ${JSON.stringify(ip)}`);
  }
  return parts.reduce((value, part) => value * 256 + part, 0);
}

function ipv4Text(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
