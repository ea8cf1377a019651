import type { JsonObject } from '../../input/json-value.js';
import type { PlatformName } from '../../platforms/names.js';
import type { AppChartProps } from '../../spec/app-props.js';
import type { AppSpec } from '../../spec/app-spec.js';
import type { ExposeKind, WorkloadKind } from '../../spec/choices.js';
import { type SettingPath, setAtPath, type ValueAt } from '../../spec/setting-paths.js';
import { SETTING_ROWS, SETTINGS, type SettingRow } from '../../spec/settings.js';
import { type ChartNames, include } from './helpers.js';

/**
 * The chart's templates are made from the constructs' own output: each variant
 * is rendered with a distinctive value ("sentinel") in every setting, and each
 * place a sentinel comes out becomes a reference to its value. The sentinels are
 * declared with the settings (src/spec/settings.ts). Numbers are distinct and
 * far from any constant the constructs write (1, 100, 8080…).
 */
function sentinel<P extends SettingPath>(path: P): Exclude<ValueAt<P>, false> {
  const value = (SETTINGS[path] as SettingRow<ValueAt<P>>).sentinel?.value;
  if (value === undefined) throw new Error(`settings table: ${path} has no sentinel`);
  return value;
}

/** The sentinels templatize recognises beyond the scalars of `sentinelBindings`. */
export const SENTINEL = {
  defaultName: sentinel('names.default'),
  zeroDowntimeName: sentinel('names.zeroDowntime'),
  port: sentinel('port'),
  sleepSeconds: sentinel('zeroDowntime.preStop.sleepSeconds'),
  env: sentinel('env'),
  // As JSON: templatize matches it against the rendered objects.
  resources: sentinel('resources') as JsonObject,
};

/** A value reference in a template: `.Values.zeroDowntime.enabled`. */
export function valueRef(key: string): string {
  return `.Values.${key}`;
}

/** What one sentinel stands for in a template. */
export interface SentinelBinding {
  readonly value: string | number;
  /** The pipeline that writes the value as a whole scalar. */
  readonly expr: string;
  /** For a sentinel inside a longer string: the printf verb and argument. @default - never inside a string */
  readonly inText?: { readonly verb: '%s' | '%d'; readonly arg: string };
}

/** Every scalar sentinel of the settings table and what it becomes. */
export function sentinelBindings(chart: ChartNames): SentinelBinding[] {
  const fullname = include(chart, 'fullname');
  return SETTING_ROWS.flatMap(([path, { sentinel, helmKey }]): SentinelBinding[] => {
    const value = sentinel?.value;
    if (sentinel === undefined || (typeof value !== 'string' && typeof value !== 'number')) return [];
    if (sentinel.fullname) return [{ value, expr: fullname, inText: { verb: '%s', arg: `(${fullname})` } }];
    if (helmKey === undefined) throw new Error(`settings table: ${path} has a sentinel but no Helm value`);
    const expr = `${valueRef(helmKey)} | toJson`;
    if (sentinel.inText === undefined) return [{ value, expr }];
    const arg = sentinel.inText === '%d' ? `(int64 ${valueRef(helmKey)})` : valueRef(helmKey);
    return [{ value, expr, inText: { verb: sentinel.inText, arg } }];
  });
}

/**
 * The probe's port comes out as the app's port (the constructs allow no other
 * number), so it is recognised by where it is: empty in values means `port`.
 */
export const PROBE_PORT_PATH = ['readinessProbe', 'httpGet', 'port'] as const;
export const PROBE_PORT_EXPR = `${ref('zeroDowntime.readinessProbe.port')} | default ${ref('port')} | toJson`;

/**
 * The zero-downtime variant with a sentinel in every setting and every part switched on, on `platform` (the chart
 * is made for one: a sidecar's drain annotation, for one, follows the preStop sleep's value).
 */
export function sentinelProps(workload: WorkloadKind, expose: ExposeKind, platform: PlatformName): AppChartProps {
  const tree: Record<string, unknown> = {};
  for (const [path, row] of SETTING_ROWS) {
    if (row.sentinel !== undefined) setAtPath(tree, path, row.sentinel.value);
  }
  const { names: _names, zeroDowntime, ...app } = tree as unknown as AppSpec;
  return {
    ...app,
    name: SENTINEL.zeroDowntimeName,
    workload,
    expose,
    platform,
    zeroDowntime: {
      ...zeroDowntime,
      // The one action with a command (the sleep action is a switch below), and a budget at any replicas.
      preStop: { action: 'exec', ...(zeroDowntime.preStop || {}) },
      podDisruptionBudget: true,
    },
  };
}

