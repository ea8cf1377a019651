import type { JsonObject, JsonValue } from '../../input/json-value.js';
import type { AppChartSettings } from '../../manifests/app-chart.js';
import { resolvePreStop } from '../../manifests/pre-stop.js';
import { QUANTITY_PATTERN } from '../../manifests/quantity.js';
import { PORT_NAME, renderReadinessProbe } from '../../manifests/readiness-probe.js';
import { INT32_MAX } from '../../manifests/setting-checks.js';
import type { ZeroDowntimeProps } from '../../spec/app-props.js';
import { type SchemaTerms, SETTING_ROWS } from '../../spec/settings.js';

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

const DNS_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/** What the settings table's Helm schemas are written with. */
const TERMS: SchemaTerms = {
  int32: (minimum) => ({ type: 'integer', minimum, maximum: INT32_MAX }),
  dnsLabel: DNS_LABEL,
  dns1123Label: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  dnsSubdomain: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  quantity: QUANTITY_PATTERN,
  portName: PORT_NAME,
};

/** The chart's own values, which no setting gives: Helm's conventional name overrides. */
const NAME_VALUES: readonly ValueDoc[] = [
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
];

/** The name overrides, then every setting with a Helm value (src/spec/settings.ts), each switch's `enabled` below it. */
export const VALUE_DOCS: readonly ValueDoc[] = [
  ...NAME_VALUES,
  ...SETTING_ROWS.flatMap(([, row]): ValueDoc[] => {
    if (row.helmKey === undefined) return [];
    const value: ValueDoc = {
      key: row.helmKey,
      describe: row.doc,
      ...(row.helmSchema && { schema: row.helmSchema(TERMS) }),
    };
    if (row.helmEnabledDoc === undefined) return [value];
    return [value, { key: `${row.helmKey}.enabled`, describe: row.helmEnabledDoc, schema: { type: 'boolean' } }];
  }),
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
  const preStop = zd.preStop ?? resolvePreStop({}, zd.preStopDefaults);
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
    gateway: { name: settings.gateway?.name ?? '', namespace: settings.gateway?.namespace ?? '' },
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
