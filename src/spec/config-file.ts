import { readInputFile } from '../input/input-file.js';
import { describeIssue, issueField, parsedIn, type WrittenAt, writtenIn } from '../input/input-issues.js';
import { parseYamlDocuments } from '../input/nesting.js';
import { cutText, UsageError } from '../runtime/errors.js';
import { type SpecLayer, specLayerSchema } from './schema.js';

/** How many problems one message lists; the rest are counted. */
const MAX_PROBLEMS = 5;

/**
 * Reads a settings layer from a YAML or JSON file (JSON is read as YAML, which
 * it is a subset of). Every failure names the file and, where known, the field
 * and the value as it is written in the file.
 */
export async function readConfigFile(path: string): Promise<SpecLayer> {
  const text = await readInputFile('--config', path);
  // logLevel 'error': the YAML library's warnings (e.g. on a list used as a key)
  // would reach stderr as Node warnings; the schema names such keys instead.
  const documents = parseYamlDocuments(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  if (documents.length > 1) {
    throw new UsageError(`${path}: holds ${documents.length} YAML documents (separated by "---"); expected one`);
  }
  const [document] = documents;
  if (document === undefined) return parseLayer({}, path);
  const [error] = document.errors;
  if (error) throw new UsageError(`${path}: not valid YAML or JSON: ${firstLine(error.message)}`);
  let value: unknown;
  try {
    value = document.toJS();
  } catch (toJsError) {
    throw new UsageError(`${path}: not valid YAML or JSON: ${describeToJsError(toJsError)}`);
  }
  return parseLayer(value ?? {}, path, writtenIn(document, text));
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
