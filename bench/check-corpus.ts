/**
 * A deterministic corpus of manifests shaped like the ones reviewers are
 * handed: Helm-rendered releases (`# Source:` comments, several documents a
 * file), one object a file, `oc get -o yaml` Lists (status, managedFields),
 * JSON, `---` and `...` markers; Deployments, DeploymentConfigs,
 * StatefulSets, Services, Routes, Ingresses, PodDisruptionBudgets, with
 * varied probes, preStop hooks and strategies. About 900 files, 6.8 MB and
 * 2 500 workloads; the same bytes on every run (a seeded generator).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** What was written. */
export interface Corpus {
  readonly files: readonly string[];
  readonly bytes: number;
  readonly workloads: number;
}

type Value = Record<string, unknown>;

const WORKLOAD_KINDS = ['Deployment', 'DeploymentConfig', 'StatefulSet'];

/** mulberry32: small, fast, and the same sequence on every platform. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'billing',
  'orders',
  'catalog',
  'search',
  'auth',
  'gateway',
  'ledger',
  'payments',
  'notify',
  'profile',
  'inventory',
  'reports',
  'quotes',
  'shipping',
  'pricing',
  'audit',
];

class Shapes {
  private readonly random: () => number;
  workloads = 0;

  constructor(seed: number) {
    this.random = generator(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  name(): string {
    return `${this.pick(WORDS)}-${this.pick(WORDS)}-${this.int(1, 999)}`;
  }

  labels(app: string, release: string | undefined): Record<string, string> {
    return release === undefined
      ? { app, tier: this.pick(['frontend', 'backend', 'worker']) }
      : {
          'app.kubernetes.io/name': app,
          'app.kubernetes.io/instance': release,
          'app.kubernetes.io/managed-by': 'Helm',
          'helm.sh/chart': `${app}-1.${this.int(0, 20)}.${this.int(0, 9)}`,
        };
  }

  probe(port: number): Value {
    const handler = this.pick([
      { httpGet: { path: this.pick(['/healthz', '/ready', '/actuator/health', '/q/health/ready']), port } },
      { tcpSocket: { port } },
      { exec: { command: ['sh', '-c', 'test -f /tmp/ready'] } },
      { httpGet: { path: '/health', port: 'http', scheme: 'HTTP' } },
    ]);
    return {
      ...handler,
      initialDelaySeconds: this.int(0, 30),
      periodSeconds: this.pick([5, 10, 15]),
      timeoutSeconds: this.int(1, 5),
      ...(this.chance(0.3) ? { failureThreshold: this.int(2, 6) } : {}),
    };
  }

  preStop(): Value | undefined {
    return this.pick([
      undefined,
      { exec: { command: ['sleep', String(this.int(5, 30))] } },
      { exec: { command: ['/bin/sh', '-c', `sleep ${this.int(5, 30)}`] } },
      { sleep: { seconds: this.int(5, 20) } },
      { httpGet: { path: '/shutdown', port: 8080 } },
    ]);
  }

  container(name: string, port: number, main: boolean): Value {
    // Many real manifests are bare: an image, a port, perhaps a probe.
    if (this.chance(0.45))
      return {
        name,
        image: `${name}:latest`,
        ports: [{ containerPort: port }],
        ...(this.chance(0.5) ? { readinessProbe: { httpGet: { path: '/', port } } } : {}),
      };
    const env = Array.from({ length: this.int(0, 2) }, (_, index) =>
      this.chance(0.8)
        ? { name: `SETTING_${index}_${this.pick(WORDS).toUpperCase()}`, value: `value-${this.int(0, 99999)}` }
        : {
            name: `SECRET_${index}`,
            valueFrom: { secretKeyRef: { name: `${name}-secrets`, key: `key-${index}` } },
          },
    );
    const preStop = main ? this.preStop() : undefined;
    return {
      name,
      image: `registry.example.com/team/${name}:${this.int(1, 9)}.${this.int(0, 40)}.${this.int(0, 9)}`,
      imagePullPolicy: this.pick(['IfNotPresent', 'Always']),
      ...(this.chance(0.3) ? { args: ['--port', String(port), '--log-level', 'info'] } : {}),
      ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
      env,
      resources: {
        ...(this.chance(0.5)
          ? { limits: { cpu: `${this.int(1, 4) * 250}m`, memory: `${this.int(1, 8) * 256}Mi` } }
          : {}),
        requests: { cpu: `${this.int(1, 4) * 50}m`, memory: `${this.int(1, 4) * 128}Mi` },
      },
      ...(main && this.chance(0.85) ? { readinessProbe: this.probe(port) } : {}),
      ...(this.chance(0.7) ? { livenessProbe: this.probe(port) } : {}),
      ...(preStop === undefined ? {} : { lifecycle: { preStop } }),
      volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
      ...(this.chance(0.5)
        ? { securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } } }
        : {}),
    };
  }

  podSpec(app: string, port: number): Value {
    const containers = [this.container(app, port, true)];
    if (this.chance(0.15)) containers.push(this.container(`${app}-proxy`, port + 1, false));
    return {
      ...(this.chance(0.4) ? { serviceAccountName: app } : {}),
      ...(this.chance(0.6) ? { terminationGracePeriodSeconds: this.pick([10, 30, 45, 60, 120]) } : {}),
      containers,
      volumes: [{ name: 'config', configMap: { name: `${app}-config` } }],
      ...(this.chance(0.3) ? { nodeSelector: { 'node-role.kubernetes.io/worker': '' } } : {}),
    };
  }

  workload(app: string, labels: Record<string, string>, namespace: string | undefined, oc: boolean): Value {
    this.workloads += 1;
    const kind = oc && this.chance(0.6) ? 'DeploymentConfig' : this.chance(0.85) ? 'Deployment' : 'StatefulSet';
    const port = this.pick([8080, 8000, 3000, 9090]);
    const metadata = { name: app, ...(namespace === undefined ? {} : { namespace }), labels };
    const annotations = this.chance(0.2) ? { annotations: { 'checksum/config': this.hex(64) } } : {};
    const template = { metadata: { labels, ...annotations } };
    const replicas = this.chance(0.9) ? { replicas: this.pick([1, 2, 3, 3, 4, 6]) } : {};
    const podSpec = this.podSpec(app, port);
    const selectorLabels = Object.fromEntries(Object.entries(labels).filter(([key]) => !key.includes('chart')));
    if (kind === 'DeploymentConfig') {
      const rolling = this.chance(0.75);
      return {
        apiVersion: this.chance(0.9) ? 'apps.openshift.io/v1' : 'v1',
        kind,
        metadata,
        spec: {
          ...replicas,
          selector: selectorLabels,
          strategy: rolling
            ? {
                type: 'Rolling',
                rollingParams: this.pick([
                  {},
                  { maxSurge: '25%', maxUnavailable: '25%', timeoutSeconds: 600 },
                  { maxSurge: 1, maxUnavailable: 0 },
                  { maxSurge: '50%' },
                ]),
              }
            : { type: 'Recreate' },
          triggers: [{ type: 'ConfigChange' }],
          template: { ...template, spec: podSpec },
        },
      };
    }
    const strategy =
      kind === 'Deployment'
        ? this.pick([
            undefined,
            { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
            { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '50%' } },
            { type: 'Recreate' },
          ])
        : this.pick([undefined, { type: 'RollingUpdate' }, { type: 'OnDelete' }]);
    return {
      apiVersion: 'apps/v1',
      kind,
      metadata,
      spec: {
        ...replicas,
        ...(kind === 'StatefulSet' ? { serviceName: app } : {}),
        ...(this.chance(0.2) ? { minReadySeconds: this.int(5, 30) } : {}),
        selector: { matchLabels: selectorLabels },
        ...(strategy === undefined ? {} : { [kind === 'Deployment' ? 'strategy' : 'updateStrategy']: strategy }),
        template: { ...template, spec: podSpec },
      },
    };
  }

  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.int(0, 0xffff).toString(16).padStart(4, '0');
    return text.slice(0, length);
  }

  service(app: string, labels: Record<string, string>, namespace: string | undefined): Value {
    const selector = Object.fromEntries(Object.entries(labels).filter(([key]) => !key.includes('chart')));
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, ...(namespace === undefined ? {} : { namespace }), labels },
      spec: {
        type: this.pick(['ClusterIP', 'ClusterIP', 'NodePort']),
        ...(this.chance(0.05) ? { publishNotReadyAddresses: true } : {}),
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
        selector,
      },
    };
  }

  exposure(app: string, namespace: string | undefined, oc: boolean): Value {
    const meta = { name: app, ...(namespace === undefined ? {} : { namespace }) };
    if (oc)
      return {
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: meta,
        spec: {
          host: `${app}.apps.example.com`,
          to: { kind: 'Service', name: app, weight: 100 },
          port: { targetPort: 'http' },
          tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
        },
      };
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { ...meta, annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' } },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: `${app}.example.com`,
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app, port: { name: 'http' } } } }],
            },
          },
        ],
      },
    };
  }

  pdb(app: string, labels: Record<string, string>, namespace: string | undefined): Value {
    const matchLabels = Object.fromEntries(Object.entries(labels).filter(([key]) => !key.includes('chart')));
    return {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: app, ...(namespace === undefined ? {} : { namespace }) },
      spec: {
        ...this.pick([{ minAvailable: 1 }, { maxUnavailable: 1 }, { minAvailable: '50%' }]),
        selector: { matchLabels },
      },
    };
  }

  configMap(app: string, namespace: string | undefined): Value {
    const data: Record<string, string> = {};
    for (let index = 0; index < this.int(2, 8); index++) data[`key.${index}`] = `value ${this.hex(16)}`;
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app}-config`, ...(namespace === undefined ? {} : { namespace }) },
      data,
    };
  }

  /** One application: its workload and what usually ships beside it. */
  app(namespace: string | undefined, release: string | undefined, oc: boolean): Value[] {
    const app = this.name();
    const labels = this.labels(app, release);
    const objects = [this.workload(app, labels, namespace, oc)];
    if (this.chance(0.3)) objects.unshift(this.configMap(app, namespace));
    if (this.chance(0.9)) objects.push(this.service(app, labels, namespace));
    if (this.chance(0.6)) objects.push(this.exposure(app, namespace, oc));
    if (this.chance(0.15)) objects.push(this.pdb(app, labels, namespace));
    return objects;
  }

  /** What `oc get -o yaml` adds to an object the cluster holds. */
  asStored(object: Value): Value {
    const metadata = object.metadata as Value;
    return {
      ...object,
      metadata: {
        ...metadata,
        namespace: metadata.namespace ?? 'apps',
        uid: `${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`,
        resourceVersion: String(this.int(100000, 999999)),
        generation: this.int(1, 40),
        creationTimestamp: '2025-06-01T10:00:00Z',
        managedFields: [
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            apiVersion: object.apiVersion,
            time: '2025-06-01T10:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:metadata': { 'f:labels': { '.': {} } }, 'f:spec': { 'f:replicas': {} } },
          },
        ],
      },
      ...('spec' in object && (object.kind as string).startsWith('Deployment')
        ? { status: { observedGeneration: 3, replicas: 2, readyReplicas: 2, updatedReplicas: 2 } }
        : {}),
    };
  }
}

