import type { JsonObject, JsonValue } from '../../json-value.js';
import type { AppChartSettings } from '../../manifests/app-chart.js';
import { resolvePreStop } from '../../manifests/pre-stop.js';
import { QUANTITY_PATTERN } from '../../manifests/quantity.js';
import { PORT_NAME, renderReadinessProbe } from '../../manifests/readiness-probe.js';
import { INT32_MAX } from '../../manifests/rules.js';
import type { ZeroDowntimeProps } from '../../spec/app-props.js';
import { EXPOSE_KINDS, PRE_STOP_ACTIONS, WORKLOAD_KINDS } from '../../spec/choices.js';

/**
 * The chart's values: their names, what each does (values.yaml's comments, the
 * schema's descriptions, the chart README's table), their JSON schema, and their
 * defaults, which are the settings `zdd synth` rendered. Names follow the config
 * file (`--config`), plus `zeroDowntime.enabled` (the switch between the two
 * variants) and an `enabled` for each part a config file switches off with `false`.
 */
export interface ValueDoc {
  /** Dotted path in values.yaml. */
  readonly key: string;
  readonly describe: string;
  /** For a leaf; objects get theirs from the keys below them. @default - an object */
  readonly schema?: JsonObject;
}

const int32 = (minimum: number): JsonObject => ({ type: 'integer', minimum, maximum: INT32_MAX });
const DNS_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const amounts: JsonObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cpu: { type: 'string', pattern: QUANTITY_PATTERN, description: 'a CPU quantity such as "250m" or "1"' },
    memory: { type: 'string', pattern: QUANTITY_PATTERN, description: 'a memory quantity such as "128Mi" or "1Gi"' },
  },
};

