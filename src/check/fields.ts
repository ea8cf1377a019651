/** Kubernetes stores counts and seconds as int32. */
import { INT32_MAX } from '../kubernetes/count-or-percent.js';
import { type FieldPath, formatPath, type ManifestObject, objectName } from '../kubernetes/object.js';
import { formatValue } from '../runtime/errors.js';
import type { Note } from './note.js';

/**
 * Reads fields of one object as the API would take them. A value of the wrong
 * type (a string where a number belongs, an unfilled Template parameter) is
 * not fatal: zdd notes it, with the field's line, and judges the field by its
 * default, so that one odd field does not hide every other finding.
 */
export class Fields {
  constructor(
    readonly object: ManifestObject,
    private readonly notes: Note[],
    readonly base: FieldPath = [],
  ) {}

  /** The fields under `path`. */
  at(path: FieldPath): Fields {
    return new Fields(this.object, this.notes, [...this.base, ...path]);
  }

  /** The full path of a field under this one. */
  path(path: FieldPath = []): FieldPath {
    return [...this.base, ...path];
  }

  raw(path: FieldPath = []): unknown {
    let node: unknown = this.object.value;
    for (const key of this.path(path)) {
      if (typeof node !== 'object' || node === null) return undefined;
      node = (node as Record<string | number, unknown>)[key];
    }
    return node;
  }

  /** Whether the field is written (null counts as not written, as in the API). */
  has(path: FieldPath): boolean {
    const value = this.raw(path);
    return value !== undefined && value !== null;
  }

  record(path: FieldPath): Readonly<Record<string, unknown>> | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.note(path, `expected a mapping, got ${describe(value)}; ignored`);
    return undefined;
  }

  list(path: FieldPath): readonly unknown[] {
    const value = this.raw(path);
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.note(path, `expected a list, got ${describe(value)}; ignored`);
    return [];
  }

  string(path: FieldPath): string | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.note(path, `expected a string, got ${describe(value)}; ignored`);
    return undefined;
  }

  /** A boolean; undefined when it is left out or is not one (with a note saying so). */
  boolean(path: FieldPath): boolean | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.note(path, `expected true or false, got ${describe(value)}; ignored`);
    return undefined;
  }

  /** An int32 ≥ `min`; the default when it is left out or cannot be read (with a note saying so). */
  integer(path: FieldPath, fallback: number, min = 0): number {
    return this.optionalInteger(path, min, fallback) ?? fallback;
  }

  optionalInteger(path: FieldPath, min = 0, fallback?: number): number | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= INT32_MAX) return value;
    const judged = fallback === undefined ? 'ignored' : `judged as ${fallback}, the default`;
    this.note(path, `expected an integer from ${min} to ${INT32_MAX}, got ${describe(value)}; ${judged}`);
    return undefined;
  }

  /** An IntOrString as written (validated by the rules that use it). */
  intOrString(path: FieldPath): number | string | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' || typeof value === 'string') return value;
    this.note(path, `expected a number or a string, got ${describe(value)}; ignored`);
    return undefined;
  }

  /** A map of strings to strings (labels, a Service's selector). */
  stringMap(path: FieldPath): Readonly<Record<string, string>> | undefined {
    const record = this.record(path);
    if (record === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === 'string') out[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') {
        // The API refuses these; say so, and read them as the text they would be quoted as.
        this.note([...path, key], `expected a string, got ${describe(value)}; read as "${String(value)}"`);
        out[key] = String(value);
      } else this.note([...path, key], `expected a string, got ${describe(value)}; ignored`);
    }
    return out;
  }

  note(path: FieldPath, message: string): void {
    const full = this.path(path);
    this.notes.push({
      location: { file: this.object.location.file, line: this.object.lineOf(full) },
      object: objectName(this.object),
      message: `${formatPath(full)}: ${message}`,
    });
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  return formatValue(value);
}
