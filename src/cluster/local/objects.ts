import { z } from 'zod';
import { cutText, formatValue, UsageError } from '../../errors.js';
import { describeIssue, issueField, type WrittenAt, writtenIn } from '../../input-issues.js';
import { parseYamlDocuments } from '../../nesting.js';

/**
 * The part of each manifest the local cluster honours, read with zod so that a
 * manifest it cannot run gets a message naming the object and the field.
 * Unknown fields are ignored, as a cluster would keep them without effect here.
 */
const intOrString = z.union([z.number().int(), z.string()]);

/** Kubernetes stores these counts and durations as int32; the API server refuses larger ones. */
import { INT32_MAX } from '../../kubernetes/count-or-percent.js';

const int32 = (min: number) => z.number().int().min(min).max(INT32_MAX);
const portNumber = z.number().int().min(1).max(65535);
const seconds = (fallback: number) => int32(0).default(fallback);

const httpGet = z.object({
  path: z.string().default('/'),
  port: intOrString,
  host: z.string().optional(),
  scheme: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
});
const exec = z.object({ command: z.array(z.string()).min(1) });
const tcpSocket = z.object({ port: intOrString });

const probe = z.object({
  httpGet: httpGet.optional(),
  tcpSocket: tcpSocket.optional(),
  exec: exec.optional(),
  initialDelaySeconds: seconds(0),
  periodSeconds: int32(1).default(10),
  timeoutSeconds: int32(1).default(1),
  successThreshold: int32(1).default(1),
  failureThreshold: int32(1).default(3),
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
  metadata: z.object({ labels: z.record(z.string(), z.string()).default({}) }).default({ labels: {} }),
  spec: z.object({
    containers: z.array(container).min(1),
    terminationGracePeriodSeconds: seconds(30),
  }),
});

const metadata = z.object({ name: z.string(), labels: z.record(z.string(), z.string()).default({}) });

const deploymentConfig = z.object({
  kind: z.literal('DeploymentConfig'),
  metadata,
  spec: z.object({
    replicas: int32(0).default(1),
    selector: z.record(z.string(), z.string()).optional(),
    minReadySeconds: seconds(0),
    strategy: z
      .object({
        type: z.enum(['Rolling', 'Recreate']).default('Rolling'),
        rollingParams: z
          .object({
            maxSurge: intOrString.default('25%'),
            maxUnavailable: intOrString.default('25%'),
            intervalSeconds: int32(1).default(1),
            updatePeriodSeconds: int32(1).default(1),
            timeoutSeconds: int32(1).default(600),
          })
          .default({
            maxSurge: '25%',
            maxUnavailable: '25%',
            intervalSeconds: 1,
            updatePeriodSeconds: 1,
            timeoutSeconds: 600,
          }),
      })
      .default({
        type: 'Rolling',
        rollingParams: {
          maxSurge: '25%',
          maxUnavailable: '25%',
          intervalSeconds: 1,
          updatePeriodSeconds: 1,
          timeoutSeconds: 600,
        },
      }),
    template: podTemplate,
  }),
});

