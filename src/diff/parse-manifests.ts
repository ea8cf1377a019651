import { cutText, formatValue, UsageError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json-value.js';
import type { ManifestObject } from '../manifest-object.js';
import { parseYamlDocuments } from '../nesting.js';

/**
 * Reads every Kubernetes object of one file: several documents, `kind: List`
 * and `<Kind>List` item by item, YAML merge keys as kubectl reads them. Any
 * kind is taken; what is not an object with a kind and a name is an error
 * naming the file and the document.
 */
export function parseManifestObjects(source: string, text: string): ManifestObject[] {
  const objects: ManifestObject[] = [];
  const documents = parseYamlDocuments(text, { merge: true, logLevel: 'error' });
  for (const [index, document] of documents.entries()) {
    const [error] = document.errors;
    // The parser's message goes on with the offending lines; its first line names the place.
    if (error) throw new UsageError(`${source}: not valid YAML: ${cutText(firstLine(error.message), 1000)}`);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (toJsError) {
      throw new UsageError(
        `${source}: not valid YAML: ${cutText(toJsError instanceof Error ? toJsError.message : String(toJsError))}`,
      );
    }
    if (value === null || value === undefined) continue;
    addItems(objects, value as JsonValue, `${source}: document ${index + 1}`, undefined);
  }
  return objects;
}

function addItems(objects: ManifestObject[], value: JsonValue, where: string, defaultKind: string | undefined): void {
  if (!isJsonObject(value)) {
    const what = Array.isArray(value) ? 'a list' : formatValue(value);
    throw new UsageError(`${where} is not a Kubernetes object (got ${what}, expected a mapping with a "kind")`);
  }
  const kind = value.kind ?? defaultKind;
  if (typeof kind !== 'string') {
    throw new UsageError(
      kind === undefined ? `${where} has no "kind"` : `${where}: kind ${formatValue(kind)} is not a string`,
    );
  }
  if (/List$/.test(kind) && 'items' in value) {
    if (!Array.isArray(value.items))
      throw new UsageError(`${where}: items: expected a list, got ${formatValue(value.items)}`);
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    for (const [index, item] of value.items.entries()) {
      if (item !== null) addItems(objects, item, `${where}, items[${index}]`, itemKind);
    }
    return;
  }
  const metadata = value.metadata;
  const name = isJsonObject(metadata) ? metadata.name : undefined;
  if (typeof name !== 'string' || name === '') {
    throw new UsageError(`${where} (${cutText(kind)}) has no metadata.name`);
  }
  const body: JsonObject = value.kind === kind ? value : { ...value, kind };
  objects.push({ kind, name, body });
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:$/, '');
}
