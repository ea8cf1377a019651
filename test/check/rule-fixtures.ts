import { readFileSync } from 'node:fs';
import { parseManifests } from '../../src/check/parse-manifests.js';
import { checkManifests } from '../../src/check/run-check.js';
import { CHECK_DEFAULTS } from '../../src/check/settings.js';

/** The per-rule fixtures, kube-linter style: objects named `dont-fire…` beside objects that should fire. */
export const RULE_FIXTURES = new URL('../fixtures/check/rules/', import.meta.url);

/** The kinds a rule's findings are on: workloads, except for the rules about budgets. */
export function scopeOf(ruleId: string): readonly string[] {
  return ruleId === 'pdb-blocks-evictions'
    ? ['PodDisruptionBudget']
    : ['DeploymentConfig', 'Deployment', 'StatefulSet'];
}

export function fixturePath(ruleId: string): URL {
  return new URL(`${ruleId}.yaml`, RULE_FIXTURES);
}

/** Checks a rule's fixture file with the default settings; `names` are its objects in the rule's scope. */
export function checkFixture(ruleId: string) {
  const file = `${ruleId}.yaml`;
  const text = readFileSync(fixturePath(ruleId), 'utf8');
  const names = parseManifests(file, text)
    .objects.filter((object) => scopeOf(ruleId).includes(object.kind))
    .map((object) => object.name);
  return { report: checkManifests([{ file, text }], CHECK_DEFAULTS), names };
}
