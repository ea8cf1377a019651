import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { type SpecLayer, specLayerSchema } from './schema.js';

/**
 * Reads a settings layer from a YAML or JSON file (JSON is read as YAML, which
 * it is a subset of). Every failure names the file and, where known, the field.
 */
export async function readConfigFile(path: string): Promise<SpecLayer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new UsageError(
      `${path}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]?.replace(/:$/, '')}`,
    );
  }
  return parseLayer(document ?? {}, path);
}

/** Checks a parsed document against the settings shape. */
export function parseLayer(document: unknown, source: string): SpecLayer {
  const result = specLayerSchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return field === '' ? issue.message : `${field}: ${issue.message}`;
  });
  throw new UsageError(`${source}: ${problems.join('; ')}`);
}
