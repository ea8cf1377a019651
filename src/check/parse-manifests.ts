import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import { cutText, formatValue } from '../errors.js';
import { parseYamlDocuments } from '../nesting.js';
import type { InputProblem } from './input-problem.js';
import type { FieldPath, ManifestObject } from './manifest-object.js';
import type { Note } from './note.js';
import { substituteParameters, templateParameterValues } from './template-parameters.js';

/** What one file holds. */
export interface ParsedFile {
  readonly objects: ManifestObject[];
  readonly notes: Note[];
  /** A file with a problem contributes no objects: a broken document may have split the others wrongly. */
  readonly problems: InputProblem[];
}

/** The most a YAML alias may expand (as the yaml package counts it); past that the file is refused, not expanded. */
const MAX_ALIAS_COUNT = 1000;

/**
 * Reads every object of a YAML or JSON text: several documents (empty or
 * comment-only ones and `...` end markers are fine), `kind: List` and
 * `<Kind>List` items (nested too), OpenShift Templates' `objects` with their
 * parameters applied, anchors, aliases and merge keys (`<<`, as kubectl takes
 * them). Each object keeps its line and, for Helm output, its `# Source:`.
 */
export function parseManifests(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const documents = parseYamlDocuments(text, { lineCounter, merge: true, logLevel: 'silent', prettyErrors: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const problems: InputProblem[] = [];
  for (const document of documents) {
    for (const error of document.errors) {
      problems.push({
        file,
        line: error.linePos?.[0].line ?? lineAt(error.pos[0]),
        message: `not valid YAML: ${yamlMessage(error.message)}; no object of this file was checked`,
      });
    }
  }
  if (problems.length > 0) return { objects: [], notes: [], problems: problems.slice(0, 1) };

  const objects: ManifestObject[] = [];
  const notes: Note[] = [];
  for (const [index, document] of documents.entries()) {
    if (document.contents === null) continue; // empty or comment-only: nothing to check
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reason = /alias/i.test(message) ? 'its aliases (*name) expand to too much data' : message;
      const problem = {
        file,
        line: lineAt(document.range[0]),
        message: `not valid YAML: ${cutText(reason)}; no object of this file was checked`,
      };
      return { objects: [], notes: [], problems: [problem] };
    }
    if (value === null || value === undefined) continue; // `---` followed by comments only
    const reader: DocumentReader = {
      file,
      document,
      lineAt,
      documentNumber: index + 1,
      helmSource: helmSourceOf(document),
      objects,
      notes,
    };
    addItem(reader, value, {
      path: [],
      within: undefined,
      defaultKind: undefined,
      defaultApiVersion: undefined,
      lists: [],
    });
  }
  return { objects, notes, problems: [] };
}

interface DocumentReader {
  readonly file: string;
  readonly document: Document;
  readonly lineAt: (offset: number) => number;
  readonly documentNumber: number;
  readonly helmSource: string | undefined;
  readonly objects: ManifestObject[];
  readonly notes: Note[];
}

interface ItemPlace {
  /** Where the item is in its document. */
  readonly path: FieldPath;
  readonly within: string | undefined;
  /** For the items of a `<Kind>List`, which may omit their kind and apiVersion. */
  readonly defaultKind: string | undefined;
  readonly defaultApiVersion: string | undefined;
  /** The Lists and Templates this item is inside (an alias can make one contain itself). */
  readonly lists: readonly object[];
}

function addItem(reader: DocumentReader, value: unknown, place: ItemPlace): void {
  const line = lineOf(reader, place.path);
  const where = place.within === undefined ? `document ${reader.documentNumber}` : place.within;
  const skip = (message: string) =>
    reader.notes.push({ location: { file: reader.file, line }, object: undefined, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    skip(`${where} is not a Kubernetes object (${Array.isArray(value) ? 'a list' : formatValue(value)}); skipped`);
    return;
  }
  const record = value as Record<string, unknown>;
  const kind = record.kind ?? place.defaultKind;
  if (typeof kind !== 'string' || kind === '') {
    skip(`${where} has no "kind", so it is not a Kubernetes object; skipped`);
    return;
  }
  const apiVersion = typeof record.apiVersion === 'string' ? record.apiVersion : (place.defaultApiVersion ?? '');
  if (place.lists.includes(value)) {
    skip(`${where}: a ${cutText(kind)} contains itself through a YAML alias; its items were read once`);
    return;
  }
  if (/List$/.test(kind) && 'items' in record) {
    addListItems(reader, record, kind, place);
    return;
  }
  if (kind === 'Template' && /^(template\.openshift\.io\/)?v1$/.test(apiVersion) && 'objects' in record) {
    addTemplateObjects(reader, record, place);
    return;
  }
  const metadata = typeof record.metadata === 'object' && record.metadata !== null ? record.metadata : {};
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  reader.objects.push({
    apiVersion,
    kind,
    name: typeof name === 'string' ? name : name === undefined ? '(no name)' : formatValue(name),
    namespace: typeof namespace === 'string' && namespace !== '' ? namespace : undefined,
    value: record.kind === kind && record.apiVersion === apiVersion ? record : { ...record, kind, apiVersion },
    location: { file: reader.file, line },
    helmSource: reader.helmSource,
    within: place.within,
    lineOf: (path) => lineOf(reader, [...place.path, ...path]),
  });
}

/** `kind: List` is what `oc get -o yaml` prints; `<Kind>List` what the API returns, whose items may omit their kind. */
function addListItems(reader: DocumentReader, list: Record<string, unknown>, kind: string, place: ItemPlace): void {
  if (!Array.isArray(list.items)) {
    reader.notes.push({
      location: { file: reader.file, line: lineOf(reader, [...place.path, 'items']) },
      object: undefined,
      message: `a ${cutText(kind)} whose items are not a list (${formatValue(list.items)}); skipped`,
    });
    return;
  }
  const defaultKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  const defaultApiVersion = kind === 'List' || typeof list.apiVersion !== 'string' ? undefined : list.apiVersion;
  for (const [index, item] of list.items.entries()) {
    if (item === null || item === undefined) continue;
    addItem(reader, item, {
      path: [...place.path, 'items', index],
      within: `${place.within === undefined ? '' : `${place.within}.`}items[${index}]`,
      defaultKind,
      defaultApiVersion,
      lists: [...place.lists, list],
    });
  }
}

function addTemplateObjects(reader: DocumentReader, template: Record<string, unknown>, place: ItemPlace): void {
  if (!Array.isArray(template.objects)) {
    reader.notes.push({
      location: { file: reader.file, line: lineOf(reader, [...place.path, 'objects']) },
      object: undefined,
      message: `a Template whose objects are not a list (${formatValue(template.objects)}); skipped`,
    });
    return;
  }
  const parameters = templateParameterValues(template);
  for (const [index, item] of template.objects.entries()) {
    if (item === null || item === undefined) continue;
    addItem(reader, substituteParameters(item, parameters), {
      path: [...place.path, 'objects', index],
      within: `${place.within === undefined ? '' : `${place.within}.`}objects[${index}]`,
      defaultKind: undefined,
      defaultApiVersion: undefined,
      lists: [...place.lists, template],
    });
  }
}

/** The line of the field at `path`, or of its closest written ancestor (a merge key's fields have no node of their own). */
function lineOf(reader: DocumentReader, path: FieldPath): number {
  let node: unknown = reader.document.contents;
  let found = rangeStart(node) ?? reader.document.range?.[0] ?? 0;
  for (const key of path) {
    if (isAlias(node)) break; // a field inside an alias is shown where the alias is used
    let start: number | undefined;
    if (isMap(node)) {
      // The key's line: `readinessProbe:` rather than the first field under it.
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === key);
      if (pair === undefined) break;
      start = rangeStart(pair.key) ?? rangeStart(pair.value);
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.get(key, true);
      start = rangeStart(node);
    }
    if (start === undefined) break;
    found = start;
  }
  return reader.lineAt(found);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

/** Helm writes `# Source: chart/templates/file.yaml` at the top of each document it renders. */
function helmSourceOf(document: Document): string | undefined {
  const comments = [document.commentBefore, (document.contents as Node | null)?.commentBefore];
  for (const comment of comments) {
    const match = comment ? /^\s*Source:\s*(\S.*?)\s*$/m.exec(comment) : null;
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** The yaml package's message without the excerpt it appends (the file and line are said separately). */
function yamlMessage(message: string): string {
  return cutText(message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message, 300);
}