export const VALUE_DOCS: readonly ValueDoc[] = [
  {
    key: 'nameOverride',
    describe: 'Replaces the chart name in app.kubernetes.io/name and in the default object name.',
    schema: { type: 'string', maxLength: 63, pattern: `^$|${DNS_LABEL}` },
  },
  {
    key: 'fullnameOverride',
    describe:
      'The name of every object. Default: the release name if it contains the chart name, else <release>-<chart>.',
    schema: { type: 'string', maxLength: 63, pattern: `^$|${DNS_LABEL}` },
  },
  {
    key: 'image',
    describe: 'Container image of the app.',
    schema: { type: 'string', minLength: 1, pattern: '^\\S+$' },
  },
  { key: 'replicas', describe: 'Pods of the workload.', schema: int32(1) },
  {
    key: 'port',
    describe: 'Port the app listens on; the container exposes it as "http", the Service too.',
    schema: { type: 'integer', minimum: 1, maximum: 65535 },
  },
  {
    key: 'env',
    describe: 'Environment variables of the app container, in this order: a list of {name, value}.',
    schema: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'value'],
        properties: {
          name: { type: 'string', pattern: '^[-._a-zA-Z][-._a-zA-Z0-9]*$' },
          value: { type: 'string' },
        },
      },
    },
  },
  {
    key: 'resources',
    describe: 'Requests and limits of the app container (cpu, memory).',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { requests: amounts, limits: amounts },
    },
  },
  {
    key: 'workload',
    describe: 'deploymentconfig (apps.openshift.io/v1, OpenShift) or deployment (apps/v1).',
    schema: { type: 'string', enum: [...WORKLOAD_KINDS] },
  },
  {
    key: 'expose',
    describe: 'route (OpenShift), ingress (networking.k8s.io/v1, needs domain) or none.',
    schema: { type: 'string', enum: [...EXPOSE_KINDS] },
  },
  {
    key: 'domain',
    describe:
      'Base domain: the host becomes <fullname>.<domain>. Required with an Ingress; a Route without one gets its host from OpenShift.',
    schema: { type: 'string', maxLength: 253, pattern: `^$|${DNS_SUBDOMAIN}` },
  },
  {
    key: 'ingressClassName',
    describe: "IngressClass of the Ingress; empty for the cluster's default class.",
    schema: { type: 'string', maxLength: 63, pattern: `^$|${DNS_LABEL}` },
  },
  {
    key: 'zeroDowntime',
    describe: 'The settings that make a rollout drop no requests.',
  },
  {
    key: 'zeroDowntime.enabled',
    describe:
      "The switch between the two variants: true renders the zero-downtime variant, false the platform's defaults (no readinessProbe, no preStop, default grace period and rolling parameters, no PodDisruptionBudget).",
    schema: { type: 'boolean' },
  },
  {
    key: 'zeroDowntime.readinessProbe',
    describe: 'Gates traffic to a new pod until the app serves.',
  },
  {
    key: 'zeroDowntime.readinessProbe.enabled',
    describe: 'false leaves the probe out.',
    schema: { type: 'boolean' },
  },
  {
    key: 'zeroDowntime.readinessProbe.path',
    describe: 'Path the probe GETs; it must answer 2xx/3xx only once the app serves.',
    schema: { type: 'string', pattern: '^/\\S*$' },
  },
  {
    key: 'zeroDowntime.readinessProbe.port',
    describe: `Port the probe connects to: the app's port (empty), the same number, or "${PORT_NAME}".`,
    schema: { type: ['integer', 'string'], minimum: 1, maximum: 65535, pattern: `^(${PORT_NAME})?$` },
  },
  {
    key: 'zeroDowntime.readinessProbe.scheme',
    describe: 'HTTP or HTTPS.',
    schema: { type: 'string', enum: ['HTTP', 'HTTPS'] },
  },
  {
    key: 'zeroDowntime.readinessProbe.initialDelaySeconds',
    describe: 'Seconds after the container starts before the first probe.',
    schema: int32(0),
  },
  {
    key: 'zeroDowntime.readinessProbe.timeoutSeconds',
    describe: 'Seconds after which one probe counts as failed.',
    schema: int32(1),
  },
  {
    key: 'zeroDowntime.readinessProbe.periodSeconds',
    describe: 'Seconds between probes: a new pod joins the endpoints at most this long after it can serve.',
    schema: int32(1),
  },
  {
    key: 'zeroDowntime.readinessProbe.successThreshold',
    describe: 'Consecutive successes before the pod is ready.',
    schema: int32(1),
  },
  {
    key: 'zeroDowntime.readinessProbe.failureThreshold',
    describe: 'Consecutive failures before the pod leaves the endpoints.',
    schema: int32(1),
  },
  {
    key: 'zeroDowntime.preStop',
    describe: 'Keeps a terminating pod serving until the router, which reloads every 5 s, has dropped it.',
  },
  { key: 'zeroDowntime.preStop.enabled', describe: 'false leaves the hook out.', schema: { type: 'boolean' } },
  {
    key: 'zeroDowntime.preStop.action',
    describe:
      'exec runs /bin/sh -c "sleep N; <shutdownCommand>" (the image needs a shell); sleep is the native sleep action (Kubernetes ≥ 1.30, OpenShift ≥ 4.17), which runs no command.',
    schema: { type: 'string', enum: [...PRE_STOP_ACTIONS] },
  },
  {
    key: 'zeroDowntime.preStop.sleepSeconds',
    describe: 'Seconds the terminating pod keeps serving; must be shorter than terminationGracePeriodSeconds.',
    schema: int32(0),
  },
  {
    key: 'zeroDowntime.preStop.shutdownCommand',
    describe: 'Shell command run after the sleep to stop the app gracefully (exec only); empty for none.',
    schema: { type: 'string' },
  },
  {
    key: 'zeroDowntime.terminationGracePeriodSeconds',
    describe: 'Seconds from deletion to SIGKILL, the preStop hook included.',
    schema: int32(1),
  },
  {
    key: 'zeroDowntime.rolling',
    describe: 'Rolling parameters that never take a ready pod away before its successor is ready.',
  },
  {
    key: 'zeroDowntime.rolling.maxSurge',
    describe: 'Pods above replicas during a rollout: a count (at least 1) or a percentage (rounded up).',
    schema: { type: ['integer', 'string'], minimum: 1, maximum: INT32_MAX, pattern: '^0*[1-9][0-9]*%$' },
  },
  {
    key: 'zeroDowntime.rolling.maxUnavailable',
    describe: 'Pods below replicas during a rollout: 0, or a percentage that rounds down to 0 pods.',
    schema: { type: ['integer', 'string'], minimum: 0, maximum: 0, pattern: '^[0-9]+%$' },
  },
  {
    key: 'zeroDowntime.podDisruptionBudget',
    describe: 'A PodDisruptionBudget (maxUnavailable 1) when replicas ≥ 2, so that node drains keep the app serving.',
    schema: { type: 'boolean' },
  },
];

