import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/resources.js';

/** The YAML files in `dir`, sorted; none when the folder is missing (a build from before they were copied). */
export function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Every CustomResourceDefinition in the files. Other documents a folder may hold (an admission policy that guards
 * upgrades, for one) are left out: the test bed needs only the kinds.
 */
export function readCrdFiles(files: readonly string[]): KubeObject[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((document) => document.toJS() as unknown)
      .filter(
        (object): object is KubeObject =>
          typeof object === 'object' && object !== null && (object as KubeObject).kind === 'CustomResourceDefinition',
      ),
  );
}
