import type { AppSpec } from './app-spec.js';
import type { PresetName } from './choices.js';

/** A part that a layer may switch off with `false` is an object in every other layer. */
type Part<T> = NonNullable<Exclude<T, false>>;

/** A map from any key (env) is one setting, not a part with fields of its own. */
type IsRecord<T> = string extends keyof T ? true : false;

/** Every field of T and its parts, as a dotted path: `zeroDowntime.preStop.sleepSeconds`. */
type PathsOf<T, Prefix extends string = ''> = {
  [K in keyof T & string]-?:
    | `${Prefix}${K}`
    | (Part<T[K]> extends infer V
        ? V extends object
          ? IsRecord<V> extends true
            ? never
            : PathsOf<V, `${Prefix}${K}.`>
          : never
        : never);
}[keyof T & string];

/** What every layer (preset, config file, flags) may hold: any field of an `AppSpec`, plus the preset. */
export interface SpecRoot extends AppSpec {
  /** @default 'default' */
  readonly preset?: PresetName;
}

/** The path of a setting in the `AppSpec`, which is also its key in the config file. */
export type SettingPath = PathsOf<SpecRoot>;

/** The type of the value at a path, `false` included where the part can be switched off. */
export type ValueAt<P extends string, T = SpecRoot> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof T
    ? ValueAt<Rest, Part<T[K]>>
    : never
  : P extends keyof T
    ? NonNullable<T[P]>
    : never;

/** Every field optional at every depth, `false` kept where a part can be switched off. */
export type DeepPartial<T> = T extends object
  ? IsRecord<T> extends true
    ? T
    : { readonly [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/** One layer of settings, as written in a config file or given as flags. */
export type SpecLayer = DeepPartial<SpecRoot>;

/** The value at a dotted path of a plain object tree, if every object on the way is there. */
export function valueAtPath(tree: unknown, path: string): unknown {
  let node = tree;
  for (const key of path.split('.')) {
    node =
      typeof node === 'object' && node !== null && !Array.isArray(node)
        ? (node as Record<string, unknown>)[key]
        : undefined;
  }
  return node;
}

/** Sets the value at a dotted path of a plain object tree, making the objects on the way. */
export function setAtPath(tree: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    node[key] = typeof child === 'object' && child !== null ? child : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}
