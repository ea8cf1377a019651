import { Document, isMap, isScalar, type YAMLMap } from 'yaml';
import type { JsonObject } from '../../input/json-value.js';
import { VALUE_DOCS } from './values.js';

/**
 * values.yaml: the values, each key with its description above it (helm-docs'
 * `# --` style), top-level keys a blank line apart.
 */
export function valuesYaml(values: JsonObject, header: readonly string[]): string {
  const document = new Document(values);
  document.commentBefore = header.map((line) => ` ${line}`).join('\n');
  if (isMap(document.contents)) describe(document.contents, '');
  return document.toString({ lineWidth: 0, indentSeq: true });
}

function describe(map: YAMLMap, prefix: string): void {
  for (const [index, pair] of map.items.entries()) {
    if (!isScalar(pair.key)) continue;
    const key = `${prefix}${String(pair.key.value)}`;
    const doc = VALUE_DOCS.find((candidate) => candidate.key === key);
    if (doc === undefined) throw new Error(`values.yaml: ${key} has no description in VALUE_DOCS`);
    pair.key.commentBefore = ` -- ${doc.describe}`;
    if (prefix === '' && index > 0) pair.key.spaceBefore = true;
    // A key with a schema of its own (resources) is one value; its keys are described there.
    if (doc.schema === undefined && isMap(pair.value)) describe(pair.value, `${key}.`);
  }
}