function workloadOf(objects: readonly Value[]): Value {
  const workload = objects.find((object) => WORKLOAD_KINDS.includes(`${object.kind}`));
  if (workload === undefined) throw new Error('every application has a workload');
  return workload;
}

function yamlOf(value: Value): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Writes the corpus into `folder` (which must exist) and says what it holds. */
export function writeCorpus(folder: string, seed = 1): Corpus {
  const shapes = new Shapes(seed);
  const files: string[] = [];
  let bytes = 0;
  const write = (name: string, text: string) => {
    const file = join(folder, `${String(files.length).padStart(4, '0')}-${name}`);
    writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  };
  for (let index = 0; index < 900; index++) {
    const shape = shapes.pick(['helm', 'helm', 'helm', 'single', 'single', 'list', 'json', 'plain']);
    // Files from many projects, each in its own namespace; some leave it to `oc apply -n` or `helm -n`.
    const namespace = shapes.chance(0.05) ? undefined : `${shapes.pick(WORDS)}-${shapes.int(1, 40)}`;
    const oc = shapes.chance(0.5);
    if (shape === 'helm') {
      const release = shapes.pick(WORDS);
      const documents: string[] = [];
      const apps = shapes.int(2, 8);
      for (let app = 0; app < apps; app++) {
        for (const object of shapes.app(namespace, release, oc)) {
          const template = `${(object.kind as string).toLowerCase()}.yaml`;
          documents.push(`---\n# Source: ${release}/templates/${template}\n${yamlOf(object)}`);
        }
      }
      write(`${release}-rendered.yaml`, documents.join(''));
    } else if (shape === 'single') {
      const objects = shapes.app(namespace, undefined, oc);
      const workload = workloadOf(objects);
      write(`${(workload.metadata as Value).name}.yaml`, yamlOf(workload));
    } else if (shape === 'list') {
      const items = Array.from({ length: shapes.int(1, 4) }, () => shapes.app(namespace, undefined, oc))
        .flat()
        .map((object) => shapes.asStored(object));
      write('export.yaml', yamlOf({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }));
    } else if (shape === 'json') {
      const objects = shapes.app(namespace, undefined, oc);
      const workload = workloadOf(objects);
      const value = shapes.chance(0.5) ? { apiVersion: 'v1', kind: 'List', items: objects } : workload;
      write('object.json', `${JSON.stringify(value, null, 2)}\n`);
    } else {
      const objects = Array.from({ length: shapes.int(1, 4) }, () => shapes.app(namespace, undefined, oc)).flat();
      const end = shapes.chance(0.3) ? '...\n' : '';
      write('app.yaml', objects.map((object) => `${yamlOf(object)}${end}`).join('---\n'));
    }
  }
  return { files, bytes, workloads: shapes.workloads };
}
