import { Yaml } from 'cdk8s';
import type { JsonValue } from '../input/json-value.js';

/**
 * YAML documents written the way `dist/*.yaml` are (cdk8s' own stringify),
 * after `# ` comment lines, so that every generated file reads alike.
 */
export function yamlText(comments: readonly string[], ...documents: JsonValue[]): string {
  return comments.map((line) => `# ${line}\n`).join('') + Yaml.stringify(...documents);
}
