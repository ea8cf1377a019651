/**
 * The shape of one variant's settings, as a preset, a config file and the flags give them (before
 * defaults): what the spec hands to the manifests' constructs.
 */
import type { PlatformName } from '../platforms/names.js';
import type { ExposeKind, PreStopAction, WorkloadKind } from './choices.js';

/** One variant of the app: its workload, Service, and Route, Ingress or HTTPRoute. */
export interface AppChartProps {
  /** Name of every object of this variant; a DNS-1035 label. */
  readonly name: string;
  /** Container image of the app. */
  readonly image: string;
  /**
   * Port the app listens on; the container exposes it as `http`.
   * @default 8080
   */
  readonly port?: number;
  /** @default 1 */
  readonly replicas?: number;
  /**
   * Environment variables of the app container, in this order.
   * @default {}
   */
  readonly env?: Record<string, string>;
  /** @default DEFAULT_RESOURCES */
  readonly resources?: ResourcesProps;
  /**
   * `deploymentconfig` (apps.openshift.io/v1, as in the seed) or `deployment` (apps/v1).
   * @default 'deploymentconfig'
   */
  readonly workload?: WorkloadKind;
  /**
   * `route` (OpenShift), `ingress` (networking.k8s.io/v1), `gateway` (an HTTPRoute,
   * gateway.networking.k8s.io/v1) or `none`.
   * @default 'route'
   */
  readonly expose?: ExposeKind;
  /**
   * Base domain for the host: `<name>.<domain>`. Required with an Ingress or an
   * HTTPRoute, where each variant needs its own host.
   * @default - Route: OpenShift generates the host
   */
  readonly domain?: string;
  /**
   * The Gateway the HTTPRoute attaches to; required with `expose: gateway`.
   * @default - none
   */
  readonly gateway?: GatewayRefProps;
  /**
   * IngressClass of the Ingress.
   * @default - the cluster's default class
   */
  readonly ingressClassName?: string;
  /**
   * What sends the pods their requests (`zdd platforms`): the zero-downtime settings' defaults (preStop sleep,
   * grace period, an Istio sidecar's drain) cover its worst endpoint propagation.
   * @default 'openshift-router'
   */
  readonly platform?: PlatformName;
  /**
   * The Kubernetes version the manifests are for, `MAJOR.MINOR` (a patch and a leading `v` are allowed): from
   * 1.30 the preStop hook defaults to the native sleep action.
   * @default - unknown: the exec action, which every version runs
   */
  readonly kubernetesVersion?: string;
  /**
   * The zero-downtime settings. Without them the variant is `default`: the
   * platform's defaults, what a team gets without thinking about rollouts.
   * @default - none
   */
  readonly zeroDowntime?: ZeroDowntimeProps;
}

/** A Gateway (gateway.networking.k8s.io/v1), as an HTTPRoute's `parentRefs` name it. */
export interface GatewayRefProps {
  /** The Gateway's name. */
  readonly name: string;
  /**
   * The Gateway's namespace.
   * @default - the HTTPRoute's own namespace
   */
  readonly namespace?: string;
}

/**
 * The settings that make a rollout drop no requests. The `default` variant has
 * none of them; the `zero-downtime` variant has all of them unless one is
 * switched off with `false` (to show what that one setting is worth).
 */
