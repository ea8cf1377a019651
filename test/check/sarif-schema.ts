import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

/**
 * Validates a SARIF log against the SARIF 2.1.0 JSON schema vendored in
 * test/fixtures/sarif (see its README). The schema is draft-04, whose only
 * keyword here that later drafts spell differently is its top-level `id`;
 * without it and `$schema`, ajv reads it as a current draft. Formats are
 * checked too: uri, uri-reference, date-time.
 */
const schema = JSON.parse(
  readFileSync(new URL('../fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const { $schema: _draft, id: _id, ...current } = schema;

// The schema's language pattern has a stray `]`, an error only in unicode mode; draft-04 patterns are ECMA 262 without it.
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
ajv.addFormat('uri', (text: string) => URL.canParse(text));
ajv.addFormat('uri-reference', (text: string) => URL.canParse(text, 'file:///base/') && !/\s/.test(text));
ajv.addFormat('date-time', (text: string) => !Number.isNaN(Date.parse(text)));
const validate = ajv.compile(current);

/** The schema's complaints about `log`, one line each; none when it is valid. */
export function sarifErrors(log: unknown): string[] {
  return validate(log)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
