import type { SourceLocation } from '../kubernetes/object.js';
import { DEFAULT_WIDTH } from '../runtime/terminal.js';
import { wrapLine } from '../runtime/wrap-text.js';
import { type CheckReport, countBySeverity, exitCodeOf } from './check-report.js';
import type { Finding, ObjectReference } from './finding.js';
import type { Note } from './note.js';
import { SEVERITIES, type Severity } from './severity.js';

/**
 * The report for a terminal: one block per object (workloads in input
 * order, then other objects with findings), each finding with its rule, its
 * file:line, what is wrong and the fix; notes; then the summary and verdict.
 * Input problems go to stderr, not here. Lines longer than `width` wrap at
 * spaces, each under the column its text starts in.
 */
export function formatHuman(report: CheckReport, failOn: Severity, width = DEFAULT_WIDTH): string {
  const lines: string[] = [];
  const push = (line: string, indent?: string) => lines.push(...wrapLine(line, width, indent));
  const { groups, loose } = groupByObject(report);
  for (const group of groups) {
    push(`${group.object.kind}/${group.object.name}${namespaceOf(group.object)}  ${where(group.object)}`);
    if (group.relations !== undefined) push(`  ${group.relations}`);
    if (group.findings.length === 0 && group.notes.length === 0) push('  no findings');
    for (const finding of group.findings) {
      push(`  ${finding.rule.severity.padEnd(7)} ${finding.rule.id}  ${at(finding.location)}`, FINDING_INDENT);
      push(`${FINDING_INDENT}${finding.message}`, FINDING_INDENT);
      push(`${FINDING_INDENT}${finding.rule.severity === 'info' ? 'hint' : 'fix'}: ${finding.rule.remediation}`);
    }
    for (const note of group.notes)
      push(`  note    ${note.location ? `${at(note.location)}  ` : ''}${note.message}`, FINDING_INDENT);
    lines.push('');
  }
  if (loose.length > 0) {
    lines.push('notes:');
    for (const note of loose) {
      const about = note.object === undefined ? '' : `${note.object}: `;
      push(`  ${note.location ? `${at(note.location)}  ` : ''}${about}${note.message}`);
    }
    lines.push('');
  }
  if (report.others.length > 0) {
    push(`also read (kinds zdd neither checks nor relates): ${shortList(report.others)}`);
    lines.push('');
  }
  for (const line of summary(report, failOn).split('\n')) push(line);
  return `${lines.join('\n')}\n`;
}

/** Where a finding's text starts: under its rule's id. */
const FINDING_INDENT = ' '.repeat(10);

interface Group {
  readonly object: ObjectReference;
  readonly relations: string | undefined;
  readonly findings: Finding[];
  readonly notes: Note[];
}

/** Findings and notes by the object they are on; notes about objects without a block are `loose`. */
function groupByObject(report: CheckReport): { groups: Group[]; loose: Note[] } {
  const groups = new Map<string, Group>();
  const key = (object: { kind: string; name: string; location: SourceLocation }) =>
    `${object.location.file}\n${object.location.line}\n${object.kind}/${object.name}`;
  for (const workload of report.workloads) {
    groups.set(key(workload.object), {
      object: workload.object,
      relations: relations(workload.replicas, workload.services, workload.exposures, workload.pdbs),
      findings: [],
      notes: [],
    });
  }
  for (const finding of report.findings) {
    const k = key(finding.object);
    const group = groups.get(k) ?? { object: finding.object, relations: undefined, findings: [], notes: [] };
    group.findings.push(finding);
    groups.set(k, group);
  }
  // A note goes to the first block of its object in its file: looked up by name, not searched for in every block.
  const byName = new Map<string, Group>();
  const nameKey = (object: string, file: string) => JSON.stringify([object, file]);
  for (const group of groups.values()) {
    const k = nameKey(`${group.object.kind}/${group.object.name}`, group.object.location.file);
    if (!byName.has(k)) byName.set(k, group);
  }
  const loose: Note[] = [];
  for (const note of report.notes) {
    const group =
      note.object === undefined || note.location === undefined
        ? undefined
        : byName.get(nameKey(note.object, note.location.file));
    if (group) group.notes.push(note);
    else loose.push(note);
  }
  return { groups: [...groups.values()], loose };
}

function relations(
  replicas: number,
  services: readonly string[],
  exposures: readonly string[],
  pdbs: readonly string[],
): string {
  const parts = [`${replicas} replica${replicas === 1 ? '' : 's'}`];
  parts.push(services.length === 0 ? 'no Service selects its pods' : `served by ${services.join(', ')}`);
  if (exposures.length > 0) parts.push(`exposed by ${exposures.join(', ')}`);
  parts.push(pdbs.length === 0 ? 'no PodDisruptionBudget' : `guarded by ${pdbs.join(', ')}`);
  return parts.join(' · ');
}

function summary(report: CheckReport, failOn: Severity): string {
  const counts = countBySeverity(report);
  const files = `${report.files.length} file${report.files.length === 1 ? '' : 's'}`;
  const workloads = `${report.workloads.length} workload${report.workloads.length === 1 ? '' : 's'}`;
  const tally = SEVERITIES.map((severity) => `${counts[severity]} ${severity}${plural(severity, counts[severity])}`);
  const head = `checked ${workloads} in ${files} (platform ${report.settings.platform}): ${tally.join(', ')}`;
  const code = exitCodeOf(report, failOn);
  if (code === 2) {
    const count = report.problems.length;
    return `${head}\nINPUT ERROR: ${count} input problem${count === 1 ? '' : 's'} (on stderr); the rest was checked`;
  }
  const failing = SEVERITIES.slice(0, SEVERITIES.indexOf(failOn) + 1).reduce((sum, s) => sum + counts[s], 0);
  return code === 1
    ? `${head}\nFAIL: ${failing} finding${failing === 1 ? '' : 's'} at or above --fail-on ${failOn}`
    : `${head}\nPASS: no finding at or above --fail-on ${failOn}`;
}

function plural(severity: Severity, count: number): string {
  return severity === 'info' || count === 1 ? '' : 's';
}

function where(object: ObjectReference): string {
  return `${at(object.location)}${object.helmSource ? ` (from ${object.helmSource})` : ''}`;
}

function namespaceOf(object: ObjectReference): string {
  return object.namespace === undefined ? '' : ` in namespace ${object.namespace}`;
}

function at(location: SourceLocation): string {
  return `${location.file}:${location.line}`;
}

function shortList(names: readonly string[]): string {
  return names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
}
