import { z } from 'zod';
import type { SpecLayer } from './setting-paths.js';
import { SETTING_ROWS, type SettingType } from './settings.js';

export type { SpecLayer } from './setting-paths.js';

/**
 * The shape of one settings layer: a preset, a config file, or the CLI flags, made from the settings table
 * (`settings.ts`). Every field is optional; layers are merged in that order. The rules that relate fields to
 * each other (preStop shorter than the grace period, probe on an exposed port, …) live with the constructs
 * that render them.
 */
export const specLayerSchema: z.ZodType<SpecLayer> = partSchema('') as z.ZodType<SpecLayer>;

/** The object at `prefix` ('' for the whole layer): its settings, in table order, each optional. */
function partSchema(prefix: string): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [path, row] of SETTING_ROWS) {
    const key = path.slice(prefix.length);
    if (!path.startsWith(prefix) || key.includes('.')) continue;
    shape[key] = fieldSchema(path, row.type);
  }
  return z.strictObject(shape).partial();
}

function fieldSchema(path: string, type: SettingType): z.ZodType {
  switch (type.kind) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'int-or-string':
      return z.union([z.number(), z.string()]);
    case 'choice':
      return z.enum(type.choices as [string, ...string[]]);
    case 'boolean':
      return z.boolean();
    case 'env':
      return z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
    case 'switch':
      return z.union([z.literal(false), partSchema(`${path}.`)]);
    case 'part':
      return partSchema(`${path}.`);
  }
}
