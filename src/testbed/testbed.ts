import { readFileSync } from 'node:fs';
import type { ImageMapping } from '../cluster/local/images.js';
import type { ReloadDiscipline } from '../cluster/router/reloading-router.js';
import { KubeClient } from '../kube/api-client.js';
import { InterruptedError } from '../runtime/errors.js';
import { EventLog } from '../runtime/events.js';
import { type ApiService, inNamespace, RESOURCES } from './api-objects.js';
import { k6OperatorImages } from './command-images.js';
import { type ControlPlane, startControlPlane } from './control-plane.js';
import { DeploymentConfigController } from './dc-controller.js';
import type { ClusterNetwork } from './network/cluster-network.js';
import { ServiceProxy } from './network/service-proxy.js';
import { NodeAgent } from './node-agent.js';
import { ROUTER_DOMAIN } from './route-table.js';
import { TestbedRouter } from './testbed-router.js';

export interface TestbedOptions {
  /** Where etcd, kube-apiserver and kube-controller-manager are. @default testbed/bin (testbed/build.sh) */
  readonly binDir?: string;
  /** Images → local commands for the node agent, tried before the built-in ones (the sample app's). @default [] */
  readonly imageMappings?: readonly ImageMapping[];
  /** The router's reload interval (OpenShift's RELOAD_INTERVAL). @default 5 */
  readonly reloadIntervalSeconds?: number;
  /** @default 'periodic' */
  readonly reloads?: ReloadDiscipline;
  /** Aligns the router's periodic reloads at each rollout as `zdd compare --seed` does (see TestbedRouterOptions). @default - no alignment */
  readonly seed?: number;
  /**
   * Runs the k6-operator, its CRDs installed (ControlPlaneOptions.k6Operator), on a cluster network of the test
   * bed's own (network/cluster-network.ts): its runner and starter pods run there. @default false
   */
  readonly k6Operator?: boolean;
  /** The k6 the operator's runner pods (`grafana/k6:*`) run. @default `k6` from PATH */
  readonly k6?: string;
  /** Aborting it stops the start-up; whatever started is stopped. */
  readonly signal?: AbortSignal;
  /**
   * Told when a component's call to the API fails (it goes on), and when a
   * control plane process exits. @default ignore
   */
  readonly onError?: (component: string, error: unknown) => void;
}

/**
 * A real Kubernetes control plane with zdd's node agent, DeploymentConfig
 * controller and router: `kubectl apply -f dist/` runs the app as local
 * processes, and `zdd compare --target cluster --kubeconfig KUBECONFIG
 * --router-address ROUTER_ADDRESS` measures it. Every duration is the
 * cluster's own (no time scale).
 */
