/**
 * An OpenShift Template's parameters applied to its objects the way
 * `oc process` applies them with no overrides: `${NAME}` inside a string
 * becomes the parameter's `value`; a string that is exactly `${{NAME}}`
 * becomes the value read as JSON (so `replicas: ${{REPLICAS}}` is a number).
 * Parameters without a `value` (required, or `generate: expression`) are
 * left as written: zdd cannot know them, and says so where a number was expected.
 */

const REFERENCE = /\$\{([a-zA-Z0-9_]+)\}/g;
const WHOLE_JSON_REFERENCE = /^\$\{\{([a-zA-Z0-9_]+)\}\}$/;

/** The parameters of a Template that have a value, by name. */
export function templateParameterValues(template: Readonly<Record<string, unknown>>): Map<string, string> {
  const values = new Map<string, string>();
  const parameters = template.parameters;
  if (!Array.isArray(parameters)) return values;
  for (const parameter of parameters) {
    if (typeof parameter !== 'object' || parameter === null) continue;
    const { name, value } = parameter as { name?: unknown; value?: unknown };
    if (typeof name === 'string' && typeof value === 'string') values.set(name, value);
  }
  return values;
}

/** `value` with every reference to a known parameter replaced; a new value, the input is not changed. */
export function substituteParameters(value: unknown, parameters: ReadonlyMap<string, string>): unknown {
  if (parameters.size === 0) return value;
  if (typeof value === 'string') return substituteString(value, parameters);
  if (Array.isArray(value)) return value.map((item) => substituteParameters(item, parameters));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteParameters(item, parameters);
    return out;
  }
  return value;
}

function substituteString(text: string, parameters: ReadonlyMap<string, string>): unknown {
  const whole = WHOLE_JSON_REFERENCE.exec(text);
  if (whole) {
    const raw = parameters.get(whole[1] ?? '');
    if (raw === undefined) return text;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw; // oc process keeps a value that is not JSON as a string
    }
  }
  return text.replace(REFERENCE, (reference, name: string) => parameters.get(name) ?? reference);
}
