import type { DiffSegment } from '../kubernetes/object-diff.js';

/**
 * Where a field is in an object: map keys, and list items by their `name`
 * when they have one (a container), else by position (the model's diff path).
 */
export type PathSegment = DiffSegment;

/** `spec.template.spec.containers[name=app].readinessProbe`, `metadata.labels["zdd/variant"]`. */
export function formatDiffPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment !== 'string')
      text += segment.name === undefined ? `[${segment.index}]` : `[name=${segment.name}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** The path with list items generalised, for matching against known fields: `spec.template.spec.containers[].lifecycle`. */
export function pathPattern(path: readonly PathSegment[]): string {
  return formatDiffPath(path.map((segment) => (typeof segment === 'string' ? segment : { index: -1 }))).replaceAll(
    '[-1]',
    '[]',
  );
}
