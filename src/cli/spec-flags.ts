import type { Argv, Options } from 'yargs';
import { cutText, UsageError } from '../errors.js';
import { EXPOSE_KINDS, PRE_STOP_ACTIONS, PRESET_NAMES, WORKLOAD_KINDS } from '../spec/choices.js';
import type { SpecLayer } from '../spec/schema.js';

/**
 * The flags that set the app's settings, one per field of the config file.
 * Commands that synthesize (synth, and later compare) share them.
 */
type Kind =
  | { type: 'string' }
  | { type: 'number' }
  /** A number if it is all digits, else a string ("25%", "http"). */
  | { type: 'int-or-string' }
  | { type: 'choice'; choices: readonly string[] }
  /** Switches a setting on (`{}`, keeping its fields) or off (`false`). */
  | { type: 'switch' }
  | { type: 'boolean' }
  /** Repeatable KEY=VALUE. */
  | { type: 'env' };

interface SpecFlag {
  readonly field: string;
  readonly kind: Kind;
  readonly describe: string;
}

const str = { type: 'string' } as const;
const num = { type: 'number' } as const;
const intOrString = { type: 'int-or-string' } as const;
const choice = (choices: readonly string[]): Kind => ({ type: 'choice', choices });

const PROBE = 'zeroDowntime.readinessProbe';
const PRE_STOP = 'zeroDowntime.preStop';

/** In the order they are applied: a switch comes before the fields below it. */
export const SPEC_FLAGS: Readonly<Record<string, SpecFlag>> = {
  preset: { field: 'preset', kind: choice(PRESET_NAMES), describe: 'starting settings (default: the sample app)' },
  'name-default': { field: 'names.default', kind: str, describe: 'object name of the default variant' },
  'name-zero-downtime': {
    field: 'names.zeroDowntime',
    kind: str,
    describe: 'object name of the zero-downtime variant',
  },
  image: { field: 'image', kind: str, describe: 'container image of the app' },
  port: { field: 'port', kind: num, describe: 'port the app listens on' },
  replicas: { field: 'replicas', kind: num, describe: 'pods per variant' },
  env: { field: 'env', kind: { type: 'env' }, describe: 'environment variable KEY=VALUE (repeatable)' },
  'cpu-request': { field: 'resources.requests.cpu', kind: str, describe: 'CPU request, e.g. 100m' },
  'memory-request': { field: 'resources.requests.memory', kind: str, describe: 'memory request, e.g. 128Mi' },
  'cpu-limit': { field: 'resources.limits.cpu', kind: str, describe: 'CPU limit, e.g. 500m' },
  'memory-limit': { field: 'resources.limits.memory', kind: str, describe: 'memory limit, e.g. 256Mi' },
  workload: { field: 'workload', kind: choice(WORKLOAD_KINDS), describe: 'workload kind' },
  expose: { field: 'expose', kind: choice(EXPOSE_KINDS), describe: 'how the app is reached' },
  domain: { field: 'domain', kind: str, describe: 'host becomes <name>.<domain> (required with --expose ingress)' },
  'ingress-class': { field: 'ingressClassName', kind: str, describe: 'IngressClass of the Ingress' },
  'readiness-probe': {
    field: PROBE,
    kind: { type: 'switch' },
    describe: 'readinessProbe (--no-readiness-probe leaves it out)',
  },
  'probe-path': { field: `${PROBE}.path`, kind: str, describe: 'readinessProbe HTTP path' },
  'probe-port': { field: `${PROBE}.port`, kind: intOrString, describe: 'readinessProbe port: number or "http"' },
  'probe-scheme': { field: `${PROBE}.scheme`, kind: choice(['HTTP', 'HTTPS']), describe: 'readinessProbe scheme' },
  'probe-initial-delay': {
    field: `${PROBE}.initialDelaySeconds`,
    kind: num,
    describe: 'readinessProbe initialDelaySeconds',
  },
  'probe-timeout': { field: `${PROBE}.timeoutSeconds`, kind: num, describe: 'readinessProbe timeoutSeconds' },
  'probe-period': { field: `${PROBE}.periodSeconds`, kind: num, describe: 'readinessProbe periodSeconds' },
  'probe-success-threshold': {
    field: `${PROBE}.successThreshold`,
    kind: num,
    describe: 'readinessProbe successThreshold',
  },
  'probe-failure-threshold': {
    field: `${PROBE}.failureThreshold`,
    kind: num,
    describe: 'readinessProbe failureThreshold',
  },
  prestop: { field: PRE_STOP, kind: { type: 'switch' }, describe: 'preStop hook (--no-prestop leaves it out)' },
  'prestop-action': {
    field: `${PRE_STOP}.action`,
    kind: choice(PRE_STOP_ACTIONS),
    describe: 'exec (sh -c "sleep N; cmd") or native sleep',
  },
  'prestop-sleep': { field: `${PRE_STOP}.sleepSeconds`, kind: num, describe: 'seconds the old pod keeps serving' },
  'shutdown-command': {
    field: `${PRE_STOP}.shutdownCommand`,
    kind: str,
    describe: 'graceful shutdown command after the sleep ("" for none)',
  },
  'grace-period': {
    field: 'zeroDowntime.terminationGracePeriodSeconds',
    kind: num,
    describe: 'terminationGracePeriodSeconds',
  },
  'max-surge': {
    field: 'zeroDowntime.rolling.maxSurge',
    kind: intOrString,
    describe: 'rolling maxSurge: count or percentage',
  },
  'max-unavailable': {
    field: 'zeroDowntime.rolling.maxUnavailable',
    kind: intOrString,
    describe: 'rolling maxUnavailable: must come to 0',
  },
  pdb: {
    field: 'zeroDowntime.podDisruptionBudget',
    kind: { type: 'boolean' },
    describe: 'PodDisruptionBudget when replicas ≥ 2',
  },
};

