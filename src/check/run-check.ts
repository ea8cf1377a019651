import { formatPath, type ManifestObject, objectName } from '../kubernetes/object.js';
import { parseManifests } from '../kubernetes/read-manifests.js';
import type { CheckedWorkload, CheckReport } from './check-report.js';
import type { Finding, ObjectReference } from './finding.js';
import type { InputProblem } from './input-problem.js';
import { takeInventory } from './inventory.js';
import type { Note } from './note.js';
import { relate } from './relations.js';
import type { Diagnostic, Rule } from './rule.js';
import { RULES } from './rules/index.js';
import type { CheckSettings } from './settings.js';

/** One input's text, named as the user named it. */
export interface InputText {
  readonly file: string;
  readonly text: string;
}

/**
 * Checks the manifests in `inputs`: reads every object, relates workloads to
 * their Services, Routes, Ingresses and PodDisruptionBudgets, and runs every
 * rule. `reading` holds what reading the inputs ran into: problems (inputs
 * that could not be read at all; the exit code is 2, the others are still
 * checked) and notes. Pure.
 */
export function checkManifests(
  inputs: readonly InputText[],
  settings: CheckSettings,
  reading: { readonly problems?: readonly InputProblem[]; readonly notes?: readonly Note[] } = {},
  rules: readonly Rule[] = RULES,
): CheckReport {
  const objects: ManifestObject[] = [];
  const notes: Note[] = [...(reading.notes ?? [])];
  const allProblems = [...(reading.problems ?? [])];
  for (const input of inputs) {
    const parsed = parseManifests(input.file, input.text);
    objects.push(...parsed.objects);
    notes.push(...parsed.notes);
    allProblems.push(...parsed.problems);
  }
  const inventory = takeInventory(objects);
  notes.push(...inventory.notes);
  const subjects = relate(inventory);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const add = (rule: Rule, diagnostic: Diagnostic, object: ManifestObject) => {
    const finding: Finding = {
      rule,
      message: diagnostic.message,
      location: { file: object.location.file, line: object.lineOf(diagnostic.path) },
      field: formatPath(diagnostic.path),
      object: reference(object),
      ...(diagnostic.properties === undefined ? {} : { properties: diagnostic.properties }),
    };
    // A PodDisruptionBudget or a Service of several workloads is judged once.
    const key = JSON.stringify([rule.id, finding.location, objectName(object), finding.message]);
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(finding);
  };
  for (const rule of rules) {
    if (rule.scope !== 'object') continue;
    for (const object of objects)
      for (const diagnostic of rule.check(object, settings)) add(rule, diagnostic, diagnostic.object ?? object);
  }
  for (const subject of subjects) {
    for (const rule of rules) {
      if (rule.scope === 'object') continue;
      for (const diagnostic of rule.check(subject, settings))
        add(rule, diagnostic, diagnostic.object ?? subject.workload.object);
    }
  }
  // An input without workloads is still worth its object findings (a removed API); with none, say what it held.
  if (subjects.length === 0 && findings.length === 0 && allProblems.length === 0)
    allProblems.push(nothingToCheck(inputs, objects));
  const order = new Map(rules.map((rule, index) => [rule.id, index]));
  findings.sort(
    (a, b) =>
      compareLocations(a.object.location, b.object.location) ||
      a.location.line - b.location.line ||
      (order.get(a.rule.id) ?? 0) - (order.get(b.rule.id) ?? 0),
  );
  const workloads: CheckedWorkload[] = subjects.map((subject) => ({
    object: reference(subject.workload.object),
    replicas: subject.workload.replicas,
    services: subject.services.map((service) => objectName(service.object)),
    exposures: subject.exposures.map((exposure) => objectName(exposure.object)),
    pdbs: subject.pdbs.map((pdb) => objectName(pdb.object)),
  }));
  return {
    settings,
    files: inputs.map((input) => input.file),
    workloads,
    findings,
    notes,
    problems: allProblems,
    others: inventory.others,
  };
}

function reference(object: ManifestObject): ObjectReference {
  return {
    kind: object.kind,
    name: object.name,
    namespace: object.namespace,
    location: object.location,
    helmSource: object.helmSource,
  };
}

function compareLocations(a: { file: string; line: number }, b: { file: string; line: number }): number {
  return a.file === b.file ? a.line - b.line : 0;
}

function nothingToCheck(inputs: readonly InputText[], objects: readonly ManifestObject[]): InputProblem {
  const found = objects.map(objectName);
  const shown = found.length > 10 ? `${found.slice(0, 10).join(', ')} and ${found.length - 10} more` : found.join(', ');
  const where = inputs.length === 1 ? inputs[0]?.file : `${inputs.length} files`;
  return {
    file: undefined,
    line: undefined,
    message: `no DeploymentConfig, Deployment or StatefulSet in ${where ?? 'the input'}; nothing to check (${found.length > 0 ? `found: ${shown}` : 'found no objects'})`,
  };
}
