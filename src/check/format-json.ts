import { type CheckReport, countBySeverity, exitCodeOf } from './check-report.js';
import type { ObjectReference } from './finding.js';
import { platformProperties } from './platform-properties.js';
import { checkedPlatform } from './settings.js';
import type { Severity } from './severity.js';

/**
 * The report as one JSON document, for scripts: the verdict and its exit
 * code, the settings, each workload with what it relates to, each finding
 * with its rule's fix, the notes and the input problems. Field names are
 * stable; new ones may be added.
 */
export function formatJson(report: CheckReport, failOn: Severity, version: string): string {
  const exitCode = exitCodeOf(report, failOn);
  const rules = [...new Map(report.findings.map((finding) => [finding.rule.id, finding.rule])).values()];
  const document = {
    tool: { name: 'zdd', version },
    verdict: exitCode === 2 ? 'input-error' : exitCode === 1 ? 'fail' : 'pass',
    exitCode,
    failOn,
    settings: report.settings,
    platform: platformProperties(checkedPlatform(report.settings)),
    summary: { files: report.files.length, workloads: report.workloads.length, ...countBySeverity(report) },
    files: report.files,
    workloads: report.workloads.map((workload) => ({
      ...objectJson(workload.object),
      replicas: workload.replicas,
      services: workload.services,
      exposures: workload.exposures,
      podDisruptionBudgets: workload.pdbs,
    })),
    findings: report.findings.map((finding) => ({
      ruleId: finding.rule.id,
      severity: finding.rule.severity,
      message: finding.message,
      remediation: finding.rule.remediation,
      file: finding.location.file,
      line: finding.location.line,
      object: objectJson(finding.object),
      ...(finding.properties === undefined ? {} : { properties: finding.properties }),
    })),
    rules: rules.map((rule) => ({
      id: rule.id,
      severity: rule.severity,
      description: rule.description,
      remediation: rule.remediation,
      help: rule.help,
      ...(rule.formerIds === undefined ? {} : { formerIds: rule.formerIds }),
    })),
    notes: report.notes.map((note) => ({
      file: note.location?.file ?? null,
      line: note.location?.line ?? null,
      object: note.object ?? null,
      message: note.message,
    })),
    inputErrors: report.problems.map((problem) => ({
      file: problem.file ?? null,
      line: problem.line ?? null,
      message: problem.message,
    })),
    otherObjects: report.others,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function objectJson(object: ObjectReference) {
  return {
    kind: object.kind,
    name: object.name,
    namespace: object.namespace ?? null,
    file: object.location.file,
    line: object.location.line,
    helmSource: object.helmSource ?? null,
  };
}
