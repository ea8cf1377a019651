import { type Document, LineCounter, type Node } from 'yaml';
import { parseYamlDocuments } from '../input/nesting.js';
import { cutText, formatValue } from '../runtime/errors.js';
import type { FieldPath, ManifestObject, SourceLocation } from './object.js';
import { substituteParameters, templateParameterValues } from './template-parameters.js';
import { closestNode, Shape, type WrittenNodes, writtenNodes } from './written-nodes.js';

/**
 * Why a piece of a file is not an object, for readers that word it their own
 * way (diff and the local cluster refuse the file; check notes it and goes on).
 */
export type SkipReason =
  | { readonly reason: 'not-an-object'; readonly value: unknown }
  | { readonly reason: 'no-kind'; readonly kind: unknown }
  | { readonly reason: 'items-not-a-list'; readonly listKind: string; readonly items: unknown }
  | { readonly reason: 'contains-itself'; readonly listKind: string };

/** A part of a file that is not read as an object; `message` is check's wording. */
export interface SkippedPart {
  readonly location: SourceLocation;
  readonly object: undefined;
  readonly message: string;
  /** 1-based document of the file. */
  readonly documentNumber: number;
  /** Where it sits inside its document (`items[2]`), undefined for a whole document. */
  readonly within: string | undefined;
  readonly skip: SkipReason;
}

/** Text that is not valid YAML (or JSON); `message` is check's wording. */
export interface UnreadableFile {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** The yaml package's own message (first line: the place; then the lines around it). */
  readonly parserMessage: string;
  /** Its aliases expand to more than `MAX_ALIAS_COUNT` (a "billion laughs"). */
  readonly aliasOverflow: boolean;
}

/** What one file holds. */
export interface ParsedFile {
  readonly objects: ManifestObject[];
  readonly notes: SkippedPart[];
  /** A file with a problem contributes no objects: a broken document may have split the others wrongly. */
  readonly problems: UnreadableFile[];
}

/**
 * The objects of YAML zdd rendered itself (a variant's file): it is always
 * valid, so a problem there is a bug, not bad input.
 */
export function renderedObjects(rendered: { readonly fileName: string; readonly yaml: string }): ManifestObject[] {
  const parsed = parseManifests(rendered.fileName, rendered.yaml);
  const [problem] = [...parsed.problems, ...parsed.notes];
  if (problem) throw new Error(`${rendered.fileName}: ${problem.message}`);
  return parsed.objects;
}

/** The most a YAML alias may expand (as the yaml package counts it); past that the file is refused, not expanded. */
const MAX_ALIAS_COUNT = 1000;

/**
 * Reads every object of a YAML or JSON text: several documents (empty or
 * comment-only ones and `...` end markers are fine), `kind: List` and
 * `<Kind>List` items (nested too), OpenShift Templates' `objects` with their
 * parameters applied, anchors, aliases and merge keys (`<<`, as kubectl takes
 * them). Each object keeps its line and, for Helm output, its `# Source:`.
 * One pass: each document is composed once and turned into values once;
 * lines are looked up only when asked for.
 */
