import { createHash } from 'node:crypto';
import { isAbsolute, normalize, relative, sep } from 'node:path';
import type { CheckReport } from './check-report.js';
import type { Finding } from './finding.js';
import type { Severity } from './severity.js';

/** GitLab's Code Quality severities for zdd's: an error breaks requests (critical), a warning may (major). */
const GITLAB_SEVERITY: Readonly<Record<Severity, 'info' | 'major' | 'critical'>> = {
  error: 'critical',
  warning: 'major',
  info: 'info',
};

/** The check name of an input zdd could not read (bad YAML): it cannot be applied either, so a blocker. */
export const INPUT_ERROR_CHECK = 'input-error';

/** One issue of GitLab's Code Quality report (the Code Climate issue shape GitLab reads). */
export interface CodeQualityIssue {
  readonly type: 'issue';
  readonly check_name: string;
  readonly description: string;
  readonly content: { readonly body: string };
  readonly categories: readonly string[];
  readonly severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  readonly fingerprint: string;
  readonly location: { readonly path: string; readonly lines: { readonly begin: number } };
}

/**
 * The report as GitLab's Code Quality report (`artifacts:reports:codequality`): a JSON array with one issue
 * per finding, and one per input that could not be read. Each issue's fingerprint hashes its rule, file,
 * object and field, not its line, so that the merge request widget still knows an issue as the same one
 * when lines above it move; the same issue twice in one report (two messages on one field) is told apart by
 * its occurrence.
 */
export function formatCodeQuality(report: CheckReport, cwd = process.cwd()): string {
  const taken = new Map<string, number>();
  const fingerprint = (parts: readonly string[]): string => {
    const key = JSON.stringify(parts);
    const occurrence = (taken.get(key) ?? 0) + 1;
    taken.set(key, occurrence);
    return createHash('sha256')
      .update(occurrence === 1 ? key : `${key}#${occurrence}`)
      .digest('hex');
  };
  const issues: CodeQualityIssue[] = [
    ...report.problems.flatMap((problem) =>
      problem.file === undefined
        ? []
        : [
            {
              type: 'issue' as const,
              check_name: INPUT_ERROR_CHECK,
              description: `zdd could not read this input: ${problem.message}`,
              content: { body: 'The file must be valid YAML or JSON for zdd, and the cluster, to read it.' },
              categories: ['Bug Risk'],
              severity: 'blocker' as const,
              fingerprint: fingerprint([INPUT_ERROR_CHECK, repoPath(problem.file, cwd), problem.message]),
              location: { path: repoPath(problem.file, cwd), lines: { begin: problem.line ?? 1 } },
            },
          ],
    ),
    ...report.findings.map((finding) => findingIssue(finding, cwd, fingerprint)),
  ];
  return `${JSON.stringify(issues, null, 2)}\n`;
}

function findingIssue(
  finding: Finding,
  cwd: string,
  fingerprint: (parts: readonly string[]) => string,
): CodeQualityIssue {
  const object = [finding.object.namespace, finding.object.kind, finding.object.name]
    .filter((part) => part !== undefined)
    .join('/');
  const path = repoPath(finding.location.file, cwd);
  return {
    type: 'issue',
    check_name: finding.rule.id,
    description: `${finding.object.kind}/${finding.object.name}: ${finding.message}`,
    content: { body: `${finding.rule.remediation}\n\n${finding.rule.help}` },
    categories: ['Bug Risk'],
    severity: GITLAB_SEVERITY[finding.rule.severity],
    fingerprint: fingerprint([finding.rule.id, path, object, finding.field]),
    location: { path, lines: { begin: finding.location.line } },
  };
}

/**
 * GitLab wants a path relative to the repository root, with forward slashes and no leading `./`: the job
 * runs at that root.
 */
function repoPath(file: string, cwd: string): string {
  const inside = isAbsolute(file) ? relative(cwd, file) : normalize(file);
  return inside.split(sep).join('/');
}
