/** A field's path inside an object: keys and list indexes, e.g. `spec.template.spec.containers[0]`. */
export type FieldPath = readonly (string | number)[];

/** Where an object was written. */
export interface SourceLocation {
  /** The file as the user named it, or `<stdin>`. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
}

/** One Kubernetes object read from a file, as written (after template parameters), with its place. */
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
  /** Where it sits in its document when inside a List or a Template, e.g. `objects[2]`. */
  readonly within: string | undefined;
  /** The line of a field of the object, or of the closest enclosing field that is written. */
  lineOf(path: FieldPath): number;
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