export function parseManifests(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const documents = parseYamlDocuments(text, { lineCounter, merge: true, logLevel: 'silent', prettyErrors: true });
  const lineAt = lineFinder(lineCounter);
  for (const document of documents) {
    const [error] = document.errors;
    if (error === undefined) continue;
    const problem: UnreadableFile = {
      file,
      line: error.linePos?.[0].line ?? lineAt(error.pos[0]),
      message: `not valid YAML: ${yamlMessage(error.message)}; no object of this file was checked`,
      parserMessage: error.message,
      aliasOverflow: false,
    };
    return { objects: [], notes: [], problems: [problem] };
  }

  const objects: ManifestObject[] = [];
  const notes: SkippedPart[] = [];
  for (const [index, document] of documents.entries()) {
    if (document.contents === null) continue; // empty or comment-only: nothing to read
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const aliasOverflow = /alias/i.test(message);
      const reason = aliasOverflow ? 'its aliases (*name) expand to too much data' : message;
      const problem: UnreadableFile = {
        file,
        line: lineAt(document.range[0]),
        message: `not valid YAML: ${cutText(reason)}; no object of this file was checked`,
        parserMessage: message,
        aliasOverflow,
      };
      return { objects: [], notes: [], problems: [problem] };
    }
    if (value === null || value === undefined) continue; // `---` followed by comments only
    const reader: DocumentReader = {
      file,
      text,
      written: writtenNodes(document),
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

/** Made outside parseManifests so that the closure cannot keep the parsed documents alive. */
function lineFinder(lineCounter: LineCounter): (offset: number) => number {
  return (offset) => lineCounter.linePos(offset).line;
}

interface DocumentReader {
  readonly file: string;
  readonly text: string;
  /** Where each field is written; the composed document itself is not kept (it is many times larger). */
  readonly written: WrittenNodes;
  readonly lineAt: (offset: number) => number;
  readonly documentNumber: number;
  readonly helmSource: string | undefined;
  readonly objects: ManifestObject[];
  readonly notes: SkippedPart[];
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
  const where = place.within === undefined ? `document ${reader.documentNumber}` : place.within;
  const skip = (message: string, reason: SkipReason, path: FieldPath = place.path) =>
    reader.notes.push({
      location: { file: reader.file, line: lineOf(reader, path) },
      object: undefined,
      message,
      documentNumber: reader.documentNumber,
      within: place.within,
      skip: reason,
    });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a list' : formatValue(value);
    skip(`${where} is not a Kubernetes object (${what}); skipped`, { reason: 'not-an-object', value });
    return;
  }
  const record = value as Record<string, unknown>;
  const kind = record.kind ?? place.defaultKind;
  if (typeof kind !== 'string' || kind === '') {
    skip(`${where} has no "kind", so it is not a Kubernetes object; skipped`, { reason: 'no-kind', kind });
    return;
  }
  const apiVersion = typeof record.apiVersion === 'string' ? record.apiVersion : (place.defaultApiVersion ?? '');
  if (place.lists.includes(value)) {
    skip(`${where}: a ${cutText(kind)} contains itself through a YAML alias; its items were read once`, {
      reason: 'contains-itself',
      listKind: kind,
    });
    return;
  }
  const isList = kind.endsWith('List') && 'items' in record;
  const isTemplate =
    !isList &&
    kind === 'Template' &&
    (apiVersion === 'v1' || apiVersion === 'template.openshift.io/v1') &&
    'objects' in record;
  if (isList || isTemplate) {
    const field = isList ? 'items' : 'objects';
    const items = record[field];
    if (!Array.isArray(items)) {
      const what = isList ? `a ${cutText(kind)} whose items` : 'a Template whose objects';
      skip(
        `${what} are not a list (${formatValue(items)}); skipped`,
        { reason: 'items-not-a-list', listKind: kind, items },
        [...place.path, field],
      );
      return;
    }
    addListItems(reader, record, items, kind, isList, place);
    return;
  }
  const metadata = typeof record.metadata === 'object' && record.metadata !== null ? record.metadata : {};
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  const path = place.path;
  reader.objects.push({
    apiVersion,
    kind,
    name: typeof name === 'string' ? name : name === undefined ? '(no name)' : formatValue(name),
    namespace: typeof namespace === 'string' && namespace !== '' ? namespace : undefined,
    // A <Kind>List's items get the kind and apiVersion they leave out; nothing else is added.
    value:
      record.kind === kind && (record.apiVersion === apiVersion || place.defaultApiVersion === undefined)
        ? record
        : { ...record, kind, ...(place.defaultApiVersion !== undefined && { apiVersion }) },
    location: { file: reader.file, line: lineOf(reader, path) },
    helmSource: reader.helmSource,
    document: reader.documentNumber,
    within: place.within,
    lineOf: (field) => lineOf(reader, [...path, ...field]),
    writtenAt: (field) => writtenAt(reader, [...path, ...field]),
  });
}

/**
 * `kind: List` is what `oc get -o yaml` prints; `<Kind>List` what the API
 * returns, whose items may omit their kind. A Template's objects get its
 * parameters applied, as `oc process` does with no overrides.
 */
function addListItems(
  reader: DocumentReader,
  list: Record<string, unknown>,
  items: readonly unknown[],
  kind: string,
  isList: boolean,
  place: ItemPlace,
): void {
  const field = isList ? 'items' : 'objects';
  const defaultKind = isList && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
  const defaultApiVersion =
    isList && kind !== 'List' && typeof list.apiVersion === 'string' ? list.apiVersion : undefined;
  const parameters = isList ? undefined : templateParameterValues(list);
  for (const [index, item] of items.entries()) {
    if (item === null || item === undefined) continue;
    addItem(reader, parameters === undefined ? item : substituteParameters(item, parameters), {
      path: [...place.path, field, index],
      within: `${place.within === undefined ? '' : `${place.within}.`}${field}[${index}]`,
      defaultKind,
      defaultApiVersion,
      lists: [...place.lists, list],
    });
  }
}

function lineOf(reader: DocumentReader, path: FieldPath): number {
  return reader.lineAt(reader.written.starts[closestNode(reader.written, path).index] ?? 0);
}

/** The value at `path` as written: a scalar or a one-line flow collection as typed, else "a mapping"/"a list". */
function writtenAt(reader: DocumentReader, path: FieldPath): string | undefined {
  const nodes = reader.written;
  const { index, exact } = closestNode(nodes, path);
  const shape = nodes.shapes[index] ?? Shape.other;
  const from = nodes.rangeStarts[index] ?? -1;
  if (!exact || shape === Shape.other || from < 0) return undefined;
  const written = reader.text.slice(from, nodes.rangeEnds[index]).trim();
  const flow = shape === Shape.flowMap || shape === Shape.flowSeq;
  if (shape === Shape.scalar || (flow && !written.includes('\n'))) return cutText(written);
  return shape === Shape.map || shape === Shape.flowMap ? 'a mapping' : 'a list';
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