export interface ZeroDowntimeProps {
  /**
   * Gates traffic to new pods until the app serves. `false` leaves it out.
   * @default - an HTTP probe with the defaults of `ReadinessProbeProps`
   */
  readonly readinessProbe?: ReadinessProbeProps | false;
  /**
   * Keeps old pods serving until the router has dropped them. `false` leaves it out.
   * @default - an exec hook with the defaults of `PreStopProps`
   */
  readonly preStop?: PreStopProps | false;
  /**
   * Seconds from deletion to SIGKILL; the count includes the preStop hook.
   * @default - the preStop sleep + APP_SHUTDOWN_BUDGET_SECONDS (30 s: HAProxy's `timeout server`, the longest an in-flight request may run)
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Rolling-update parameters that never take a ready pod away before its successor is ready.
   * @default - maxSurge 1, maxUnavailable 0
   */
  readonly rolling?: RollingProps;
  /**
   * Adds a PodDisruptionBudget (maxUnavailable 1) when replicas ≥ 2, so that node
   * drains also keep the app serving.
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
}

/** @see https://docs.openshift.com/container-platform/4.14/applications/deployments/deployment-strategies.html */
export interface RollingProps {
  /**
   * Pods created above `replicas` during a rollout: a count or a percentage (rounded up).
   * @default 1
   */
  readonly maxSurge?: number | string;
  /**
   * Pods below `replicas` allowed during a rollout: a count or a percentage
   * (rounded down). Must come to 0 here.
   * @default 0
   */
  readonly maxUnavailable?: number | string;
}

/**
 * Keeps a terminating pod serving until the router has dropped it. Deleting a pod
 * removes it from the endpoints and starts its termination at the same time; the
 * router applies endpoint changes at most once per reload interval (5 s on
 * OpenShift), so without a pause the app stops listening while still routed to.
 *
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export interface PreStopProps {
  /**
   * How the hook waits. `exec` runs `/bin/sh -c "sleep N; <shutdownCommand>"` in
   * the container (the image needs a shell). `sleep` uses the kubelet's native
   * sleep action (Kubernetes ≥ 1.30, OpenShift ≥ 4.17), which needs no shell
   * but cannot run a command: the app must then shut down gracefully on SIGTERM.
   * @default - `sleep` when `kubernetesVersion` is 1.30 or later and there is no shutdown command, else `exec`
   */
  readonly action?: PreStopAction;
  /**
   * Seconds the terminating pod keeps serving. Make it longer than the time an
   * endpoint change takes to reach what sends the requests (the platform's worst propagation).
   * @default - the platform's worst propagation plus its margin, rounded up (`platformTimings`; 10 on openshift-router)
   */
  readonly sleepSeconds?: number;
  /**
   * Shell command run after the sleep to stop the app gracefully (exec only);
   * empty for none.
   * @default - none: the kubelet's SIGTERM follows the sleep
   */
  readonly shutdownCommand?: string;
}

/**
 * When the router may send traffic to a new pod. Without a readinessProbe a pod
 * counts as ready as soon as its process runs, while the app is still booting.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 */
export interface ReadinessProbeProps {
  /**
   * Path the probe GETs; it must answer 2xx/3xx only once the app serves requests.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Container port the probe connects to: a number, or the port name `http`.
   * @default - the app's port
   */
  readonly port?: number | string;
  /** @default 'HTTP' */
  readonly scheme?: 'HTTP' | 'HTTPS';
  /**
   * Seconds after the container starts before the first probe.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds after which one probe counts as failed.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Seconds between probes; a new pod joins the endpoints at most this long after it can serve.
   * @default 2
   */
  readonly periodSeconds?: number;
  /**
   * Consecutive successes before the pod is ready.
   * @default 1
   */
  readonly successThreshold?: number;
  /**
   * Consecutive failures before the pod is taken out of the endpoints.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** Compute resources of the app container; each amount defaults on its own, and no request may exceed its limit. */
export interface ResourcesProps {
  /**
   * What the scheduler reserves for the container.
   * @default { cpu: '100m', memory: '128Mi' } (key by key)
   */
  readonly requests?: ResourceAmounts;
  /**
   * The most the container may use.
   * @default { cpu: '500m', memory: '256Mi' } (key by key)
   */
  readonly limits?: ResourceAmounts;
}

export interface ResourceAmounts {
  /**
   * A Kubernetes CPU quantity such as "250m" or "1".
   * @default - none
   */
  readonly cpu?: string;
  /**
   * A Kubernetes memory quantity such as "128Mi" or "1Gi".
   * @default - none
   */
  readonly memory?: string;
}
