/** A field's path inside an object: keys and list indexes, e.g. `spec.template.spec.containers[0]`. */
export type FieldPath = readonly (string | number)[];

/** Where an object was written. */
export interface SourceLocation {
  /** The file as the user named it, or `<stdin>`. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
}

/**
 * One Kubernetes object, as every command sees it: read from a file by
 * `parseManifests` (as written, after template parameters, with its place)
 * or rendered by cdk8s (`fromRendered`).
 */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** `metadata.name` as written; a Template's `${NAME}` stays as it is when the parameter has no value. */
  readonly name: string;
  /** `metadata.namespace`; undefined when not written (the namespace it is applied to). */
  readonly namespace: string | undefined;
  readonly value: Readonly<Record<string, unknown>>;
  /** Where the object starts. */
  readonly location: SourceLocation;
  /** The template it was rendered from, from Helm's `# Source:` comment. */
  readonly helmSource: string | undefined;
  /** 1-based document of its file (0 for rendered objects). */
  readonly document: number;
  /** Where it sits in its document when inside a List or a Template, e.g. `objects[2]`. */
  readonly within: string | undefined;
  /** The line of a field of the object, or of the closest enclosing field that is written. */
  lineOf(path: FieldPath): number;
  /** A field's value as written in the file (`01`, `"5"`, `a mapping`), for messages; undefined when not written there. */
  writtenAt(path: FieldPath): string | undefined;
}

/** `Kind/name`, the way kubectl names an object. */
export function objectName(object: Pick<ManifestObject, 'kind' | 'name'>): string {
  return `${object.kind}/${object.name}`;
}

/** `spec.template.spec.containers[0].name`. */
export function formatPath(path: FieldPath): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text;
}

/** Where rendered objects are said to be: they were never written to a file. */
const RENDERED: SourceLocation = { file: '<rendered>', line: 0 };

/** Objects rendered by cdk8s (`chart.toJson()`), which always carry a kind and a name. */
export function fromRendered(rendered: readonly Readonly<Record<string, unknown>>[]): ManifestObject[] {
  return rendered.map((value) => {
    const metadata = (value.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    return {
      apiVersion: String(value.apiVersion ?? ''),
      kind: String(value.kind),
      name: String(metadata.name),
      namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
      value,
      location: RENDERED,
      helmSource: undefined,
      document: 0,
      within: undefined,
      lineOf: () => 0,
      writtenAt: () => undefined,
    };
  });
}