/**
 * A value that changes the objects' shape, not just a scalar: the template
 * writes what the sentinel rendering has under `on`, and what the rendering
 * with the switch off (`off`) has instead under its negation.
 */
export interface Switch {
  readonly name: string;
  readonly on: string;
  readonly off: string;
  /** The sentinel props with this switch off; undefined where it does not apply (an Ingress needs its domain). */
  readonly props: (props: AppChartProps) => AppChartProps | undefined;
}

/** A setting's Helm value, by its path in the settings table. */
function helmKeyOf(path: SettingPath): string {
  const key = SETTINGS[path].helmKey;
  if (key === undefined) throw new Error(`settings table: ${path} has no Helm value`);
  return key;
}

/** A reference to a setting's Helm value: `.Values.replicas`. */
function ref(path: SettingPath): string {
  return valueRef(helmKeyOf(path));
}

/** The `enabled` value of a part the chart can switch off. */
const enabled = (path: SettingPath) => `${helmKeyOf(path)}.enabled`;

const zd = (props: AppChartProps) => props.zeroDowntime ?? {};
const truthy = (key: string) => ({ on: valueRef(key), off: `not ${valueRef(key)}` });

export const SWITCHES: readonly Switch[] = [
  {
    name: enabled('zeroDowntime'),
    ...truthy(enabled('zeroDowntime')),
    props: ({ zeroDowntime: _zd, ...props }) => ({ ...props, name: SENTINEL.defaultName }),
  },
  {
    name: enabled('zeroDowntime.readinessProbe'),
    ...truthy(enabled('zeroDowntime.readinessProbe')),
    props: (props) => ({ ...props, zeroDowntime: { ...zd(props), readinessProbe: false } }),
  },
  {
    name: enabled('zeroDowntime.preStop'),
    ...truthy(enabled('zeroDowntime.preStop')),
    props: (props) => ({ ...props, zeroDowntime: { ...zd(props), preStop: false } }),
  },
  {
    name: helmKeyOf('zeroDowntime.preStop.action'),
    on: `ne ${ref('zeroDowntime.preStop.action')} "sleep"`,
    off: `eq ${ref('zeroDowntime.preStop.action')} "sleep"`,
    props: (props) => ({
      ...props,
      zeroDowntime: {
        ...zd(props),
        preStop: { action: 'sleep', sleepSeconds: SENTINEL.sleepSeconds, shutdownCommand: '' },
      },
    }),
  },
  {
    name: helmKeyOf('zeroDowntime.preStop.shutdownCommand'),
    ...truthy(helmKeyOf('zeroDowntime.preStop.shutdownCommand')),
    props: (props) => ({
      ...props,
      zeroDowntime: {
        ...zd(props),
        preStop: { action: 'exec', sleepSeconds: SENTINEL.sleepSeconds, shutdownCommand: '' },
      },
    }),
  },
  {
    name: helmKeyOf('zeroDowntime.podDisruptionBudget'),
    // The constructs add a budget only from 2 replicas: one pod alone could never be evicted under it.
    on: `and ${ref('zeroDowntime.podDisruptionBudget')} (ge (int64 ${ref('replicas')}) 2)`,
    off: `not (and ${ref('zeroDowntime.podDisruptionBudget')} (ge (int64 ${ref('replicas')}) 2))`,
    props: (props) => ({ ...props, zeroDowntime: { ...zd(props), podDisruptionBudget: false } }),
  },
  {
    name: helmKeyOf('domain'),
    ...truthy(helmKeyOf('domain')),
    props: ({ domain: _domain, ...props }) =>
      props.expose === 'ingress' || props.expose === 'gateway' ? undefined : props,
  },
  {
    name: helmKeyOf('ingressClassName'),
    ...truthy(helmKeyOf('ingressClassName')),
    props: ({ ingressClassName: _class, ...props }) => props,
  },
  {
    name: helmKeyOf('gateway.namespace'),
    ...truthy(helmKeyOf('gateway.namespace')),
    props: ({ gateway, ...props }) => ({ ...props, ...(gateway && { gateway: { name: gateway.name } }) }),
  },
  { name: helmKeyOf('env'), ...truthy(helmKeyOf('env')), props: (props) => ({ ...props, env: {} }) },
];
