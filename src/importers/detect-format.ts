/**
 * What kind of results file `--from` names, from its first line: k6's `--out
 * json` (JSON objects with a `type`, one per line), a k6 summary (one JSON
 * object: handleSummary() data, `--summary-export`, the machine-readable
 * summary), k6's `--out csv` (its header starts `metric_name,timestamp,metric_value`),
 * else a JMeter CSV file (`.jtl`). Pure.
 */
export type ImportFormat = 'jmeter' | 'k6-ndjson' | 'k6-csv' | 'k6-summary';

export const FORMAT_NAMES: Readonly<Record<ImportFormat, string>> = {
  jmeter: 'JMeter results (CSV)',
  'k6-ndjson': 'k6 --out json output',
  'k6-csv': 'k6 --out csv output',
  'k6-summary': 'k6 end-of-test summary',
};

export function detectFormat(firstLine: string): ImportFormat {
  const line = firstLine.trim();
  // grafana/k6 internal/output/csv MakeHeader: these three, then the tag columns.
  if (/^metric_name,timestamp,metric_value(,|$)/.test(line)) return 'k6-csv';
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