/**
 * The values of the settings a variant was rendered from: those of the
 * zero-downtime chart (`settings.zeroDowntime` set) and the config-file layer
 * that says which parts are switched off (`zeroDowntime`).
 */
export function chartValues(settings: AppChartSettings, zeroDowntime: ZeroDowntimeProps): JsonObject {
  const zd = settings.zeroDowntime;
  if (zd === undefined) throw new Error('chart values: expected the settings of the zero-downtime variant');
  // A part switched off keeps the constructs' defaults, so that switching it on in values gives a working part.
  const probe = zd.readinessProbe ?? renderReadinessProbe({}, settings.port);
  const preStop = zd.preStop ?? resolvePreStop({});
  const probePort = zeroDowntime.readinessProbe === false ? undefined : zeroDowntime.readinessProbe?.port;
  const resources: JsonObject = {};
  for (const kind of ['requests', 'limits'] as const) {
    const amounts = Object.entries(settings.resources[kind]).filter(([, value]) => value !== undefined);
    if (amounts.length > 0) resources[kind] = Object.fromEntries(amounts) as JsonObject;
  }
  return {
    nameOverride: '',
    fullnameOverride: '',
    image: settings.image,
    replicas: settings.replicas,
    port: settings.port,
    env: Object.entries(settings.env).map(([name, value]) => ({ name, value })),
    resources,
    workload: settings.workload,
    expose: settings.expose,
    domain: settings.domain ?? '',
    ingressClassName: settings.ingressClassName ?? '',
    zeroDowntime: {
      enabled: true,
      readinessProbe: {
        enabled: zd.readinessProbe !== undefined,
        path: defined(probe.httpGet?.path),
        // Empty follows `port`: a probe on the app's port whatever port is set to.
        port: probePort ?? '',
        scheme: defined(probe.httpGet?.scheme),
        initialDelaySeconds: defined(probe.initialDelaySeconds),
        timeoutSeconds: defined(probe.timeoutSeconds),
        periodSeconds: defined(probe.periodSeconds),
        successThreshold: defined(probe.successThreshold),
        failureThreshold: defined(probe.failureThreshold),
      },
      preStop: {
        enabled: zd.preStop !== undefined,
        action: preStop.action,
        sleepSeconds: preStop.sleepSeconds,
        shutdownCommand: preStop.shutdownCommand,
      },
      terminationGracePeriodSeconds: zd.terminationGracePeriodSeconds,
      rolling: { maxSurge: zd.maxSurge, maxUnavailable: zd.maxUnavailable },
      // What was asked, not whether this replica count gets one: the template decides from replicas.
      podDisruptionBudget: zeroDowntime.podDisruptionBudget !== false,
    },
  };
}

/** renderReadinessProbe sets every field; its type (k8s.Probe) makes them optional. */
function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('chart values: the rendered readinessProbe lacks a field');
  return value;
}

/** The value at a dotted key. */
export function valueAt(values: JsonObject, key: string): JsonValue | undefined {
  let node: JsonValue | undefined = values;
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null && !Array.isArray(node) ? node[part] : undefined;
  }
  return node;
}
