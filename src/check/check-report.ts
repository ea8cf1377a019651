import type { Finding, ObjectReference } from './finding.js';
import type { InputProblem } from './input-problem.js';
import type { Note } from './note.js';
import type { CheckSettings } from './settings.js';
import { atOrAbove, type Severity } from './severity.js';

/** A checked workload and what it was related to, for the reports' headings. */
export interface CheckedWorkload {
  readonly object: ObjectReference;
  readonly replicas: number;
  /** `Kind/name` of each related object. */
  readonly services: readonly string[];
  readonly exposures: readonly string[];
  readonly pdbs: readonly string[];
}

/** Everything `zdd check` found; every output format prints this. */
export interface CheckReport {
  readonly settings: CheckSettings;
  /** The files read, in order (`<stdin>` for standard input). */
  readonly files: readonly string[];
  readonly workloads: readonly CheckedWorkload[];
  /** Sorted by file and line. */
  readonly findings: readonly Finding[];
  readonly notes: readonly Note[];
  readonly problems: readonly InputProblem[];
  /** Objects of kinds zdd neither checks nor relates, as `Kind/name`. */
  readonly others: readonly string[];
}

/** The exit code: 2 when some input could not be read, else 1 when a finding is at or above `failOn`, else 0. */
export function exitCodeOf(report: CheckReport, failOn: Severity): 0 | 1 | 2 {
  if (report.problems.length > 0) return 2;
  return report.findings.some((finding) => atOrAbove(finding.rule.severity, failOn)) ? 1 : 0;
}

export function countBySeverity(report: CheckReport): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of report.findings) counts[finding.rule.severity] += 1;
  return counts;
}
