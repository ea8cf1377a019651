/**
 * What differs between the two variants' manifests once their names are set
 * aside: the settings a reviewer should look at (readinessProbe, preStop, grace
 * period, rolling parameters, the PodDisruptionBudget). Pure.
 */
import { stringify } from 'yaml';
import { formatPath } from '../kubernetes/object.js';
import { objectDifferences } from '../kubernetes/object-diff.js';
import { renderedObjects } from '../kubernetes/read-manifests.js';

/** One setting that differs: where, and its value in each variant (absent: not set). */
export interface SettingDifference {
  /** The object's kind, e.g. `DeploymentConfig`. */
  readonly kind: string;
  /** Dotted path inside the object, e.g. `spec.template.spec.containers[0].readinessProbe`; empty: the whole object. */
  readonly path: string;
  /** The default variant's value; absent when it does not set it (or has no such object). */
  readonly default?: unknown;
  /** The zero-downtime variant's value; absent likewise. */
  readonly zeroDowntime?: unknown;
}

/** An object of a variant with its names replaced by placeholders. */
interface Normalized {
  readonly kind: string;
  readonly value: unknown;
}

/**
 * The top-most paths where the two variants' objects differ, object kind by
 * kind, after replacing each variant's name and its `zdd/variant` label value
 * by the same placeholder (they always differ, and say nothing).
 */
export function variantDelta(
  variants: { readonly default: string; readonly zeroDowntime: string },
  names: { readonly default: string; readonly zeroDowntime: string },
): SettingDifference[] {
  // Each variant's objects as the model's reader reads them, names and labels set aside.
  const normalize = (yaml: string, name: string, label: string): Normalized[] =>
    renderedObjects({ fileName: `${label}.yaml`, yaml }).map((object) => ({
      kind: object.kind,
      value: replaceStrings(
        object.value,
        new Map([
          [name, '<name>'],
          [label, '<variant>'],
        ]),
      ),
    }));
  const before = normalize(variants.default, names.default, 'default');
  const after = normalize(variants.zeroDowntime, names.zeroDowntime, 'zero-downtime');
  const kinds = [...new Set([...before, ...after].map((object) => object.kind))];
  return kinds.flatMap((kind) => {
    const a = before.find((object) => object.kind === kind)?.value;
    const b = after.find((object) => object.kind === kind)?.value;
    // An object only one variant has is shown by its spec: its kind, name and labels say nothing more.
    const [from, to, root] = a === undefined || b === undefined ? [specOf(a), specOf(b), ['spec']] : [a, b, []];
    const walk = objectDifferences(from, to, { listsByName: false, sortKeys: true }, root);
    return walk.map(({ path, before: valueA, after: valueB }) => ({
      kind,
      path: formatPath(path.map((segment) => (typeof segment === 'string' ? segment : segment.index))),
      ...(valueA !== undefined && { default: valueA }),
      ...(valueB !== undefined && { zeroDowntime: valueB }),
    }));
  });
}

/** A setting's value in a line: `not set`, a scalar as is, a collection in YAML flow style. */
export function formatSetting(value: unknown): string {
  if (value === undefined) return 'not set';
  if (typeof value !== 'object' || value === null) return String(value);
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim();
}

function specOf(object: unknown): unknown {
  return (object as { spec?: unknown } | undefined)?.spec;
}

function replaceStrings(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return replacements.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, replacements));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceStrings(item, replacements)]));
  }
  return value;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
