import type { Argv, Options } from 'yargs';
import { cutText, UsageError } from '../../runtime/errors.js';
import type { SettingPath, SpecLayer } from '../../spec/setting-paths.js';
import { SETTING_ROWS, type SettingType } from '../../spec/settings.js';

/**
 * The flags that set the app's settings, one per setting of the table in
 * src/spec/settings.ts that has one. Commands that synthesize share them.
 */
interface SpecFlag {
  readonly field: SettingPath;
  readonly kind: SettingType;
  readonly describe: string;
}

/** In the table's order, which is the order they are applied: a switch comes before the fields below it. */
export const SPEC_FLAGS: Readonly<Record<string, SpecFlag>> = Object.fromEntries(
  SETTING_ROWS.flatMap(([field, { type, flag }]) =>
    flag === undefined ? [] : [[flag.name, { field, kind: type, describe: flag.help }] as const],
  ),
);

/** The flag of a setting that has one. */
function flagOf(field: SettingPath): string {
  const entry = Object.entries(SPEC_FLAGS).find(([, flag]) => flag.field === field);
  if (entry === undefined) throw new Error(`settings table: ${field} has no flag`);
  return entry[0];
}

/**
 * Adds the settings flags to a command, under one heading in --help. Their
 * values are read back with `layerFromFlags`, so the command's own option
 * types stay as yargs infers them.
 */
export function withSpecFlags<T>(y: Argv<T>): Argv<T> {
  for (const [flag, { kind, describe }] of Object.entries(SPEC_FLAGS)) {
    const option: Options = { describe, group: 'Settings (override the preset and --config):' };
    if (kind.kind === 'switch' || kind.kind === 'boolean') option.type = 'boolean';
    else if (kind.kind === 'env') option.type = 'array';
    else option.type = 'string';
    // Shown as [number] in --help, still read as typed (the string type wins when parsing): parseFlag checks it.
    if (kind.kind === 'number') option.number = true;
    if (kind.kind === 'choice') option.choices = [...kind.choices];
    if (kind.kind === 'env') option.string = true;
    y.option(flag, option);
  }
  return y;
}

/** Fields a flag sets besides its own: `--gateway NAME/NAMESPACE` sets the Gateway's namespace too. */
const ALSO_SET_BY: Readonly<Record<string, SettingPath>> = { 'gateway.namespace': 'gateway.name' };

/**
 * `--prestop-sleep` for `zeroDowntime.preStop.sleepSeconds`, for error
 * messages; a field below a flag's (`env.FOO`) gets that flag (`--env`).
 */
export function flagForField(field: string): string | undefined {
  const start: string = ALSO_SET_BY[field] ?? field;
  for (let path = start; path !== ''; path = path.slice(0, Math.max(0, path.lastIndexOf('.')))) {
    const entry = Object.entries(SPEC_FLAGS).find(([, flag]) => flag.field === path);
    if (entry) return `--${entry[0]}`;
  }
  return undefined;
}

/** The settings flags given in `argv`, as typed: `--replicas`, `--no-prestop`. */
export function givenSpecFlags(argv: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(SPEC_FLAGS)
    .filter((flag) => argv[flag] !== undefined)
    .map((flag) => (argv[flag] === false && SPEC_FLAGS[flag]?.kind.kind === 'switch' ? `--no-${flag}` : `--${flag}`));
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
  const action = flagOf('zeroDowntime.preStop.action');
  const shutdown = 'zeroDowntime.preStop.shutdownCommand';
  if (argv[action] === 'sleep' && argv[flagOf(shutdown)] === undefined) setField(layer, shutdown, action, '');
  splitGatewayFlag(layer);
  return layer as SpecLayer;
}

/**
 * `--gateway NAME/NAMESPACE`: the part after the first "/" is the Gateway's namespace. Without one the
 * namespace is whatever the other layers say (the HTTPRoute's own by default).
 */
function splitGatewayFlag(layer: Record<string, unknown>): void {
  const flag = flagOf('gateway.name');
  const gateway = layer.gateway as { name?: unknown } | undefined;
  const text = gateway?.name;
  if (typeof text !== 'string' || !text.includes('/')) return;
  const at = text.indexOf('/');
  setField(layer, 'gateway.name', flag, text.slice(0, at));
  setField(layer, 'gateway.namespace', flag, text.slice(at + 1));
}

function parseFlag(flag: string, kind: SettingType, raw: unknown): unknown {
  const text = String(raw);
  switch (kind.kind) {
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
