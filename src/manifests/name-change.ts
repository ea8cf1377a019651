import { VARIANT_LABEL } from './labels.js';

/**
 * Whether a changed string only follows an object's rename: `default-app` →
 * `zero-downtime-app` inside a name, label, selector, reference or host, or
 * zdd's variant label (`key`, the field's last key), which names the variant.
 */
export function followsRename(
  key: string | undefined,
  before: unknown,
  after: unknown,
  from: string,
  to: string,
): boolean {
  if (typeof before !== 'string' || typeof after !== 'string') return false;
  if (key === VARIANT_LABEL) return true;
  return from !== to && before.includes(from) && after === before.replaceAll(from, to);
}
