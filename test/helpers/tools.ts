import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execaSync } from 'execa';
import { parseAllDocuments } from 'yaml';

/**
 * Where an external tool is: PATH first, then `$(go env GOPATH)/bin` (where
 * `go install` puts helm), else undefined so that the tests using it are skipped.
 */
export function findTool(name: string): string | undefined {
  const folders = (process.env.PATH ?? '').split(delimiter).filter((folder) => folder !== '');
  const go = folders.map((folder) => join(folder, 'go')).find(isExecutable);
  const gopath =
    (go === undefined ? '' : execaSync(go, ['env', 'GOPATH'], { reject: false, timeout: 5_000 }).stdout.trim()) ||
    (process.env.GOPATH ?? join(homedir(), 'go'));
  const candidates = [...folders, ...gopath.split(delimiter).map((path) => join(path, 'bin'))];
  return candidates.map((folder) => join(folder, name)).find(isExecutable);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A parsed Kubernetes object, loosely typed for comparisons. */
export type ParsedObject = { kind: string; metadata: { name: string } } & Record<string, unknown>;

/** The objects of a YAML stream, sorted by kind and name so that two streams compare as sets. */
export function parsedObjects(yaml: string): ParsedObject[] {
  return parseAllDocuments(yaml)
    .map((document) => document.toJS() as ParsedObject | null)
    .filter((object): object is ParsedObject => object !== null)
    .sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}

/** Labels Helm's conventions add (and zdd's `managed-by: zdd`, which Helm's replaces), removed wherever they are. */
const HELM_LABELS = [
  'helm.sh/chart',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/managed-by',
];

export function withoutHelmLabels<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutHelmLabels) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !HELM_LABELS.includes(key))
      .map(([key, child]) => [key, withoutHelmLabels(child)]),
  ) as T;
}