export interface Testbed {
  /** `https://127.0.0.1:PORT`. */
  readonly server: string;
  /** An admin (system:masters) kubeconfig. */
  readonly kubeconfig: string;
  /** A user who may only get, list and watch in namespace `restricted`. */
  readonly restrictedKubeconfig: string;
  /** The router's listener, `127.0.0.1:PORT`: send requests there with a route's host in the Host header. */
  readonly routerAddress: string;
  /** The domain of the hosts Routes without `spec.host` get (`NAME-NAMESPACE.apps.testbed.zdd`). */
  readonly routerDomain: string;
  /** The Gateway API version whose CRDs are installed (the router then serves HTTPRoutes). @default - none: not installed */
  readonly gatewayApiVersion?: string;
  /** The k6-operator version running. @default - none: not asked for */
  readonly k6OperatorVersion?: string;
  /**
   * The router inside the cluster network, `CLUSTER_IP:80` (Service `router-internal-default` in
   * `openshift-ingress`, as on OpenShift): where pods on it send requests for a route's host.
   * @default - none: no cluster network (it comes with the k6-operator)
   */
  readonly routerServiceAddress?: string;
  /** Pods, rollouts and router reloads, as they happen (for debugging). */
  readonly events: EventLog;
  readonly controlPlane: ControlPlane;
  readonly nodeAgent: NodeAgent;
  readonly router: TestbedRouter;
  /** Stops the components, then the control plane; removes every folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a control plane, then the node agent, the DeploymentConfig controller and the router on it. */
export async function startTestbed(options: TestbedOptions = {}): Promise<Testbed> {
  const { signal } = options;
  const onError = (component: string) => (error: unknown) => options.onError?.(component, error);
  const controlPlane = await startControlPlane({
    ...(options.binDir !== undefined && { binDir: options.binDir }),
    ...(options.k6Operator !== undefined && { k6Operator: options.k6Operator }),
    ...(signal && { signal }),
    onExit: (component, description) => options.onError?.(component, new Error(`${component} ${description}`)),
  });
  const events = new EventLog();
  const api = KubeClient.fromKubeconfig(controlPlane.kubeconfig, { userAgent: 'zdd-testbed' });
  let agent: NodeAgent | undefined;
  let controller: DeploymentConfigController | undefined;
  let router: TestbedRouter | undefined;
  let serviceProxy: ServiceProxy | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await router?.stop();
      await serviceProxy?.stop();
      await controller?.stop();
      await agent?.stop();
      api.close();
      await controlPlane.stop();
    })();
    return stopping;
  };
  const { network } = controlPlane;
  let routerServiceAddress: string | undefined;
  try {
    agent = await NodeAgent.start({
      api,
      events,
      imageMappings: options.imageMappings ?? [],
      serving: {
        cert: readFileSync(controlPlane.serving.cert, 'utf8'),
        key: readFileSync(controlPlane.serving.key, 'utf8'),
      },
      ...(network && { network, commandImages: k6OperatorImages(options.k6 ?? 'k6') }),
      onError: onError('node agent'),
    });
    controller = DeploymentConfigController.start({ api, events, onError: onError('DeploymentConfig controller') });
    router = await TestbedRouter.start({
      api,
      addresses: agent.addresses,
      httpRoutes: controlPlane.gatewayApiVersion !== undefined,
      events,
      ...(options.reloadIntervalSeconds !== undefined && { reloadIntervalSeconds: options.reloadIntervalSeconds }),
      ...(options.reloads !== undefined && { reloads: options.reloads }),
      ...(options.seed !== undefined && { seed: options.seed }),
      onError: onError('router'),
    });
    if (network) {
      serviceProxy = ServiceProxy.start({ api, network, onError: onError('service proxy') });
      routerServiceAddress = await exposeRouter(api, network, router.address);
    }
    if (signal?.aborted) throw new InterruptedError();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    server: controlPlane.server,
    kubeconfig: controlPlane.kubeconfig,
    restrictedKubeconfig: controlPlane.restrictedKubeconfig,
    routerAddress: router.address,
    routerDomain: ROUTER_DOMAIN,
    ...(controlPlane.gatewayApiVersion !== undefined && { gatewayApiVersion: controlPlane.gatewayApiVersion }),
    ...(controlPlane.k6OperatorVersion !== undefined && { k6OperatorVersion: controlPlane.k6OperatorVersion }),
    ...(routerServiceAddress !== undefined && { routerServiceAddress }),
    events,
    controlPlane,
    nodeAgent: agent,
    router,
    stop,
  };
}

/**
 * The router's Service inside the cluster network: OpenShift's `router-internal-default`, whose ClusterIP pods
 * use to reach the router; here it leads out to the router's loopback listener.
 */
async function exposeRouter(api: KubeClient, network: ClusterNetwork, routerAddress: string): Promise<string> {
  const namespace = 'openshift-ingress';
  await api.create(RESOURCES.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const service = await api.create<ApiService>(inNamespace(RESOURCES.services, namespace), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'router-internal-default', namespace },
    spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  });
  const clusterIP = service.spec?.clusterIP ?? '';
  const [host = '', port = ''] = routerAddress.split(':');
  await network.exposeOutside({ host: clusterIP, port: 80 }, { host, port: Number(port) });
  return `${clusterIP}:80`;
}
