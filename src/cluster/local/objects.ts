import { z } from 'zod';
import { describeIssue, issueField } from '../../input/input-issues.js';
import {
  DEPLOYMENT_CONFIG_ROLLING_DEFAULTS,
  DEPLOYMENT_PROGRESS_DEADLINE_DEFAULT,
  DEPLOYMENT_ROLLING_DEFAULTS,
  HTTP_GET_DEFAULTS,
  PROBE_DEFAULTS,
  TERMINATION_GRACE_PERIOD_DEFAULT,
  withRolloutDefaults,
} from '../../kubernetes/defaults.js';
import type { ManifestObject } from '../../kubernetes/object.js';
import { parseManifests as readManifests, type SkippedPart } from '../../kubernetes/read-manifests.js';
import { cutText, formatValue, UsageError } from '../../runtime/errors.js';

/**
 * The part of each manifest the local cluster honours, read with zod so that a
 * manifest it cannot run gets a message naming the object and the field.
 * Unknown fields are ignored, as a cluster would keep them without effect here.
 */
const intOrString = z.union([z.number().int(), z.string()]);
/** maxSurge and maxUnavailable: a count or a percentage, as the API server validates them (resolved at every step). */
const countOrPercent = intOrString.refine(isCountOrPercent, 'expected a whole number ≥ 0 or a percentage like "25%"');

/** Kubernetes stores these counts and durations as int32; the API server refuses larger ones. */
import { INT32_MAX, isCountOrPercent } from '../../kubernetes/count-or-percent.js';

const int32 = (min: number) => z.number().int().min(min).max(INT32_MAX);
const portNumber = z.number().int().min(1).max(65535);
const seconds = (fallback: number) => int32(0).default(fallback);

const httpGet = z.object({
  path: z.string().default(HTTP_GET_DEFAULTS.path),
  port: intOrString,
  host: z.string().optional(),
  scheme: z.enum(['HTTP', 'HTTPS']).default(HTTP_GET_DEFAULTS.scheme),
});
const exec = z.object({ command: z.array(z.string()).min(1) });
const tcpSocket = z.object({ port: intOrString });

const probe = z.object({
  httpGet: httpGet.optional(),
  tcpSocket: tcpSocket.optional(),
  exec: exec.optional(),
  initialDelaySeconds: seconds(PROBE_DEFAULTS.initialDelaySeconds),
  periodSeconds: int32(1).default(PROBE_DEFAULTS.periodSeconds),
  timeoutSeconds: int32(1).default(PROBE_DEFAULTS.timeoutSeconds),
  successThreshold: int32(1).default(PROBE_DEFAULTS.successThreshold),
  failureThreshold: int32(1).default(PROBE_DEFAULTS.failureThreshold),
});

const handler = z.object({
  exec: exec.optional(),
  httpGet: httpGet.optional(),
  sleep: z.object({ seconds: int32(0) }).optional(),
});

const container = z.object({
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(z.object({ name: z.string(), value: z.string().default('') })).default([]),
  ports: z.array(z.object({ name: z.string().optional(), containerPort: portNumber })).default([]),
  readinessProbe: probe.optional(),
  livenessProbe: probe.optional(),
  startupProbe: probe.optional(),
  lifecycle: z.object({ preStop: handler.optional() }).optional(),
});

const podTemplate = z.object({
  metadata: z
    .object({
      labels: z.record(z.string(), z.string()).default({}),
      // Read for a platform's sidecar (Istio's proxy.istio.io/config); others are kept without effect.
      annotations: z.record(z.string(), z.string()).default({}),
    })
    .default({ labels: {}, annotations: {} }),
  spec: z.object({
    containers: z.array(container).min(1),
    terminationGracePeriodSeconds: seconds(TERMINATION_GRACE_PERIOD_DEFAULT),
  }),
});

const metadata = z.object({ name: z.string(), labels: z.record(z.string(), z.string()).default({}) });

const deploymentConfig = z.object({
  kind: z.literal('DeploymentConfig'),
  metadata,
  spec: z.object({
    // Defaults (replicas, strategy, rolling parameters) come from withRolloutDefaults, before this schema.
    replicas: int32(0),
    selector: z.record(z.string(), z.string()).optional(),
    minReadySeconds: seconds(0),
    strategy: z.object({
      type: z.enum(['Rolling', 'Recreate']),
      rollingParams: z
        .object({
          maxSurge: countOrPercent,
          maxUnavailable: countOrPercent,
          intervalSeconds: int32(1),
          updatePeriodSeconds: int32(1),
          timeoutSeconds: int32(1),
        })
        // A Recreate DeploymentConfig has none; the local cluster reads them anyway (the compare floor does).
        .default({ ...DEPLOYMENT_CONFIG_ROLLING_DEFAULTS }),
    }),
    template: podTemplate,
  }),
});

