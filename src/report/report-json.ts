/**
 * A report's data as JSON, for `zdd report --from … --format json` (a results
 * folder prints its summary.json as written instead). Pure.
 */
import type { ReportData } from './report-data.js';

export function reportJson(data: ReportData): string {
  const { timeline: _timeline, ...rest } = data;
  return `${JSON.stringify(rest, null, 2)}\n`;
}
