/**
 * JSON text as a user's file holds it: parse errors and schema problems located
 * by line, so that a message can say where the file is cut off or wrong. Pure.
 */
import { parseDocument } from 'yaml';
import { InputFileError } from '../input/input-file-error.js';
import { jsonTooDeepAt, TOO_DEEP } from '../input/nesting.js';

/** `text` parsed as JSON; an error names `file`, the line and what is wrong ("cut off" at an early end). */
export function parseJsonText(text: string, file: string): unknown {
  if (text.trim() === '') throw new InputFileError(file, 'is empty, expected JSON');
  const deep = jsonTooDeepAt(text);
  if (deep !== undefined) throw new InputFileError(file, TOO_DEEP, lineAt(text, deep));
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A JSON document ends with its closing bracket: without it, the file was cut off.
    if (/end of JSON input/i.test(message) || (/^\s*[[{]/.test(text) && !/[}\]]\s*$/.test(text))) {
      throw new InputFileError(file, 'ends in the middle of the JSON: the file is cut off', lineAt(text, text.length));
    }
    // Node 20 says neither the line nor the offset; the YAML parser (JSON is YAML) locates most errors.
    const located = parseDocument(text, { logLevel: 'silent' }).errors[0]?.linePos?.[0]?.line;
    const words = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ at position \d+.*$/s, '');
    throw new InputFileError(file, `not valid JSON: ${words}`, located);
  }
}

/** The line (1-based) of the value at `path` in JSON `text`, when it can be found. */
export function lineOfPath(text: string, path: readonly PropertyKey[]): number | undefined {
  // JSON is YAML: the YAML parser keeps each node's offset.
  const document = parseDocument(text, { logLevel: 'silent' });
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lineAt(text, range[0]);
  }
  return undefined;
}

/** The 1-based line of character `offset`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < Math.min(offset, text.length); index++) if (text.charCodeAt(index) === 10) line++;
  return line;
}
