import type { ManifestObject } from '../kubernetes/object.js';
import { parseManifests, type SkippedPart } from '../kubernetes/read-manifests.js';
import { cutText, formatValue, UsageError } from '../runtime/errors.js';

/**
 * Reads every Kubernetes object of one file through the one manifest reader
 * (several documents, Lists, Templates, merge keys). Any kind is taken; what
 * is not an object with a kind and a name is an error naming the file and the
 * document: a diff that silently left an object out would mislead.
 */
export function parseManifestObjects(source: string, text: string): ManifestObject[] {
  const parsed = parseManifests(source, text);
  const [problem] = parsed.problems;
  if (problem) {
    // The parser's message goes on with the offending lines; its first line names the place.
    const message = problem.aliasOverflow
      ? cutText(problem.parserMessage)
      : cutText(firstLine(problem.parserMessage), 1000);
    throw new UsageError(`${source}: not valid YAML: ${message}`);
  }
  const [skipped] = parsed.notes;
  if (skipped) throw new UsageError(skippedMessage(source, skipped));
  for (const object of parsed.objects) {
    const name = (object.value.metadata as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name === '') {
      throw new UsageError(
        `${where(source, object.document, object.within)} (${cutText(object.kind)}) has no metadata.name`,
      );
    }
  }
  return parsed.objects;
}

/** `f.yaml: document 2, items[0]`. */
function where(source: string, document: number, within: string | undefined): string {
  return `${source}: document ${document}${within === undefined ? '' : `, ${within.split('.').join(', ')}`}`;
}

function skippedMessage(source: string, skipped: SkippedPart): string {
  const at = where(source, skipped.documentNumber, skipped.within);
  const { skip } = skipped;
  switch (skip.reason) {
    case 'not-an-object': {
      const what = Array.isArray(skip.value) ? 'a list' : formatValue(skip.value);
      return `${at} is not a Kubernetes object (got ${what}, expected a mapping with a "kind")`;
    }
    case 'no-kind':
      return skip.kind === undefined || skip.kind === ''
        ? `${at} has no "kind"`
        : `${at}: kind ${formatValue(skip.kind)} is not a string`;
    case 'items-not-a-list':
      return `${at}: items: expected a list, got ${formatValue(skip.items)}`;
    case 'contains-itself':
      return `${at}: a ${cutText(skip.listKind)} contains itself (through a YAML alias)`;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:$/, '');
}
