import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CheckReport, countBySeverity } from './check-report.js';
import { platformProperties } from './platform-properties.js';
import type { Rule } from './rule.js';
import { checkedPlatform } from './settings.js';
import type { Severity } from './severity.js';

/** SARIF's result levels for zdd's severities. */
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** The name SARIF gets for standard input (a relative URI reference, as SARIF requires). */
export const STDIN_URI = 'stdin';

/**
 * The report as a SARIF 2.1.0 log, for code-scanning UIs: one run whose
 * driver lists every rule (id, one-line description, the fix and the sources
 * of its numbers as help, default level), one result per finding at its
 * file and line with the object as a logical location, and the input
 * problems and notes as tool execution notifications.
 */
export function formatSarif(report: CheckReport, rules: readonly Rule[], version: string): string {
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'zdd',
            version,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: ruleName(rule.id),
              shortDescription: { text: rule.description },
              fullDescription: { text: `${rule.description} ${rule.help}` },
              help: { text: `${rule.remediation}\n\n${rule.help}` },
              ...(rule.formerIds === undefined ? {} : { deprecatedIds: [...rule.formerIds] }),
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: {
                tags: ['kubernetes', 'openshift', 'zero-downtime'],
                ...(rule.properties === undefined ? {} : rule.properties(report.settings)),
              },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: report.problems.length === 0,
            toolExecutionNotifications: [
              ...report.problems.map((problem) => ({
                level: 'error' as const,
                message: { text: problem.message },
                ...(problem.file === undefined ? {} : { locations: [location(problem.file, problem.line)] }),
              })),
              ...report.notes.map((note) => ({
                level: 'note' as const,
                message: { text: note.object === undefined ? note.message : `${note.object}: ${note.message}` },
                ...(note.location === undefined
                  ? {}
                  : { locations: [location(note.location.file, note.location.line)] }),
              })),
            ],
          },
        ],
        results: report.findings.map((finding) => ({
          ruleId: finding.rule.id,
          ruleIndex: index.get(finding.rule.id) ?? -1,
          level: LEVEL[finding.rule.severity],
          message: { text: `${finding.message}. Fix: ${finding.rule.remediation}` },
          locations: [
            {
              ...location(finding.location.file, finding.location.line),
              logicalLocations: [
                {
                  name: `${finding.object.kind}/${finding.object.name}`,
                  fullyQualifiedName: [finding.object.namespace, finding.object.kind, finding.object.name]
                    .filter((part) => part !== undefined)
                    .join('/'),
                  kind: 'resource',
                },
              ],
            },
          ],
          ...(finding.properties === undefined ? {} : { properties: finding.properties }),
        })),
        properties: {
          summary: countBySeverity(report),
          settings: report.settings,
          platform: platformProperties(checkedPlatform(report.settings)),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function location(file: string, line: number | undefined) {
  return {
    physicalLocation: {
      artifactLocation: { uri: fileUri(file) },
      ...(line === undefined ? {} : { region: { startLine: line } }),
    },
  };
}

/** A path as a SARIF URI: relative paths stay relative (code scanning resolves them from the repository root). */
export function fileUri(file: string): string {
  if (file === '<stdin>') return STDIN_URI;
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** `readiness-probe-missing` → `ReadinessProbeMissing`, SARIF's conventional rule name. */
function ruleName(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
