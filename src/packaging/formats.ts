import { cutText, UsageError } from '../runtime/errors.js';

/** The forms `zdd synth` writes the two variants in. */
export const OUTPUT_FORMATS = ['plain', 'kustomize', 'helm'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Reads `--format plain,helm`: a comma-separated list, in any order, each form
 * once at most. The result keeps the order of OUTPUT_FORMATS.
 */
export function parseOutputFormats(flag: string, text: string): OutputFormat[] {
  const words = text.split(',').map((word) => word.trim());
  const expected = `expected ${OUTPUT_FORMATS.join(', ')} or a comma-separated list of them`;
  for (const word of words) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(word)) {
      throw new UsageError(`${flag}: ${expected}, got ${JSON.stringify(cutText(word === '' ? text : word, 60))}`);
    }
  }
  return OUTPUT_FORMATS.filter((format) => words.includes(format));
}