const deployment = z.object({
  kind: z.literal('Deployment'),
  metadata,
  spec: z.object({
    replicas: int32(0),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    minReadySeconds: seconds(0),
    // extensions/v1beta1 has no deadline (withRolloutDefaults leaves it out); the local cluster still bounds a rollout.
    progressDeadlineSeconds: int32(1).default(DEPLOYMENT_PROGRESS_DEADLINE_DEFAULT),
    strategy: z.object({
      type: z.enum(['RollingUpdate', 'Recreate']),
      rollingUpdate: z
        .object({ maxSurge: countOrPercent, maxUnavailable: countOrPercent })
        .default({ ...DEPLOYMENT_ROLLING_DEFAULTS }),
    }),
    template: podTemplate,
  }),
});

const service = z.object({
  kind: z.literal('Service'),
  metadata,
  spec: z.object({
    selector: z.record(z.string(), z.string()).default({}),
    ports: z
      .array(z.object({ name: z.string().optional(), port: portNumber, targetPort: intOrString.optional() }))
      .min(1),
  }),
});

const route = z.object({
  kind: z.literal('Route'),
  metadata,
  spec: z.object({
    to: z.object({ kind: z.literal('Service').default('Service'), name: z.string() }),
    port: z.object({ targetPort: intOrString }).optional(),
  }),
});

const ingress = z.object({
  kind: z.literal('Ingress'),
  metadata,
  spec: z.object({
    rules: z
      .array(
        z.object({
          http: z.object({
            paths: z
              .array(
                z.object({
                  backend: z.object({
                    service: z.object({
                      name: z.string(),
                      port: z.object({ name: z.string().optional(), number: z.number().optional() }),
                    }),
                  }),
                }),
              )
              .min(1),
          }),
        }),
      )
      .min(1),
  }),
});

/**
 * An HTTPRoute's backendRefs (sigs.k8s.io/gateway-api apis/v1): a Service (`group` "" and `kind` Service
 * by default) and its port; `weight` 1 by default.
 */
const httpRoute = z.object({
  kind: z.literal('HTTPRoute'),
  metadata,
  spec: z.object({
    rules: z
      .array(
        z.object({
          backendRefs: z
            .array(
              z.object({
                group: z.literal('').default(''),
                kind: z.literal('Service').default('Service'),
                name: z.string(),
                port: portNumber.optional(),
                weight: z.number().int().min(0).max(1_000_000).default(1),
              }),
            )
            .default([]),
        }),
      )
      .min(1),
  }),
});

/** A pod template as the local cluster runs it; the test bed's node agent reads API pods' specs with it. */
export const podTemplateSchema = podTemplate;

export type ProbeSpec = z.output<typeof probe>;
export type HandlerSpec = z.output<typeof handler>;
export type ContainerSpec = z.output<typeof container>;
export type PodTemplateSpec = z.output<typeof podTemplate>;
export type DeploymentConfigObject = z.output<typeof deploymentConfig>;
export type DeploymentObject = z.output<typeof deployment>;
export type WorkloadObject = DeploymentConfigObject | DeploymentObject;
export type ServiceObject = z.output<typeof service>;

/** A Route, or an Ingress or HTTPRoute read as one: a name and the Service it sends traffic to. */
export interface RouteObject {
  readonly kind: 'Route' | 'Ingress' | 'HTTPRoute';
  readonly name: string;
  readonly serviceName: string;
}

/** What the local cluster runs from a set of manifests. */
export interface ClusterObjects {
  readonly workloads: WorkloadObject[];
  readonly services: ServiceObject[];
  readonly routes: RouteObject[];
  /** Kinds present but not run (e.g. PodDisruptionBudget: there are no voluntary evictions here). */
  readonly ignored: string[];
}

const IGNORED_KINDS = new Set(['PodDisruptionBudget', 'ConfigMap', 'Secret', 'ServiceAccount', 'NetworkPolicy']);

/** Reads the objects from YAML streams (through the one manifest reader); `source` names the file in errors. */
export function parseManifests(documents: ReadonlyArray<{ source: string; yaml: string }>): ClusterObjects {
  const objects: ClusterObjects = { workloads: [], services: [], routes: [], ignored: [] };
  const seen = new Map<string, string>();
  for (const { source, yaml } of documents) {
    const parsed = readManifests(source, yaml);
    const [problem] = parsed.problems;
    if (problem) {
      const reason = problem.aliasOverflow
        ? 'its aliases (*name) expand to too much data'
        : cutText(problem.parserMessage, 1000);
      throw new UsageError(`${source}: not valid YAML: ${reason}`);
    }
    const [skipped] = parsed.notes;
    if (skipped) throw new UsageError(skippedMessage(source, skipped));
    for (const object of parsed.objects) addObject(objects, object, { source, seen });
  }
  return objects;
}

/** Why a part of a file is not an object the local cluster can run. */
function skippedMessage(source: string, skipped: SkippedPart): string {
  const { skip } = skipped;
  switch (skip.reason) {
    case 'not-an-object': {
      const what = Array.isArray(skip.value) ? 'a list' : formatValue(skip.value);
      return `${source}: document ${skipped.documentNumber} is not a Kubernetes object (got ${what}, expected a mapping with a "kind")`;
    }
    case 'no-kind':
      return `${source}: ${skip.kind === undefined || skip.kind === '' ? `document ${skipped.documentNumber} has no "kind"` : `kind ${formatValue(skip.kind)} is not a string`}; expected a Kubernetes object`;
    case 'items-not-a-list':
      return `${source}: ${cutText(skip.listKind)}: items: expected a list, got ${formatValue(skip.items)}`;
    case 'contains-itself':
      return `${source}: a ${cutText(skip.listKind)} contains itself (through a YAML alias)`;
  }
}

