import type { JsonObject } from '../input/json-value.js';
import { PLATFORM_NAMES } from '../platforms/names.js';
import { openshiftRouter } from '../platforms/openshift-router.js';
import { APP_SHUTDOWN_BUDGET_SECONDS, platformTimings } from '../platforms/timings.js';
import { EXPOSE_KINDS, PRE_STOP_ACTIONS, PRESET_NAMES, PROBE_SCHEMES, WORKLOAD_KINDS } from './choices.js';
import type { SettingPath, ValueAt } from './setting-paths.js';

/**
 * Every setting of the app, declared once: its path in the `AppSpec` (which is also its key in the config
 * file), its type, its default, one line of documentation, its flag, its Helm value and the sentinel the
 * Helm chart's templates are made from. The config file's zod schema (`schema.ts`), the settings flags
 * (`commands/flags/spec-flags.ts`), the Helm values' docs and JSON schema (`packaging/helm/values.ts`), the sentinels
 * (`packaging/helm/sentinels.ts`) and the README's settings table (`settings-table.ts`) are read from here.
 *
 * The table is typed against the constructs' props (`AppSpec`): a field without a row, a row without a
 * field, or a row whose type does not match its field's is a compile error. No imports but types, the
 * choices and the platforms' names and defaults (plain data), so that the CLI declares its flags without loading cdk8s or zod.
 */

/** A setting's type, as the config file, the flags and the Helm values read it. */
export type SettingType =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  /** A count or a percentage ("25%"), a port number or its name ("http"). */
  | { readonly kind: 'int-or-string' }
  | { readonly kind: 'choice'; readonly choices: readonly string[] }
  | { readonly kind: 'boolean' }
  /** KEY=VALUE pairs: a map in the config file, a repeatable flag, a list of {name, value} in Helm. */
  | { readonly kind: 'env' }
  /** A part with settings below it that a layer may switch off with `false`. */
  | { readonly kind: 'switch' }
  /** A part with settings below it. */
  | { readonly kind: 'part' };

type IsRecord<T> = string extends keyof T ? true : false;

/** The one setting type a field of type V can have. */
type TypeFor<V> = [V] extends [boolean]
  ? { readonly kind: 'boolean' }
  : false extends V
    ? { readonly kind: 'switch' }
    : [V] extends [number]
      ? { readonly kind: 'number' }
      : [V] extends [string]
        ? string extends V
          ? { readonly kind: 'string' }
          : { readonly kind: 'choice'; readonly choices: readonly V[] }
        : [V] extends [number | string]
          ? { readonly kind: 'int-or-string' }
          : IsRecord<V> extends true
            ? { readonly kind: 'env' }
            : { readonly kind: 'part' };

/** The JSON Schema pieces a Helm value's schema is written with (supplied by the Helm output). */
export interface SchemaTerms {
  /** An integer from `minimum` to the int32 maximum, as Kubernetes stores counts and seconds. */
  int32(minimum: number): JsonObject;
  readonly dnsLabel: string;
  /** A namespace's name: a DNS-1123 label, which may start with a digit. */
  readonly dns1123Label: string;
  readonly dnsSubdomain: string;
  /** A Kubernetes quantity ("250m", "1Gi"). */
  readonly quantity: string;
  /** The name of the app's container port. */
  readonly portName: string;
}

/**
 * A distinctive value the Helm chart's templates are made from: each place it comes out of the
 * constructs becomes a reference to the setting's Helm value.
 */
export interface Sentinel<V> {
  readonly value: Exclude<V, false>;
  /** The template writes the chart's full name rather than the value. @default - the value, as JSON */
  readonly fullname?: true;
  /** For a sentinel that may stand inside a longer string: its printf verb. @default - never inside a string */
  readonly inText?: '%s' | '%d';
}

