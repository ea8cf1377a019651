import type { AppChartProps } from '../../spec/app-props.js';
import type { ExposeKind, WorkloadKind } from '../../spec/choices.js';
import { type ChartNames, include } from './helpers.js';

/**
 * The chart's templates are made from the constructs' own output: each variant
 * is rendered with a distinctive value ("sentinel") in every setting, and each
 * place a sentinel comes out becomes a reference to its value. Numbers are
 * distinct and far from any constant the constructs write (1, 100, 8080…).
 */
export const SENTINEL = {
  defaultName: 'zdd-sentinel-default-name',
  zeroDowntimeName: 'zdd-sentinel-zd-name',
  image: 'zdd-sentinel-image:0',
  port: 50001,
  replicas: 50002,
  initialDelaySeconds: 50003,
  timeoutSeconds: 50004,
  periodSeconds: 50005,
  successThreshold: 50006,
  failureThreshold: 50007,
  sleepSeconds: 50008,
  terminationGracePeriodSeconds: 50009,
  maxSurge: 50010,
  // Resolves to 0 pods against the sentinel replicas, as the rule requires.
  maxUnavailable: '00%',
  shutdownCommand: 'zdd-sentinel-shutdown',
  domain: 'zdd-sentinel-domain.example',
  ingressClassName: 'zdd-sentinel-class',
  probePath: '/zdd-sentinel-probe-path',
  // The one scheme no constant uses.
  probeScheme: 'HTTPS',
  env: { ZDD_SENTINEL_ENV: 'zdd-sentinel-env' } as Record<string, string>,
  resources: { requests: { cpu: '50011m', memory: '50012Mi' }, limits: { cpu: '50013m', memory: '50014Mi' } },
} as const;

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

/** Every scalar sentinel and what it becomes. */
export function sentinelBindings(chart: ChartNames): SentinelBinding[] {
  const fullname = include(chart, 'fullname');
  const json = (key: string) => `${valueRef(key)} | toJson`;
  const int = (key: string) => ({ verb: '%d', arg: `(int64 ${valueRef(key)})` }) as const;
  const probe = 'zeroDowntime.readinessProbe';
  return [
    { value: SENTINEL.defaultName, expr: fullname, inText: { verb: '%s', arg: `(${fullname})` } },
    { value: SENTINEL.zeroDowntimeName, expr: fullname, inText: { verb: '%s', arg: `(${fullname})` } },
    { value: SENTINEL.image, expr: json('image') },
    { value: SENTINEL.port, expr: json('port') },
    { value: SENTINEL.replicas, expr: json('replicas') },
    { value: SENTINEL.domain, expr: json('domain'), inText: { verb: '%s', arg: valueRef('domain') } },
    { value: SENTINEL.ingressClassName, expr: json('ingressClassName') },
    { value: SENTINEL.probePath, expr: json(`${probe}.path`) },
    { value: SENTINEL.probeScheme, expr: json(`${probe}.scheme`) },
    { value: SENTINEL.initialDelaySeconds, expr: json(`${probe}.initialDelaySeconds`) },
    { value: SENTINEL.timeoutSeconds, expr: json(`${probe}.timeoutSeconds`) },
    { value: SENTINEL.periodSeconds, expr: json(`${probe}.periodSeconds`) },
    { value: SENTINEL.successThreshold, expr: json(`${probe}.successThreshold`) },
    { value: SENTINEL.failureThreshold, expr: json(`${probe}.failureThreshold`) },
    {
      value: SENTINEL.sleepSeconds,
      expr: json('zeroDowntime.preStop.sleepSeconds'),
      inText: int('zeroDowntime.preStop.sleepSeconds'),
    },
    {
      value: SENTINEL.shutdownCommand,
      expr: json('zeroDowntime.preStop.shutdownCommand'),
      inText: { verb: '%s', arg: valueRef('zeroDowntime.preStop.shutdownCommand') },
    },
    { value: SENTINEL.terminationGracePeriodSeconds, expr: json('zeroDowntime.terminationGracePeriodSeconds') },
    { value: SENTINEL.maxSurge, expr: json('zeroDowntime.rolling.maxSurge') },
    { value: SENTINEL.maxUnavailable, expr: json('zeroDowntime.rolling.maxUnavailable') },
  ];
}

/**
 * The probe's port comes out as the app's port (the constructs allow no other
 * number), so it is recognised by where it is: empty in values means `port`.
 */
