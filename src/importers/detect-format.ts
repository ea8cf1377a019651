/**
 * What kind of results file `--from` names, from its first line: k6's `--out
 * json` (JSON objects with a `type`, one per line), a k6 summary (one JSON
 * object: handleSummary() data, `--summary-export`, the machine-readable
 * summary), else a JMeter CSV file (`.jtl`). Pure.
 */
export type ImportFormat = 'jmeter' | 'k6-ndjson' | 'k6-summary';

export const FORMAT_NAMES: Readonly<Record<ImportFormat, string>> = {
  jmeter: 'JMeter results (CSV)',
  'k6-ndjson': 'k6 --out json output',
  'k6-summary': 'k6 end-of-test summary',
};

export function detectFormat(firstLine: string): ImportFormat {
  const line = firstLine.trim();
  if (!line.startsWith('{') && !line.startsWith('[')) return 'jmeter';
  try {
    const value: unknown = JSON.parse(line);
    const isOutputLine =
      typeof value === 'object' && value !== null && (value as { type?: unknown }).type !== undefined;
    return isOutputLine ? 'k6-ndjson' : 'k6-summary';
  } catch {
    // A JSON document over several lines (or cut off): a summary; its parser says what is wrong.
    return 'k6-summary';
  }
}