/**
 * Adds the settings flags to a command, under one heading in --help. Their
 * values are read back with `layerFromFlags`, so the command's own option
 * types stay as yargs infers them.
 */
export function withSpecFlags<T>(y: Argv<T>): Argv<T> {
  for (const [flag, { kind, describe }] of Object.entries(SPEC_FLAGS)) {
    const option: Options = { describe, group: 'Settings (override the preset and --config):' };
    if (kind.type === 'switch' || kind.type === 'boolean') option.type = 'boolean';
    else if (kind.type === 'env') option.type = 'array';
    else option.type = 'string';
    // Shown as [number] in --help, still read as typed (the string type wins when parsing): parseFlag checks it.
    if (kind.type === 'number') option.number = true;
    if (kind.type === 'choice') option.choices = [...kind.choices];
    if (kind.type === 'env') option.string = true;
    y.option(flag, option);
  }
  return y;
}

/**
 * `--prestop-sleep` for `zeroDowntime.preStop.sleepSeconds`, for error
 * messages; a field below a flag's (`env.FOO`) gets that flag (`--env`).
 */
export function flagForField(field: string): string | undefined {
  for (let path = field; path !== ''; path = path.slice(0, Math.max(0, path.lastIndexOf('.')))) {
    const entry = Object.entries(SPEC_FLAGS).find(([, flag]) => flag.field === path);
    if (entry) return `--${entry[0]}`;
  }
  return undefined;
}

/** The settings flags given in `argv`, as typed: `--replicas`, `--no-prestop`. */
export function givenSpecFlags(argv: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(SPEC_FLAGS)
    .filter((flag) => argv[flag] !== undefined)
    .map((flag) => (argv[flag] === false && SPEC_FLAGS[flag]?.kind.type === 'switch' ? `--no-${flag}` : `--${flag}`));
}

/** The settings layer the flags in `argv` describe. */
export function layerFromFlags(argv: Readonly<Record<string, unknown>>): SpecLayer {
  const layer: Record<string, unknown> = {};
  for (const [flag, { field, kind }] of Object.entries(SPEC_FLAGS)) {
    const raw = argv[flag];
    if (raw === undefined) continue;
    setField(layer, field, flag, parseFlag(flag, kind, raw));
  }
  // The native sleep action runs no command: choosing it on the command line
  // drops the preset's shutdown command unless one is given too.
  if (argv['prestop-action'] === 'sleep' && argv['shutdown-command'] === undefined) {
    setField(layer, `${PRE_STOP}.shutdownCommand`, 'prestop-action', '');
  }
  return layer as SpecLayer;
}

function parseFlag(flag: string, kind: Kind, raw: unknown): unknown {
  const text = String(raw);
  switch (kind.type) {
    case 'number':
      if (!/^[-+]?\d+(\.\d+)?$/.test(text.trim())) {
        throw new UsageError(`--${flag}: expected a number, got ${JSON.stringify(cutText(text))}`);
      }
      // Beyond this, Number() rounds what was typed; no setting takes such a value anyway.
      if (!Number.isSafeInteger(Math.trunc(Number(text)))) {
        throw new UsageError(
          `--${flag}: expected a number up to ${Number.MAX_SAFE_INTEGER}, got ${cutText(text.trim())}`,
        );
      }
      return Number(text);
    case 'int-or-string':
      return /^\d+$/.test(text) ? Number(text) : text;
    case 'switch':
      return raw === true ? {} : false;
    case 'env':
      return Object.fromEntries(
        (raw as unknown[]).map((item) => {
          const pair = String(item);
          const at = pair.indexOf('=');
          if (at < 1) throw new UsageError(`--${flag}: expected KEY=VALUE, got ${JSON.stringify(pair)}`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
      );
    case 'boolean':
      return raw;
    default:
      return text;
  }
}

function setField(layer: Record<string, unknown>, field: string, flag: string, value: unknown): void {
  const keys = field.split('.');
  let node = layer;
  for (const [depth, key] of keys.slice(0, -1).entries()) {
    if (node[key] === false) {
      const off = flagForField(keys.slice(0, depth + 1).join('.'))?.replace(/^--/, '--no-');
      throw new UsageError(`--${flag} cannot be combined with ${off}`);
    }
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  node[last] = value;
}
