import { readFileSync } from 'node:fs';
import { checkManifests } from '../../src/check/run-check.js';
import { CHECK_DEFAULTS } from '../../src/check/settings.js';
import { parseManifests } from '../../src/kubernetes/read-manifests.js';

/** The per-rule fixtures, kube-linter style: objects named `dont-fire…` beside objects that should fire. */
export const RULE_FIXTURES = new URL('../fixtures/check/rules/', import.meta.url);

/** The kinds a rule's findings are on (undefined: any): workloads, except for the rules about budgets and Services. */
export function scopeOf(ruleId: string): readonly string[] | undefined {
  if (ruleId === 'removed-api-version') return undefined;
  if (ruleId === 'pdb-blocks-evictions') return ['PodDisruptionBudget'];
  if (ruleId.startsWith('service-')) return ['Service'];
  return ['DeploymentConfig', 'Deployment', 'StatefulSet'];
}

/** Whether an object of `kind` is in the rule's scope. */
export function inScope(ruleId: string, kind: string): boolean {
  return scopeOf(ruleId)?.includes(kind) ?? true;
}

export function fixturePath(ruleId: string): URL {
  return new URL(`${ruleId}.yaml`, RULE_FIXTURES);
}

/** Checks a rule's fixture file with the default settings; `names` are its objects in the rule's scope. */
export function checkFixture(ruleId: string) {
  const file = `${ruleId}.yaml`;
  const text = readFileSync(fixturePath(ruleId), 'utf8');
  const names = parseManifests(file, text)
    .objects.filter((object) => inScope(ruleId, object.kind))
    .map((object) => object.name);
  return { report: checkManifests([{ file, text }], CHECK_DEFAULTS), names };
}