export interface SettingRow<V> {
  readonly type: TypeFor<V>;
  /** One line: the README's settings table, and the description of the Helm value. */
  readonly doc: string;
  /** The constructs' default. @default - none, or see `defaultText` */
  readonly default?: Exclude<V, false | object>;
  /** The default in words, for the README. @default - the value of `default` */
  readonly defaultText?: string;
  /** The settings flag. @default - none: set in the config file only */
  readonly flag?: { readonly name: string; readonly help: string };
  /** The key in the Helm chart's values.yaml. @default - not a value of the chart */
  readonly helmKey?: string;
  /** JSON Schema of the Helm value (a part gets its schema from the values below it). @default - a part */
  readonly helmSchema?: (terms: SchemaTerms) => JsonObject;
  /** For a part the chart can switch off: the description of its Helm `enabled` value. @default - no `enabled` value */
  readonly helmEnabledDoc?: string;
  /** @default - none: the chart reads this setting some other way */
  readonly sentinel?: Sentinel<V>;
}

export type SettingsTable = { readonly [P in SettingPath]: SettingRow<ValueAt<P>> };

/** In the order the flags are listed and applied (a switch before the settings below it) and the values written. */
export const SETTINGS: SettingsTable = {
  preset: {
    type: { kind: 'choice', choices: PRESET_NAMES },
    doc: 'The starting settings: default (the sample app) or seed (the demo, exactly).',
    default: 'default',
    flag: { name: 'preset', help: 'starting settings (default: the sample app)' },
  },
  names: { type: { kind: 'part' }, doc: 'The object names of the two variants.' },
  'names.default': {
    type: { kind: 'string' },
    doc: 'Name of every object of the default variant; a DNS-1035 label.',
    flag: { name: 'name-default', help: 'object name of the default variant' },
    sentinel: { value: 'zdd-sentinel-default-name', fullname: true, inText: '%s' },
  },
  'names.zeroDowntime': {
    type: { kind: 'string' },
    doc: 'Name of every object of the zero-downtime variant; a DNS-1035 label.',
    flag: { name: 'name-zero-downtime', help: 'object name of the zero-downtime variant' },
    sentinel: { value: 'zdd-sentinel-zd-name', fullname: true, inText: '%s' },
  },
  image: {
    type: { kind: 'string' },
    doc: 'Container image of the app.',
    flag: { name: 'image', help: 'container image of the app' },
    helmKey: 'image',
    helmSchema: () => ({ type: 'string', minLength: 1, pattern: '^\\S+$' }),
    sentinel: { value: 'zdd-sentinel-image:0' },
  },
  replicas: {
    type: { kind: 'number' },
    doc: 'Pods of the workload.',
    default: 1,
    flag: { name: 'replicas', help: 'pods per variant' },
    helmKey: 'replicas',
    helmSchema: (terms) => terms.int32(1),
    sentinel: { value: 50002 },
  },
  port: {
    type: { kind: 'number' },
    doc: 'Port the app listens on; the container exposes it as "http", the Service too.',
    default: 8080,
    flag: { name: 'port', help: 'port the app listens on' },
    helmKey: 'port',
    helmSchema: () => ({ type: 'integer', minimum: 1, maximum: 65535 }),
    sentinel: { value: 50001 },
  },
  env: {
    type: { kind: 'env' },
    doc: 'Environment variables of the app container, in this order: a list of {name, value}.',
    defaultText: 'none',
    flag: { name: 'env', help: 'environment variable KEY=VALUE (repeatable)' },
    helmKey: 'env',
    helmSchema: () => ({
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
    }),
    sentinel: { value: { ZDD_SENTINEL_ENV: 'zdd-sentinel-env' } },
  },
  resources: {
    type: { kind: 'part' },
    doc: 'Requests and limits of the app container (cpu, memory).',
    helmKey: 'resources',
    helmSchema: (terms) => {
      const amounts: JsonObject = {
        type: 'object',
        additionalProperties: false,
        properties: {
          cpu: { type: 'string', pattern: terms.quantity, description: 'a CPU quantity such as "250m" or "1"' },
          memory: {
            type: 'string',
            pattern: terms.quantity,
            description: 'a memory quantity such as "128Mi" or "1Gi"',
          },
        },
      };
      return { type: 'object', additionalProperties: false, properties: { requests: amounts, limits: amounts } };
    },
    sentinel: {
      value: { requests: { cpu: '50011m', memory: '50012Mi' }, limits: { cpu: '50013m', memory: '50014Mi' } },
    },
  },
  'resources.requests': { type: { kind: 'part' }, doc: 'What the scheduler reserves for the container.' },
  'resources.requests.cpu': {
    type: { kind: 'string' },
    doc: 'CPU request of the app container.',
    default: '100m',
    flag: { name: 'cpu-request', help: 'CPU request, e.g. 100m' },
  },
  'resources.requests.memory': {
    type: { kind: 'string' },
    doc: 'Memory request of the app container.',
    default: '128Mi',
    flag: { name: 'memory-request', help: 'memory request, e.g. 128Mi' },
  },
  'resources.limits': { type: { kind: 'part' }, doc: 'The most the container may use.' },
  'resources.limits.cpu': {
    type: { kind: 'string' },
    doc: 'CPU limit of the app container.',
    default: '500m',
    flag: { name: 'cpu-limit', help: 'CPU limit, e.g. 500m' },
  },
  'resources.limits.memory': {
    type: { kind: 'string' },
    doc: 'Memory limit of the app container.',
    default: '256Mi',
    flag: { name: 'memory-limit', help: 'memory limit, e.g. 256Mi' },
  },
  workload: {
    type: { kind: 'choice', choices: WORKLOAD_KINDS },
    doc: 'deploymentconfig (apps.openshift.io/v1, OpenShift) or deployment (apps/v1).',
    default: 'deploymentconfig',
    flag: { name: 'workload', help: 'workload kind' },
    helmKey: 'workload',
    helmSchema: () => ({ type: 'string', enum: [...WORKLOAD_KINDS] }),
  },
  expose: {
    type: { kind: 'choice', choices: EXPOSE_KINDS },
    doc: 'route (OpenShift), ingress (networking.k8s.io/v1, needs domain), gateway (an HTTPRoute of gateway.networking.k8s.io/v1, needs domain and gateway.name) or none.',
    default: 'route',
    flag: { name: 'expose', help: 'how the app is reached' },
    helmKey: 'expose',
    helmSchema: () => ({ type: 'string', enum: [...EXPOSE_KINDS] }),
  },
  domain: {
    type: { kind: 'string' },
    doc: 'Base domain: the host becomes <fullname>.<domain>. Required with an Ingress or an HTTPRoute; a Route without one gets its host from OpenShift.',
    defaultText: 'none',
    flag: { name: 'domain', help: 'host becomes <name>.<domain> (required with --expose ingress or gateway)' },
    helmKey: 'domain',
    helmSchema: (terms) => ({ type: 'string', maxLength: 253, pattern: `^$|${terms.dnsSubdomain}` }),
    sentinel: { value: 'zdd-sentinel-domain.example', inText: '%s' },
  },
  ingressClassName: {
    type: { kind: 'string' },
    doc: "IngressClass of the Ingress; empty for the cluster's default class.",
    defaultText: "the cluster's default class",
    flag: { name: 'ingress-class', help: 'IngressClass of the Ingress' },
    helmKey: 'ingressClassName',
    helmSchema: (terms) => ({ type: 'string', maxLength: 63, pattern: `^$|${terms.dnsLabel}` }),
    sentinel: { value: 'zdd-sentinel-class' },
  },
  platform: {
    type: { kind: 'choice', choices: PLATFORM_NAMES },
    doc: 'What sends the pods their requests (`zdd platforms` lists each with its numbers): the preStop sleep and grace period the zero-downtime variant gets by default cover its worst endpoint propagation.',
    default: 'openshift-router',
    flag: { name: 'platform', help: 'what sends the pods requests: the preStop and grace follow it (zdd platforms)' },
  },
  kubernetesVersion: {
    type: { kind: 'string' },
    doc: 'Kubernetes version the manifests are for, MAJOR.MINOR (OpenShift 4.17 is 1.30): from 1.30 the preStop hook defaults to the native sleep action, unless a shutdown command needs exec.',
    defaultText: 'none: the exec action, which every version runs',
    flag: { name: 'kubernetes-version', help: 'target Kubernetes version, e.g. 1.30 (≥ 1.30: native preStop sleep)' },
  },
  gateway: {
    type: { kind: 'part' },
    doc: 'The Gateway the HTTPRoute attaches to (expose gateway).',
    helmKey: 'gateway',
  },
  'gateway.name': {
    type: { kind: 'string' },
    doc: 'Name of the Gateway the HTTPRoute attaches to; required with expose gateway.',
    defaultText: 'none',
    flag: {
      name: 'gateway',
      help: 'Gateway the HTTPRoute attaches to: NAME or NAME/NAMESPACE (required with --expose gateway)',
    },
    helmKey: 'gateway.name',
    helmSchema: (terms) => ({ type: 'string', maxLength: 253, pattern: `^$|${terms.dnsSubdomain}` }),
    sentinel: { value: 'zdd-sentinel-gateway' },
  },
  'gateway.namespace': {
    type: { kind: 'string' },
    doc: "Namespace of the Gateway; empty for the HTTPRoute's own.",
    defaultText: "the HTTPRoute's namespace",
    helmKey: 'gateway.namespace',
    helmSchema: (terms) => ({ type: 'string', maxLength: 63, pattern: `^$|${terms.dns1123Label}` }),
    sentinel: { value: 'zdd-sentinel-gateway-ns' },
  },
  zeroDowntime: {
    type: { kind: 'part' },
    doc: 'The settings that make a rollout drop no requests.',
    helmKey: 'zeroDowntime',
    helmEnabledDoc:
      "The switch between the two variants: true renders the zero-downtime variant, false the platform's defaults (no readinessProbe, no preStop, default grace period and rolling parameters, no PodDisruptionBudget).",
  },
  'zeroDowntime.readinessProbe': {
    type: { kind: 'switch' },
    doc: 'Gates traffic to a new pod until the app serves.',
    flag: { name: 'readiness-probe', help: 'readinessProbe (--no-readiness-probe leaves it out)' },
    helmKey: 'zeroDowntime.readinessProbe',
    helmEnabledDoc: 'false leaves the probe out.',
  },
  'zeroDowntime.readinessProbe.path': {
    type: { kind: 'string' },
    doc: 'Path the probe GETs; it must answer 2xx/3xx only once the app serves.',
    default: '/',
    flag: { name: 'probe-path', help: 'readinessProbe HTTP path' },
    helmKey: 'zeroDowntime.readinessProbe.path',
    helmSchema: () => ({ type: 'string', pattern: '^/\\S*$' }),
    sentinel: { value: '/zdd-sentinel-probe-path' },
  },
  'zeroDowntime.readinessProbe.port': {
    type: { kind: 'int-or-string' },
    doc: `Port the probe connects to: the app's port (empty), the same number, or "http".`,
    defaultText: "the app's port",
    flag: { name: 'probe-port', help: 'readinessProbe port: number or "http"' },
    helmKey: 'zeroDowntime.readinessProbe.port',
    helmSchema: (terms) => ({
      type: ['integer', 'string'],
      minimum: 1,
      maximum: 65535,
      pattern: `^(${terms.portName})?$`,
    }),
  },
  'zeroDowntime.readinessProbe.scheme': {
    type: { kind: 'choice', choices: PROBE_SCHEMES },
    doc: 'HTTP or HTTPS.',
    default: 'HTTP',
    flag: { name: 'probe-scheme', help: 'readinessProbe scheme' },
    helmKey: 'zeroDowntime.readinessProbe.scheme',
    helmSchema: () => ({ type: 'string', enum: [...PROBE_SCHEMES] }),
    // The one scheme no constant uses.
    sentinel: { value: 'HTTPS' },
  },
  'zeroDowntime.readinessProbe.initialDelaySeconds': {
    type: { kind: 'number' },
    doc: 'Seconds after the container starts before the first probe.',
    default: 0,
    flag: { name: 'probe-initial-delay', help: 'readinessProbe initialDelaySeconds' },
    helmKey: 'zeroDowntime.readinessProbe.initialDelaySeconds',
    helmSchema: (terms) => terms.int32(0),
    sentinel: { value: 50003 },
  },
  'zeroDowntime.readinessProbe.timeoutSeconds': {
    type: { kind: 'number' },
    doc: 'Seconds after which one probe counts as failed.',
    default: 1,
    flag: { name: 'probe-timeout', help: 'readinessProbe timeoutSeconds' },
    helmKey: 'zeroDowntime.readinessProbe.timeoutSeconds',
    helmSchema: (terms) => terms.int32(1),
    sentinel: { value: 50004 },
  },
  'zeroDowntime.readinessProbe.periodSeconds': {
    type: { kind: 'number' },
    doc: 'Seconds between probes: a new pod joins the endpoints at most this long after it can serve.',
    default: 2,
    flag: { name: 'probe-period', help: 'readinessProbe periodSeconds' },
    helmKey: 'zeroDowntime.readinessProbe.periodSeconds',
    helmSchema: (terms) => terms.int32(1),
    sentinel: { value: 50005 },
  },
  'zeroDowntime.readinessProbe.successThreshold': {
    type: { kind: 'number' },
    doc: 'Consecutive successes before the pod is ready.',
    default: 1,
    flag: { name: 'probe-success-threshold', help: 'readinessProbe successThreshold' },
    helmKey: 'zeroDowntime.readinessProbe.successThreshold',
    helmSchema: (terms) => terms.int32(1),
    sentinel: { value: 50006 },
  },
  'zeroDowntime.readinessProbe.failureThreshold': {
    type: { kind: 'number' },
    doc: 'Consecutive failures before the pod leaves the endpoints.',
    default: 3,
    flag: { name: 'probe-failure-threshold', help: 'readinessProbe failureThreshold' },
    helmKey: 'zeroDowntime.readinessProbe.failureThreshold',
    helmSchema: (terms) => terms.int32(1),
    sentinel: { value: 50007 },
  },
  'zeroDowntime.preStop': {
    type: { kind: 'switch' },
    doc: 'Keeps a terminating pod serving until the router, which reloads every 5 s, has dropped it.',
    flag: { name: 'prestop', help: 'preStop hook (--no-prestop leaves it out)' },
    helmKey: 'zeroDowntime.preStop',
    helmEnabledDoc: 'false leaves the hook out.',
  },
  'zeroDowntime.preStop.action': {
    type: { kind: 'choice', choices: PRE_STOP_ACTIONS },
    doc: 'exec runs /bin/sh -c "sleep N; <shutdownCommand>" (the image needs a shell); sleep is the native sleep action (Kubernetes ≥ 1.30, OpenShift ≥ 4.17), which runs no command.',
    defaultText: 'sleep with kubernetesVersion ≥ 1.30 and no shutdown command, else exec',
    flag: { name: 'prestop-action', help: 'exec (sh -c "sleep N; cmd") or native sleep' },
    helmKey: 'zeroDowntime.preStop.action',
    helmSchema: () => ({ type: 'string', enum: [...PRE_STOP_ACTIONS] }),
  },
  'zeroDowntime.preStop.sleepSeconds': {
    type: { kind: 'number' },
    doc: 'Seconds the terminating pod keeps serving; must be shorter than terminationGracePeriodSeconds.',
    defaultText: `the platform's worst propagation + margin, rounded up (${platformTimings(openshiftRouter()).preStopSeconds} on openshift-router)`,
    flag: { name: 'prestop-sleep', help: 'seconds the old pod keeps serving' },
    helmKey: 'zeroDowntime.preStop.sleepSeconds',
    helmSchema: (terms) => terms.int32(0),
    sentinel: { value: 50008, inText: '%d' },
  },
  'zeroDowntime.preStop.shutdownCommand': {
    type: { kind: 'string' },
    doc: 'Shell command run after the sleep to stop the app gracefully (exec only); empty for none.',
    default: '',
    defaultText: 'none',
    flag: { name: 'shutdown-command', help: 'graceful shutdown command after the sleep ("" for none)' },
    helmKey: 'zeroDowntime.preStop.shutdownCommand',
    helmSchema: () => ({ type: 'string' }),
    sentinel: { value: 'zdd-sentinel-shutdown', inText: '%s' },
  },
  'zeroDowntime.terminationGracePeriodSeconds': {
    type: { kind: 'number' },
    doc: 'Seconds from deletion to SIGKILL, the preStop hook included.',
    defaultText: `the preStop sleep + ${APP_SHUTDOWN_BUDGET_SECONDS} (the app's shutdown budget)`,
    flag: { name: 'grace-period', help: 'terminationGracePeriodSeconds' },
    helmKey: 'zeroDowntime.terminationGracePeriodSeconds',
    helmSchema: (terms) => terms.int32(1),
    sentinel: { value: 50009 },
  },
  'zeroDowntime.rolling': {
    type: { kind: 'part' },
    doc: 'Rolling parameters that never take a ready pod away before its successor is ready.',
    helmKey: 'zeroDowntime.rolling',
  },
  'zeroDowntime.rolling.maxSurge': {
    type: { kind: 'int-or-string' },
    doc: 'Pods above replicas during a rollout: a count (at least 1) or a percentage (rounded up).',
    default: 1,
    flag: { name: 'max-surge', help: 'rolling maxSurge: count or percentage' },
    helmKey: 'zeroDowntime.rolling.maxSurge',
    helmSchema: (terms) => ({ ...terms.int32(1), type: ['integer', 'string'], pattern: '^0*[1-9][0-9]*%$' }),
    sentinel: { value: 50010 },
  },
  'zeroDowntime.rolling.maxUnavailable': {
    type: { kind: 'int-or-string' },
    doc: 'Pods below replicas during a rollout: 0, or a percentage that rounds down to 0 pods.',
    default: 0,
    flag: { name: 'max-unavailable', help: 'rolling maxUnavailable: must come to 0' },
    helmKey: 'zeroDowntime.rolling.maxUnavailable',
    helmSchema: () => ({ type: ['integer', 'string'], minimum: 0, maximum: 0, pattern: '^[0-9]+%$' }),
    // Resolves to 0 pods against the sentinel replicas, as the rule requires.
    sentinel: { value: '00%' },
  },
  'zeroDowntime.podDisruptionBudget': {
    type: { kind: 'boolean' },
    doc: 'A PodDisruptionBudget (maxUnavailable 1) when replicas ≥ 2, so that node drains keep the app serving.',
    default: true,
    flag: { name: 'pdb', help: 'PodDisruptionBudget when replicas ≥ 2' },
    helmKey: 'zeroDowntime.podDisruptionBudget',
    helmSchema: () => ({ type: 'boolean' }),
  },
};

/** The constructs' default of a setting whose default is one value. */
export function settingDefault<P extends SettingPath>(path: P): Exclude<ValueAt<P>, false | object> {
  const value = (SETTINGS[path] as SettingRow<ValueAt<P>>).default;
  if (value === undefined) throw new Error(`settings table: ${path} has no default`);
  return value;
}

/** A row whatever its field's type. */
export interface AnySettingRow extends Omit<SettingRow<never>, 'type' | 'default' | 'sentinel'> {
  readonly type: SettingType;
  readonly default?: string | number | boolean;
  readonly sentinel?: Sentinel<unknown>;
}

/** The rows in table order, each with its path. */
export const SETTING_ROWS = Object.entries(SETTINGS) as ReadonlyArray<readonly [SettingPath, AnySettingRow]>;
