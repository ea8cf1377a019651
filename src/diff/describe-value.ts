import { stringify } from 'yaml';
import type { JsonValue } from '../input/json-value.js';
import { cutText } from '../runtime/errors.js';

/** A value on one line, as YAML's flow style writes it, cut when long; `(none)` for an absent field. */
export function describeValue(value: JsonValue | undefined, limit = 200): string {
  if (value === undefined) return '(none)';
  const text = stringify(value, { collectionStyle: 'flow', lineWidth: 0 })
    .trim()
    .replace(/\s*\n\s*/g, ' ');
  return cutText(text, limit);
}
