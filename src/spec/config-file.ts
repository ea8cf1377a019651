import { readInputFile } from '../input/input-file.js';
import { describeIssue, issueField, parsedIn, type WrittenAt, writtenIn } from '../input/input-issues.js';
import { parseYamlDocuments } from '../input/nesting.js';
import { cutText, UsageError } from '../runtime/errors.js';
import { type SpecLayer, specLayerSchema } from './schema.js';

/** How many problems one message lists; the rest are counted. */
const MAX_PROBLEMS = 5;

/**
 * Sections of a config file that are not app settings but how `zdd compare` runs (`k6Operator:`, its load's
 * runners): read by compare, passed over by the commands that only synthesize, so that one file serves them all.
 */
export const RUN_SECTIONS = ['k6Operator'] as const;
export type RunSection = (typeof RUN_SECTIONS)[number];

/** A config file: its settings layer, its run sections as written (checked by their reader), and where each value is. */
export interface ConfigFile {
  readonly layer: SpecLayer;
  readonly sections: Partial<Record<RunSection, unknown>>;
  readonly written: WrittenAt;
}

/**
 * Reads a settings layer from a YAML or JSON file (JSON is read as YAML, which
 * it is a subset of). Every failure names the file and, where known, the field
 * and the value as it is written in the file.
 */
export async function readConfigFile(path: string): Promise<SpecLayer> {
  return (await readConfig(path)).layer;
}

/** The whole config file: its settings layer and its run sections (`RUN_SECTIONS`). */
export async function readConfig(path: string): Promise<ConfigFile> {
  const text = await readInputFile('--config', path);
  // logLevel 'error': the YAML library's warnings (e.g. on a list used as a key)
  // would reach stderr as Node warnings; the schema names such keys instead.
  const documents = parseYamlDocuments(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  if (documents.length > 1) {
    throw new UsageError(`${path}: holds ${documents.length} YAML documents (separated by "---"); expected one`);
  }
  const [document] = documents;
  if (document === undefined) return { layer: parseLayer({}, path), sections: {}, written: parsedIn({}) };
  const [error] = document.errors;
  if (error) throw new UsageError(`${path}: not valid YAML or JSON: ${firstLine(error.message)}`);
  let value: unknown;
  try {
    value = document.toJS();
  } catch (toJsError) {
    throw new UsageError(`${path}: not valid YAML or JSON: ${describeToJsError(toJsError)}`);
  }
  const written = writtenIn(document, text);
  const { settings, sections } = splitSections(value ?? {});
  return { layer: parseLayer(settings, path, written), sections, written };
}

/** The run sections taken out of a parsed document; the rest is the settings layer. */
function splitSections(value: unknown): { settings: unknown; sections: Partial<Record<RunSection, unknown>> } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { settings: value, sections: {} };
  const settings: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const sections: Partial<Record<RunSection, unknown>> = {};
  for (const section of RUN_SECTIONS) {
    if (!(section in settings)) continue;
    sections[section] = settings[section];
    delete settings[section];
  }
  return { settings, sections };
}

/**
 * Checks a parsed document against the settings shape. `written` gives a value
 * as the user wrote it; by default the parsed value is quoted.
 */
export function parseLayer(document: unknown, source: string, written: WrittenAt = parsedIn(document)): SpecLayer {
  const result = specLayerSchema.safeParse(document);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const problems = issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const field = issueField(issue);
    const message = describeIssue(issue, written);
    return field === '' ? message : `${field}: ${message}`;
  });
  if (issues.length > MAX_PROBLEMS) problems.push(`and ${issues.length - MAX_PROBLEMS} more problems`);
  throw new UsageError(`${source}: ${problems.join('; ')}`);
}

function describeToJsError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/alias count/i.test(message)) return 'its aliases (*name) expand to too much data';
  return firstLine(message);
}

function firstLine(message: string): string {
  return cutText(message.split('\n')[0]?.replace(/:$/, '') ?? '', 300);
}
