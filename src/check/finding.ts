import type { JsonObject } from '../input/json-value.js';
import type { SourceLocation } from '../kubernetes/object.js';
import type { Rule } from './rule.js';

/** The object a finding is on. */
export interface ObjectReference {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** Where the object starts. */
  readonly location: SourceLocation;
  readonly helmSource: string | undefined;
}

/** A rule's diagnostic with its rule and its place in the input: what every output format prints. */
export interface Finding {
  readonly rule: Rule;
  readonly message: string;
  /** The line of the field the finding is about. */
  readonly location: SourceLocation;
  /** That field, as a path inside the object (`spec.template.spec.containers[0].readinessProbe`). */
  readonly field: string;
  readonly object: ObjectReference;
  /** The numbers it was judged with. @default - none */
  readonly properties?: JsonObject;
}
