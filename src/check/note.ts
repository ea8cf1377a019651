import type { SourceLocation } from '../kubernetes/object.js';

/**
 * Something the reviewer should know that is not a finding: a document that
 * is not a Kubernetes object, a kind zdd does not check, a value it could not
 * read and judged by its default instead. Nothing is skipped without a note.
 */
export interface Note {
  readonly location: SourceLocation | undefined;
  /** `Kind/name` of the object the note is about, if any. */
  readonly object: string | undefined;
  readonly message: string;
}