/** `Kind/name` of every object read, workloads first. */
export function objectNames(objects: ClusterObjects): string[] {
  return [
    ...objects.workloads.map((w) => `${w.kind}/${w.metadata.name}`),
    ...objects.services.map((s) => `Service/${s.metadata.name}`),
    ...objects.routes.map((r) => `${r.kind}/${r.name}`),
    ...objects.ignored,
  ];
}

interface ItemContext {
  readonly source: string;
  /** Where each object's name was first seen, by the local cluster's key (workloads share one name space). */
  readonly seen: Map<string, string>;
}

function addObject(objects: ClusterObjects, object: ManifestObject, context: ItemContext): void {
  const { source } = context;
  const { kind } = object;
  const value = withRolloutDefaults(object.value);
  const metadata = value.metadata;
  const rawName = typeof metadata === 'object' && metadata !== null ? (metadata as { name?: unknown }).name : undefined;
  const name = typeof rawName === 'string' ? cutText(rawName) : rawName === undefined ? '?' : formatValue(rawName);
  const shown = `${cutText(kind)}/${name}`;
  const read = <T>(schema: z.ZodType<T>): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const [issue] = result.error.issues;
    if (!issue) throw new UsageError(`${source}: ${shown}: not a valid ${kind}`);
    const described = describeIssue(issue, (path) => object.writtenAt(path.map(fieldKey)));
    throw new UsageError(`${source}: ${shown}: ${issueField(issue)}: ${described}`);
  };
  /** The local cluster keys workloads, Services and routes by name: a second one would replace the first. */
  const claim = (space: string, objectName: string): void => {
    const key = `${space}/${objectName}`;
    const first = context.seen.get(key);
    if (first !== undefined) {
      throw new UsageError(
        `${source}: ${shown}: a second ${space} named ${formatValue(objectName)} (the first is in ${first}); names must be unique`,
      );
    }
    context.seen.set(key, `${source} as ${shown}`);
  };
  switch (kind) {
    case 'DeploymentConfig':
    case 'Deployment': {
      const workload = kind === 'Deployment' ? read(deployment) : read(deploymentConfig);
      claim('workload', workload.metadata.name);
      objects.workloads.push(workload);
      break;
    }
    case 'Service': {
      const s = read(service);
      claim('Service', s.metadata.name);
      objects.services.push(s);
      break;
    }
    case 'Route': {
      const r = read(route);
      claim('Route, Ingress or HTTPRoute', r.metadata.name);
      objects.routes.push({ kind: 'Route', name: r.metadata.name, serviceName: r.spec.to.name });
      break;
    }
    case 'Ingress': {
      const i = read(ingress);
      claim('Route, Ingress or HTTPRoute', i.metadata.name);
      const backend = i.spec.rules[0]?.http.paths[0]?.backend.service.name ?? '';
      objects.routes.push({ kind: 'Ingress', name: i.metadata.name, serviceName: backend });
      break;
    }
    case 'HTTPRoute': {
      const h = read(httpRoute);
      claim('Route, Ingress or HTTPRoute', h.metadata.name);
      objects.routes.push({
        kind: 'HTTPRoute',
        name: h.metadata.name,
        serviceName: httpRouteService(h, source, shown),
      });
      break;
    }
    default:
      if (IGNORED_KINDS.has(kind)) objects.ignored.push(shown);
      else throw new UsageError(`${source}: ${shown}: the local cluster cannot run this kind`);
  }
}

/**
 * The one Service an HTTPRoute sends its requests to. The local router sends a route to one Service, so
 * backendRefs that split the requests between Services (weights) are refused rather than served
 * otherwise than a Gateway would; a backendRef of weight 0 gets no requests and does not count.
 */
function httpRouteService(route: z.output<typeof httpRoute>, source: string, shown: string): string {
  const names = new Set(
    route.spec.rules.flatMap((rule) => rule.backendRefs.filter((ref) => ref.weight > 0).map((ref) => ref.name)),
  );
  const [only] = names;
  if (only === undefined) {
    throw new UsageError(`${source}: ${shown}: spec.rules[].backendRefs: no backendRef with a weight above 0`);
  }
  if (names.size > 1) {
    throw new UsageError(
      `${source}: ${shown}: spec.rules[].backendRefs: the local cluster's router sends a route to one Service, and this HTTPRoute splits its requests between ${[...names].join(', ')}; weighted backends need a real Gateway (--target cluster)`,
    );
  }
  return only;
}

/** zod's issue paths may hold symbols; object fields are strings and list indexes. */
function fieldKey(key: PropertyKey): string | number {
  return typeof key === 'symbol' ? String(key) : key;
}
