/**
 * A platform profile: what sits in front of the pods, and the timings that follow from it. Every number
 * carries where it comes from (`Source`); the preStop and grace formulas (`timings.ts`) and the local
 * cluster's emulation read only these fields.
 */

/** Where a number or a behaviour comes from: a docs page, a code path, an issue, or zdd's own estimate. */
export interface Source {
  /** `owner/repo#123`, `owner/repo path/to/file.go`, a docs page's address, or `zdd estimate`. */
  readonly ref: string;
  /** What the source says, in a line. */
  readonly says: string;
}

/** Seconds from an endpoint change (a pod turns unready or starts terminating) to the proxy acting on it. */
export interface PropagationSeconds {
  readonly min: number;
  readonly typical: number;
  /** The figure the preStop formula covers, and the delay the local cluster emulates. */
  readonly worst: number;
}

/**
 * Which endpoints of a terminating pod still get new requests.
 * - `never`: EndpointSlice `ready` endpoints only (`ready` is false for a terminating pod).
 * - `when-no-ready`: serving-but-terminating endpoints only while no endpoint is ready (KEP-1669).
 * - `until-deregistered`: a cloud load balancer's target, until its deregistration has taken effect.
 */
export type TerminatingTraffic = 'never' | 'when-no-ready' | 'until-deregistered';

/**
 * How the local cluster reproduces the platform's propagation (the real platforms are not on this machine).
 * - `reload-interval`: endpoint changes are applied by reloading the proxy, at most once per interval
 *   (OpenShift's router; the interval is `--reload-interval`).
 * - `delayed-push`: each endpoint change reaches the proxy `removeSeconds`/`addSeconds` after it happens,
 *   without a reload (ingress-nginx's Lua balancer, Envoy's xDS, kube-proxy's rule sync).
 * - `deregistration`: a load balancer outside the cluster keeps sending new requests to a removed target for
 *   `removeSeconds`, and starts sending to a new one `addSeconds` after it became ready.
 */
export type EmulationKind = 'reload-interval' | 'delayed-push' | 'deregistration';

export interface Emulation {
  readonly kind: EmulationKind;
  /** Seconds before a removed endpoint stops getting new requests (unused by `reload-interval`). */
  readonly removeSeconds: number;
  /** Seconds before a new ready endpoint gets requests (unused by `reload-interval`). */
  readonly addSeconds: number;
  /**
   * What the proxy does with a request whose connection the endpoint refuses (a pod that has stopped listening
   * but is still routed to): `retry` it on another endpoint (HAProxy's `retries` with `option redispatch`,
   * nginx's `proxy_next_upstream error`), or answer it with an `error` (a load balancer's 502, Envoy's 503
   * without a retry policy; behind kube-proxy the client's own connection is refused).
   */
  readonly refusedConnection: RefusedConnection;
}

export type RefusedConnection = 'retry' | 'error';

/**
 * A sidecar proxy in the pod that receives the traffic first and shuts down on SIGTERM on its own clock,
 * not after the app's preStop hook (Istio's `istio-proxy`).
 */
export interface SidecarProxy {
  /** Seconds the sidecar keeps accepting after SIGTERM unless the pod says otherwise (`terminationDrainDuration`). */
  readonly defaultDrainSeconds: number;
  /** The pod annotation that sets the drain, and how its value is written. */
  readonly drainAnnotation: string;
  /** The annotation's value for a drain of `seconds`. */
  readonly drainAnnotationValue: (seconds: number) => string;
}

export interface PlatformProfile {
  /** The name `--platform` takes. */
  readonly name: string;
  /** What it is, in a few words. */
  readonly title: string;
  /** How an endpoint change reaches the proxy. */
  readonly propagation: { readonly how: string; readonly seconds: PropagationSeconds };
  /** Whether a terminating pod still gets new requests, and why. */
  readonly terminating: { readonly traffic: TerminatingTraffic; readonly how: string };
  /** What happens to connections already open to a removed pod. */
  readonly draining: string;
  /**
   * Seconds the synthesized preStop adds on top of the worst propagation: slack for a busy control plane,
   * zdd's own allowance (not a platform number).
   */
  readonly marginSeconds: number;
  readonly emulation: Emulation;
  /** @default - none: the app container receives the traffic itself */
  readonly sidecar?: SidecarProxy;
  /** What the profile takes for granted about the platform's configuration, in lines. */
  readonly assumes: readonly string[];
  readonly sources: readonly Source[];
}
