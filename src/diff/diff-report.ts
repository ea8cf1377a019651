import { isDeepStrictEqual } from 'node:util';
import { isJsonObject, type JsonObject, type JsonValue } from '../input/json-value.js';
import type { ManifestObject } from '../kubernetes/object.js';
import { followsRename } from '../manifests/name-change.js';
import { DEFAULT_PLATFORM, platformProfile } from '../platforms/index.js';
import type { PlatformProfile } from '../platforms/profile.js';
import { explainChange, explainObject } from './explain.js';
import { type FieldChange, fieldChanges } from './field-changes.js';
import { formatDiffPath } from './field-path.js';
import { matchObjects } from './match-objects.js';
import { isWorkload, type WorkloadFacts, workloadFacts } from './rollout-facts.js';
import { routerFacts } from './router-facts.js';

/** One side of a diff: what it is called and its objects. */
export interface DiffSide {
  /** `dist/default.yaml`, or `default (default-app)` for zdd's own variant. */
  readonly label: string;
  readonly objects: readonly ManifestObject[];
}

export interface DiffReport {
  readonly before: string;
  readonly after: string;
  /** The platform the explanations reason with (`--platform`). */
  readonly platform: string;
  readonly objects: readonly ObjectDiff[];
}

export interface ObjectDiff {
  readonly kind: string;
  /** @default - none: only the second side has it */
  readonly before?: string;
  /** @default - none: only the first side has it */
  readonly after?: string;
  readonly status: 'changed' | 'unchanged' | 'added' | 'removed';
  /** Why an added or removed object matters. @default - none: the object is on both sides */
  readonly why?: string;
  /** The object itself, for an added or removed one. @default - none */
  readonly object?: JsonValue;
  readonly fields: readonly FieldDiff[];
  /** Fields that change only because the object's name does (its labels, selectors, references, host). */
  readonly renamed: readonly string[];
}

export interface FieldDiff {
  readonly path: string;
  readonly change: FieldChange['change'];
  /** @default - none: added */
  readonly before?: JsonValue;
  /** @default - none: removed */
  readonly after?: JsonValue;
  readonly why: string;
}

/**
 * What differs between two sides, object by object and field by field, each with why it matters for a rollout on
 * `platform`.
 */
export function diffSides(
  before: DiffSide,
  after: DiffSide,
  platform: PlatformProfile = platformProfile(DEFAULT_PLATFORM),
): DiffReport {
  const router = routerFacts(platform);
  const workloads = { before: sideWorkload(before.objects), after: sideWorkload(after.objects) };
  const objects = matchObjects(before.objects, after.objects).map((pair): ObjectDiff => {
    const kind = pair.kind;
    if (pair.before === undefined || pair.after === undefined) {
      const [object, side] = pair.after
        ? [pair.after, 'added' as const]
        : [pair.before as ManifestObject, 'removed' as const];
      const facts = side === 'added' ? workloads.after : workloads.before;
      return {
        kind,
        ...(side === 'added' ? { after: object.name } : { before: object.name }),
        status: side,
        why: explainObject(jsonOf(object), kind, side, facts),
        object: jsonOf(object),
        fields: [],
        renamed: [],
      };
    }
    const context = {
      kind,
      router,
      before: isWorkload(pair.before) ? workloadFacts(pair.before) : workloads.before,
      after: isWorkload(pair.after) ? workloadFacts(pair.after) : workloads.after,
    };
    const changes = fieldChanges(jsonOf(pair.before), jsonOf(pair.after));
    const [from, to] = [pair.before.name, pair.after.name];
    const renamedItems = renamedListItems(changes, from, to);
    const renamed = changes.filter((change) => renamedItems.has(change) || isRename(change, from, to));
    const fields = changes
      .filter((change) => !renamed.includes(change))
      .map((change) => ({ ...fieldDiff(change), why: explainChange(change, context) }));
    return {
      kind,
      before: pair.before.name,
      after: pair.after.name,
      status: changes.length === 0 ? 'unchanged' : 'changed',
      fields,
      renamed: renamed.map((change) => formatDiffPath(change.path)),
    };
  });
  return { before: before.label, after: after.label, platform: platform.name, objects };
}

/** The side's workload, for what a Service or a PodDisruptionBudget protects; none when it has no or several. */
function sideWorkload(objects: readonly ManifestObject[]): WorkloadFacts | undefined {
  const found = objects.filter(isWorkload);
  return found.length === 1 ? workloadFacts(found[0] as ManifestObject) : undefined;
}

function isRename(change: FieldChange, from: string, to: string): boolean {
  const last = change.path.at(-1);
  return followsRename(typeof last === 'string' ? last : undefined, change.before, change.after, from, to);
}

/**
 * List items matched by a name that follows the object's rename (an HTTPRoute's backendRef to the variant's own
 * Service): the old name's item removed and the new name's added, alike but for the name.
 */
function renamedListItems(changes: readonly FieldChange[], from: string, to: string): Set<FieldChange> {
  const found = new Set<FieldChange>();
  const itemName = (change: FieldChange) => {
    const last = change.path.at(-1);
    return typeof last === 'object' ? last.name : undefined;
  };
  const parent = (change: FieldChange) => JSON.stringify(change.path.slice(0, -1));
  for (const removed of changes.filter((change) => change.change === 'removed')) {
    const name = itemName(removed);
    const before = removed.before;
    if (name === undefined || !isJsonObject(before)) continue;
    const added = changes.find(
      (change) =>
        change.change === 'added' &&
        parent(change) === parent(removed) &&
        followsRename('name', name, itemName(change), from, to) &&
        isDeepStrictEqual({ ...before, name: itemName(change) }, change.after),
    );
    if (added === undefined) continue;
    found.add(removed);
    found.add(added);
  }
  return found;
}

function fieldDiff(change: FieldChange): Omit<FieldDiff, 'why'> {
  return {
    path: formatDiffPath(change.path),
    change: change.change,
    ...(change.before === undefined ? {} : { before: change.before }),
    ...(change.after === undefined ? {} : { after: change.after }),
  };
}

/** An object's value as JSON: what the reader and cdk8s give is JSON data (YAML's extras are not read). */
function jsonOf(object: ManifestObject): JsonObject {
  return object.value as JsonObject;
}
