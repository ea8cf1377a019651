import type { DiffReport } from './diff-report.js';
import { diffSummary } from './diff-summary.js';

/** The report as JSON for scripts: every object, every field with its values and why, the renamed paths. */
export function formatJson(report: DiffReport): string {
  return `${JSON.stringify({ summary: diffSummary(report), ...report }, null, 2)}\n`;
}