const deployment = z.object({
  kind: z.literal('Deployment'),
  metadata,
  spec: z.object({
    replicas: int32(0).default(1),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    minReadySeconds: seconds(0),
    progressDeadlineSeconds: int32(1).default(600),
    strategy: z
      .object({
        type: z.enum(['RollingUpdate', 'Recreate']).default('RollingUpdate'),
        rollingUpdate: z
          .object({ maxSurge: intOrString.default('25%'), maxUnavailable: intOrString.default('25%') })
          .default({ maxSurge: '25%', maxUnavailable: '25%' }),
      })
      .default({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }),
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

/** A Route, or an Ingress read as one: a name and the Service it sends traffic to. */
export interface RouteObject {
  readonly kind: 'Route' | 'Ingress';
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

/** Reads the objects from YAML streams; `source` names the file in errors. */
export function parseManifests(documents: ReadonlyArray<{ source: string; yaml: string }>): ClusterObjects {
  const objects: ClusterObjects = { workloads: [], services: [], routes: [], ignored: [] };
  const seen = new Map<string, string>();
  for (const { source, yaml } of documents) {
    // Merge keys (<<) as kubectl's YAML reader takes them; warnings would reach stderr as Node warnings.
    const parsed = parseYamlDocuments(yaml, { merge: true, logLevel: 'error' });
    for (const [index, document] of parsed.entries()) {
      const [error] = document.errors;
      if (error) throw new UsageError(`${source}: not valid YAML: ${cutText(error.message, 1000)}`);
      let value: unknown;
      try {
        value = document.toJS();
      } catch (toJsError) {
        const message = toJsError instanceof Error ? toJsError.message : String(toJsError);
        const reason = /alias count/i.test(message) ? 'its aliases (*name) expand to too much data' : message;
        throw new UsageError(`${source}: not valid YAML: ${cutText(reason)}`);
      }
      if (value === null || value === undefined) continue;
      const written = writtenIn(document, yaml);
      addItem(objects, value, { source, document: index + 1, seen, lists: [], path: [], written });
    }
  }
  return objects;
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
  /** 1-based number of the YAML document in the file. */
  readonly document: number;
  /** Where each object's name was first seen, by the local cluster's key (workloads share one name space). */
  readonly seen: Map<string, string>;
  /** The Lists this item is inside, outermost first. */
  readonly lists: readonly object[];
  /** For the items of a `<Kind>List`, which may omit their kind. */
  readonly defaultKind?: string;
  /** Where the item is in its YAML document (e.g. `items.2`), and the values there as written. */
  readonly path: readonly PropertyKey[];
  readonly written: WrittenAt;
}

/**
 * Adds one object, or the items of a List: `kind: List` is what `oc get -o yaml`
 * prints, and `<Kind>List` (e.g. DeploymentList) what the API returns; items may nest.
 */
function addItem(objects: ClusterObjects, value: unknown, context: ItemContext): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a list' : formatValue(value);
    throw new UsageError(
      `${context.source}: document ${context.document} is not a Kubernetes object (got ${what}, expected a mapping with a "kind")`,
    );
  }
  const record = value as Record<string, unknown>;
  const kind = record.kind ?? context.defaultKind;
  if (typeof kind === 'string' && /List$/.test(kind) && 'items' in record) {
    if (context.lists.includes(value)) {
      throw new UsageError(`${context.source}: a ${cutText(kind)} contains itself (through a YAML alias)`);
    }
    if (!Array.isArray(record.items)) {
      throw new UsageError(
        `${context.source}: ${cutText(kind)}: items: expected a list, got ${formatValue(record.items)}`,
      );
    }
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    for (const [index, item] of record.items.entries()) {
      if (item === null || item === undefined) continue;
      const lists = [...context.lists, value];
      addItem(objects, item, { ...context, lists, defaultKind: itemKind, path: [...context.path, 'items', index] });
    }
    return;
  }
  addObject(objects, kind === record.kind ? record : { ...record, kind }, context);
}

function addObject(objects: ClusterObjects, value: Record<string, unknown>, context: ItemContext): void {
  const { source } = context;
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const metadata = value.metadata;
  const rawName = typeof metadata === 'object' && metadata !== null ? (metadata as { name?: unknown }).name : undefined;
  const name = typeof rawName === 'string' ? cutText(rawName) : rawName === undefined ? '?' : formatValue(rawName);
  const shown = `${kind === undefined ? formatValue(value.kind) : cutText(kind)}/${name}`;
  const read = <T>(schema: z.ZodType<T>): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const [issue] = result.error.issues;
    if (!issue) throw new UsageError(`${source}: ${shown}: not a valid ${kind}`);
    const described = describeIssue(issue, (path) => context.written([...context.path, ...path]));
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
      claim('Route or Ingress', r.metadata.name);
      objects.routes.push({ kind: 'Route', name: r.metadata.name, serviceName: r.spec.to.name });
      break;
    }
    case 'Ingress': {
      const i = read(ingress);
      claim('Route or Ingress', i.metadata.name);
      const backend = i.spec.rules[0]?.http.paths[0]?.backend.service.name ?? '';
      objects.routes.push({ kind: 'Ingress', name: i.metadata.name, serviceName: backend });
      break;
    }
    default:
      if (kind === undefined) {
        throw new UsageError(
          `${source}: ${value.kind === undefined ? `document ${context.document} has no "kind"` : `kind ${formatValue(value.kind)} is not a string`}; expected a Kubernetes object`,
        );
      }
      if (IGNORED_KINDS.has(kind)) objects.ignored.push(shown);
      else throw new UsageError(`${source}: ${shown}: the local cluster cannot run this kind`);
  }
}