export const PROBE_PORT_PATH = ['readinessProbe', 'httpGet', 'port'] as const;
export const PROBE_PORT_EXPR = `${valueRef('zeroDowntime.readinessProbe.port')} | default ${valueRef('port')} | toJson`;

/** The zero-downtime variant with a sentinel in every setting and every part switched on. */
export function sentinelProps(workload: WorkloadKind, expose: ExposeKind): AppChartProps {
  return {
    name: SENTINEL.zeroDowntimeName,
    image: SENTINEL.image,
    port: SENTINEL.port,
    replicas: SENTINEL.replicas,
    env: SENTINEL.env,
    resources: SENTINEL.resources,
    workload,
    expose,
    domain: SENTINEL.domain,
    ingressClassName: SENTINEL.ingressClassName,
    zeroDowntime: {
      readinessProbe: {
        path: SENTINEL.probePath,
        scheme: SENTINEL.probeScheme,
        initialDelaySeconds: SENTINEL.initialDelaySeconds,
        timeoutSeconds: SENTINEL.timeoutSeconds,
        periodSeconds: SENTINEL.periodSeconds,
        successThreshold: SENTINEL.successThreshold,
        failureThreshold: SENTINEL.failureThreshold,
      },
      preStop: { action: 'exec', sleepSeconds: SENTINEL.sleepSeconds, shutdownCommand: SENTINEL.shutdownCommand },
      terminationGracePeriodSeconds: SENTINEL.terminationGracePeriodSeconds,
      rolling: { maxSurge: SENTINEL.maxSurge, maxUnavailable: SENTINEL.maxUnavailable },
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

const zd = (props: AppChartProps) => props.zeroDowntime ?? {};
const truthy = (key: string) => ({ on: valueRef(key), off: `not ${valueRef(key)}` });

export const SWITCHES: readonly Switch[] = [
  {
    name: 'zeroDowntime.enabled',
    ...truthy('zeroDowntime.enabled'),
    props: ({ zeroDowntime: _zd, ...props }) => ({ ...props, name: SENTINEL.defaultName }),
  },
  {
    name: 'zeroDowntime.readinessProbe.enabled',
    ...truthy('zeroDowntime.readinessProbe.enabled'),
    props: (props) => ({ ...props, zeroDowntime: { ...zd(props), readinessProbe: false } }),
  },
  {
    name: 'zeroDowntime.preStop.enabled',
    ...truthy('zeroDowntime.preStop.enabled'),
    props: (props) => ({ ...props, zeroDowntime: { ...zd(props), preStop: false } }),
  },
  {
    name: 'zeroDowntime.preStop.action',
    on: `ne ${valueRef('zeroDowntime.preStop.action')} "sleep"`,
    off: `eq ${valueRef('zeroDowntime.preStop.action')} "sleep"`,
    props: (props) => ({
      ...props,
      zeroDowntime: {
        ...zd(props),
        preStop: { action: 'sleep', sleepSeconds: SENTINEL.sleepSeconds, shutdownCommand: '' },
      },
    }),
  },
  {
    name: 'zeroDowntime.preStop.shutdownCommand',
    ...truthy('zeroDowntime.preStop.shutdownCommand'),
    props: (props) => ({
      ...props,
      zeroDowntime: {
        ...zd(props),
        preStop: { action: 'exec', sleepSeconds: SENTINEL.sleepSeconds, shutdownCommand: '' },
      },
    }),
  },
  {
    name: 'zeroDowntime.podDisruptionBudget',
    // The constructs add a budget only from 2 replicas: one pod alone could never be evicted under it.
    on: `and ${valueRef('zeroDowntime.podDisruptionBudget')} (ge (int64 ${valueRef('replicas')}) 2)`,
    off: `not (and ${valueRef('zeroDowntime.podDisruptionBudget')} (ge (int64 ${valueRef('replicas')}) 2))`,
    props: (props) => ({ ...props, zeroDowntime: { ...zd(props), podDisruptionBudget: false } }),
  },
  {
    name: 'domain',
    ...truthy('domain'),
    props: ({ domain: _domain, ...props }) => (props.expose === 'ingress' ? undefined : props),
  },
  {
    name: 'ingressClassName',
    ...truthy('ingressClassName'),
    props: ({ ingressClassName: _class, ...props }) => props,
  },
  { name: 'env', ...truthy('env'), props: (props) => ({ ...props, env: {} }) },
];
