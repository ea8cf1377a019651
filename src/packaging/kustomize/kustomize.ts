import type { JsonObject, JsonValue } from '../../input/json-value.js';
import { type ManifestObject, objectName as objectId } from '../../kubernetes/object.js';
import { followsRename } from '../../manifests/name-change.js';
import type { GeneratedFile } from '../generated-file.js';
import { yamlText } from '../yaml-text.js';
import { type JsonPatchOperation, jsonPatch } from './json-patch.js';

/** The two variants, as the constructs rendered them. */
export interface VariantObjects {
  readonly names: { readonly default: string; readonly zeroDowntime: string };
  readonly default: readonly ManifestObject[];
  readonly zeroDowntime: readonly ManifestObject[];
}

export const BASE_FOLDER = 'base';
export const OVERLAY_FOLDER = 'overlays/zero-downtime';

const KUSTOMIZATION = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' } as const;

/**
 * A kustomize base holding the default variant and an overlay holding only what
 * the zero-downtime variant changes. The overlay's patches are JSON 6902: a
 * strategic merge of a DeploymentConfig (not in kustomize's schema) would
 * replace its container list instead of merging into it. Each changed object
 * gets a patch of the settings (`settings/<kind>.yaml`) and one of the name
 * changes that follow from the variant's own name (`names/<kind>.yaml`:
 * metadata.name, labels, selectors, references, an Ingress host).
 */
export function kustomizeFiles(variants: VariantObjects): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  const baseResources: string[] = [];
  for (const object of variants.default) {
    const file = `${fileStem(object, variants.default)}.yaml`;
    baseResources.push(file);
    files.push({ path: `${BASE_FOLDER}/${file}`, content: yamlText([], bodyOf(object)) });
  }
  files.push({
    path: `${BASE_FOLDER}/kustomization.yaml`,
    content: yamlText(
      [
        `The default variant (${variants.names.default}): the platform's defaults, the objects of default.yaml.`,
        `kubectl kustomize ${BASE_FOLDER} prints them; ${OVERLAY_FOLDER} adds the zero-downtime settings.`,
      ],
      { ...KUSTOMIZATION, resources: baseResources },
    ),
  });

  const overlayResources = ['../../base'];
  const settingsPatches: JsonObject[] = [];
  const namePatches: JsonObject[] = [];
  for (const after of variants.zeroDowntime) {
    const before = matchingObject(after, variants.default);
    const stem = fileStem(after, variants.zeroDowntime);
    if (before === undefined) {
      overlayResources.push(`${stem}.yaml`);
      files.push({
        path: `${OVERLAY_FOLDER}/${stem}.yaml`,
        content: yamlText([`Only in the zero-downtime variant.`], bodyOf(after)),
      });
      continue;
    }
    const operations = jsonPatch(bodyOf(before), bodyOf(after));
    const renames = operations.filter((operation) => isRename(operation, variants.names));
    const settings = operations.filter((operation) => !renames.includes(operation));
    const target = patchTarget(before);
    for (const [folder, subset, list, comment] of [
      ['settings', settings, settingsPatches, `the zero-downtime settings of ${objectId(before)}`],
      ['names', renames, namePatches, `${objectId(before)} → ${objectId(after)}`],
    ] as const) {
      if (subset.length === 0) continue;
      const path = `${folder}/${stem}.yaml`;
      list.push({ path, target: { ...target } });
      files.push({
        path: `${OVERLAY_FOLDER}/${path}`,
        content: yamlText([`JSON 6902 patch: ${comment}.`], subset.map(patchOperation)),
      });
    }
  }
  for (const before of variants.default) {
    if (matchingObject(before, variants.zeroDowntime) === undefined) {
      // The constructs never drop an object in the zero-downtime variant; a patch could not say it readably.
      throw new Error(`kustomize overlay: ${objectId(before)} is not in the zero-downtime variant`);
    }
  }
  files.push({
    path: `${OVERLAY_FOLDER}/kustomization.yaml`,
    content: yamlText(
      [
        `The zero-downtime variant (${variants.names.zeroDowntime}): the default variant of ../../base`,
        'with the zero-downtime settings (settings/) and its own names (names/), the objects of zero-downtime.yaml.',
        'Settings patches come first: they find each object by its base name.',
      ],
      { ...KUSTOMIZATION, resources: overlayResources, patches: [...settingsPatches, ...namePatches] },
    ),
  });
  return files;
}

/** The object of the same kind on the other side: each variant has one object per kind. */
function matchingObject(object: ManifestObject, others: readonly ManifestObject[]): ManifestObject | undefined {
  return others.find((other) => other.kind === object.kind);
}

/** `deploymentconfig`, or `deploymentconfig-<name>` should a variant hold two of a kind. */
function fileStem(object: ManifestObject, all: readonly ManifestObject[]): string {
  const kind = object.kind.toLowerCase();
  return all.filter((other) => other.kind === object.kind).length > 1 ? `${kind}-${object.name}` : kind;
}

/** A `replace` that only follows the variant's name (see `followsRename`). */
function isRename(operation: JsonPatchOperation, names: VariantObjects['names']): boolean {
  const key = operation.path
    .slice(operation.path.lastIndexOf('/') + 1)
    .replaceAll('~1', '/')
    .replaceAll('~0', '~');
  return (
    operation.op === 'replace' &&
    followsRename(key, operation.before, operation.value, names.default, names.zeroDowntime)
  );
}

function patchOperation(operation: JsonPatchOperation): JsonValue {
  const { before: _before, ...written } = operation;
  return written as JsonObject;
}

function patchTarget(object: ManifestObject): JsonObject {
  const apiVersion = object.apiVersion;
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? undefined : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return { ...(group === undefined ? {} : { group }), version, kind: object.kind, name: object.name };
}

/** A rendered object as JSON: cdk8s renders nothing else. */
function bodyOf(object: ManifestObject): JsonObject {
  return object.value as JsonObject;
}
