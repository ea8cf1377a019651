import { type Document, isCollection, isMap, isScalar } from 'yaml';
import type { z } from 'zod';
import { cutText, formatValue } from '../runtime/errors.js';

/**
 * How zdd words a problem zod found in a YAML or JSON file the user wrote:
 * zod's message, with the value echoed as the user wrote it (`.nan`, `"8080"`)
 * rather than as zod saw it ("received NaN"), and cut when long.
 */

/** How many unknown keys one problem lists. */
const MAX_KEYS = 5;

/** The value at a path as the user wrote it, or undefined when unknown. */
export type WrittenAt = (path: readonly PropertyKey[]) => string | undefined;

/** One issue as a phrase, without its field: "Invalid input: expected number, got .nan". */
export function describeIssue(issue: z.core.$ZodIssue, written: WrittenAt): string {
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.slice(0, MAX_KEYS).map(formatValue).join(', ');
    const more = issue.keys.length > MAX_KEYS ? ` and ${issue.keys.length - MAX_KEYS} more` : '';
    return `Unrecognized key${issue.keys.length === 1 ? '' : 's'}: ${shown}${more}`;
  }
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) {
    return `missing (expected ${issue.expected})`;
  }
  let message = issue.message;
  if (issue.code === 'invalid_union') {
    const expected = issue.errors.map(expectedOf).filter((e) => e !== undefined);
    if (expected.length === issue.errors.length) message = `Invalid input: expected ${expected.join(' or ')}`;
  }
  const got = written(issue.path);
  // zod's "received string" says less than the value itself.
  return got === undefined ? cutText(message) : `${cutText(message.replace(/, received \w+$/, ''))}, got ${got}`;
}

/** The issue's field, e.g. `spec.replicas`. */
export function issueField(issue: z.core.$ZodIssue): string {
  return cutText(issue.path.map(String).join('.'));
}

/** "false", "object", … : what one alternative of a union expected at its root. */
function expectedOf(issues: readonly z.core.$ZodIssue[]): string | undefined {
  const root = issues.find((issue) => issue.path.length === 0);
  if (root?.code === 'invalid_type') return root.expected;
  if (root?.code === 'invalid_value') return root.values.map((value) => formatValue(value)).join(' or ');
  return undefined;
}

/**
 * Reads values as written in `text`, the YAML source of `document`: a scalar
 * as typed (`.nan`, `"8080"`, `1e400`), a one-line flow collection as typed
 * (`[1, 2]`), a block collection by its kind ("a mapping", "a list").
 */
export function writtenIn(document: Document, text: string): WrittenAt {
  return (path) => {
    const node = path.length === 0 ? document.contents : document.getIn(path, true);
    if (!isScalar(node) && !isCollection(node)) return undefined;
    const range = node.range;
    if (!range) return undefined;
    const written = text.slice(range[0], range[1]).trim();
    if (isScalar(node) || (node.flow && !written.includes('\n'))) return cutText(written);
    return isMap(node) ? 'a mapping' : 'a list';
  };
}

/** Values as parsed, quoted (for documents that did not come from YAML text). */
export function parsedIn(document: unknown): WrittenAt {
  return (path) => {
    let node: unknown = document;
    for (const key of path) {
      if (typeof node !== 'object' || node === null) return undefined;
      node = (node as Record<PropertyKey, unknown>)[key];
    }
    return node === undefined ? undefined : formatValue(node);
  };
}
