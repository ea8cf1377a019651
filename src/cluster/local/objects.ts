import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../../errors.js';

/**
 * The part of each manifest the local cluster honours, read with zod so that a
 * manifest it cannot run gets a message naming the object and the field.
 * Unknown fields are ignored, as a cluster would keep them without effect here.
 */
const intOrString = z.union([z.number().int(), z.string()]);
const seconds = (fallback: number) => z.number().int().min(0).default(fallback);

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
  periodSeconds: z.number().int().min(1).default(10),
  timeoutSeconds: z.number().int().min(1).default(1),
  successThreshold: z.number().int().min(1).default(1),
  failureThreshold: z.number().int().min(1).default(3),
});

const handler = z.object({
  exec: exec.optional(),
  httpGet: httpGet.optional(),
  sleep: z.object({ seconds: z.number().int().min(0) }).optional(),
});

const container = z.object({
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(z.object({ name: z.string(), value: z.string().default('') })).default([]),
  ports: z.array(z.object({ name: z.string().optional(), containerPort: z.number().int() })).default([]),
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
    replicas: z.number().int().min(0).default(1),
    selector: z.record(z.string(), z.string()).optional(),
    minReadySeconds: seconds(0),
    strategy: z
      .object({
        type: z.enum(['Rolling', 'Recreate']).default('Rolling'),
        rollingParams: z
          .object({
            maxSurge: intOrString.default('25%'),
            maxUnavailable: intOrString.default('25%'),
            intervalSeconds: z.number().int().min(1).default(1),
            updatePeriodSeconds: z.number().int().min(1).default(1),
            timeoutSeconds: z.number().int().min(1).default(600),
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
    replicas: z.number().int().min(0).default(1),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    minReadySeconds: seconds(0),
    progressDeadlineSeconds: z.number().int().min(1).default(600),
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
      .array(z.object({ name: z.string().optional(), port: z.number().int(), targetPort: intOrString.optional() }))
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
  for (const { source, yaml } of documents) {
    for (const document of parseAllDocuments(yaml)) {
      if (document.errors.length > 0) throw new UsageError(`${source}: not valid YAML: ${document.errors[0]?.message}`);
      const value: unknown = document.toJS();
      if (value === null || value === undefined) continue;
      addObject(objects, value, source);
    }
  }
  return objects;
}

function addObject(objects: ClusterObjects, value: unknown, source: string): void {
  const kind = typeof value === 'object' && value !== null && 'kind' in value ? String(value.kind) : undefined;
  const name =
    typeof value === 'object' && value !== null && 'metadata' in value
      ? String((value.metadata as { name?: unknown } | null)?.name ?? '?')
      : '?';
  const read = <T>(schema: z.ZodType<T>): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw new UsageError(`${source}: ${kind}/${name}: ${issue?.path.join('.')}: ${issue?.message}`);
  };
  switch (kind) {
    case 'DeploymentConfig':
      objects.workloads.push(read(deploymentConfig));
      break;
    case 'Deployment':
      objects.workloads.push(read(deployment));
      break;
    case 'Service':
      objects.services.push(read(service));
      break;
    case 'Route': {
      const r = read(route);
      objects.routes.push({ kind: 'Route', name: r.metadata.name, serviceName: r.spec.to.name });
      break;
    }
    case 'Ingress': {
      const i = read(ingress);
      const backend = i.spec.rules[0]?.http.paths[0]?.backend.service.name ?? '';
      objects.routes.push({ kind: 'Ingress', name: i.metadata.name, serviceName: backend });
      break;
    }
    default:
      if (kind && IGNORED_KINDS.has(kind)) objects.ignored.push(`${kind}/${name}`);
      else
        throw new UsageError(
          `${source}: ${kind ?? 'an object without a kind'}/${name}: the local cluster cannot run this kind`,
        );
  }
}
