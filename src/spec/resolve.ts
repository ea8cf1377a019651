import type { AppSpec } from './app-spec.js';
import type { PresetName } from './choices.js';
import { PRESETS } from './presets.js';
import type { SpecLayer } from './schema.js';
import { settingDefault } from './settings.js';

/**
 * Merges the layers over the preset that the last of them names (default:
 * `default`). Objects merge key by key; any other value, `false` included,
 * replaces what was below it. The platform is always named: the default one
 * when no layer names it.
 */
export function resolveSpec(layers: readonly SpecLayer[]): AppSpec {
  const preset = layers.reduce<PresetName>((name, layer) => layer.preset ?? name, 'default');
  const merged = layers.reduce<unknown>(
    (spec, { preset: _preset, ...layer }) => mergeDeep(spec, layer),
    PRESETS[preset],
  ) as Omit<AppSpec, 'platform'> & Partial<Pick<AppSpec, 'platform'>>;
  return merged.platform === undefined
    ? { ...merged, platform: settingDefault('platform') }
    : { ...merged, platform: merged.platform };
}

function mergeDeep(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = mergeDeep(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
