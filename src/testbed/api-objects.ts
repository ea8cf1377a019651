/**
 * The fields of API objects the test bed's components read and write, and
 * where each kind lives in the REST API. Only what they use: the API keeps
 * every other field as it is.
 */
import type { KubeObject, ObjectMeta, Resource } from '../kube/resources.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string | null;
}

export interface ApiContainer {
  name: string;
  image?: string;
  ports?: Array<{ name?: string; containerPort: number }>;
}

export interface ApiPod extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    nodeName?: string;
    schedulerName?: string;
    containers?: ApiContainer[];
    terminationGracePeriodSeconds?: number;
    [field: string]: unknown;
  };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: Condition[];
    containerStatuses?: Array<{ name: string; ready?: boolean; restartCount?: number }>;
    [field: string]: unknown;
  };
}

/** A workload's revision (ReplicaSet or ReplicationController), read for its annotations only. */
export interface ApiRevision extends KubeObject {
  metadata: ObjectMeta;
}

export interface ApiReplicationController extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: Record<string, string>;
    template?: PodTemplate;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
  };
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [field: string]: unknown };
  spec?: Record<string, unknown>;
}

export type IntOrString = number | string;

export interface RollingParams {
  maxSurge?: IntOrString;
  maxUnavailable?: IntOrString;
  intervalSeconds?: number;
  updatePeriodSeconds?: number;
  timeoutSeconds?: number;
}

export interface ApiDeploymentConfig extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    selector?: Record<string, string>;
    minReadySeconds?: number;
    paused?: boolean;
    revisionHistoryLimit?: number;
    strategy?: {
      type?: string;
      rollingParams?: RollingParams;
      recreateParams?: { timeoutSeconds?: number };
    };
    triggers?: Array<{ type?: string }>;
    template?: PodTemplate;
  };
  status?: {
    latestVersion?: number;
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
    details?: { message?: string; causes?: Array<{ type: string }> };
  };
}

export interface ApiService extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    clusterIP?: string;
    ports?: Array<{ name?: string; port: number; targetPort?: IntOrString; protocol?: string }>;
  };
}

export interface ApiEndpointSlice extends KubeObject {
  metadata: ObjectMeta;
  addressType?: string;
  endpoints?: Array<{
    addresses: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    targetRef?: { kind?: string; name?: string; namespace?: string };
  }>;
  ports?: Array<{ name?: string; port?: number; protocol?: string }>;
}

export interface ApiRoute extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    host?: string;
    to?: { kind?: string; name?: string };
    port?: { targetPort?: IntOrString };
  };
  status?: {
    ingress?: Array<{
      host?: string;
      routerName?: string;
      conditions?: Condition[];
      wildcardPolicy?: string;
      routerCanonicalHostname?: string;
    }>;
  };
}

export interface ApiIngress extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    defaultBackend?: IngressBackend;
    rules?: Array<{ host?: string; http?: { paths?: Array<{ path?: string; backend?: IngressBackend }> } }>;
  };
}

export interface IngressBackend {
  service?: { name?: string; port?: { name?: string; number?: number } };
}

/** A reference from an HTTPRoute to its Gateway (`group`, `kind` default to the Gateway's). */
export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

/** A Gateway API HTTPRoute (gateway.networking.k8s.io/v1), the fields the router reads and its status. */
export interface ApiHttpRoute extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    parentRefs?: ParentReference[];
    hostnames?: string[];
    rules?: Array<{
      backendRefs?: Array<{
        group?: string;
        kind?: string;
        name?: string;
        namespace?: string;
        port?: number;
        weight?: number;
      }>;
    }>;
  };
  status?: {
    parents?: Array<{
      parentRef: ParentReference;
      controllerName: string;
      conditions?: Array<Condition & { observedGeneration?: number }>;
    }>;
  };
}

/** The kinds the test bed watches; without `namespace`: in all namespaces. */
export const RESOURCES = {
  pods: { apiVersion: 'v1', plural: 'pods' },
  namespaces: { apiVersion: 'v1', plural: 'namespaces' },
  nodes: { apiVersion: 'v1', plural: 'nodes' },
  leases: { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespace: 'kube-node-lease' },
  services: { apiVersion: 'v1', plural: 'services' },
  replicationControllers: { apiVersion: 'v1', plural: 'replicationcontrollers' },
  replicaSets: { apiVersion: 'apps/v1', plural: 'replicasets' },
  deploymentConfigs: { apiVersion: 'apps.openshift.io/v1', plural: 'deploymentconfigs' },
  endpointSlices: { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices' },
  routes: { apiVersion: 'route.openshift.io/v1', plural: 'routes' },
  ingresses: { apiVersion: 'networking.k8s.io/v1', plural: 'ingresses' },
  httpRoutes: { apiVersion: 'gateway.networking.k8s.io/v1', plural: 'httproutes' },
} as const satisfies Record<string, Resource>;

/** `resource` in one namespace (for writes). */
export function inNamespace(resource: Resource, namespace: string | undefined): Resource {
  return namespace === undefined ? resource : { ...resource, namespace };
}
