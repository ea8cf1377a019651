import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RULES } from '../../src/check/rules/index.js';
import { seconds } from '../../src/check/rules/phrases.js';
import { SEVERITIES } from '../../src/check/severity.js';
import { allPlatforms } from '../../src/platforms/index.js';
import { minimumPreStopSeconds } from '../../src/platforms/timings.js';
import { checkFixture, fixturePath, RULE_FIXTURES } from './rule-fixtures.js';

/**
 * The catalog tests itself (kube-linter's built_in_checks_test.go): every rule
 * says what it is, why, the exact fix and where its numbers come from, and
 * has a fixture with objects that fire and objects that do not.
 */
describe('the rule catalog', () => {
  test('ids are unique, kebab-case', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
  });

  test.each(RULES.map((rule) => [rule.id, rule] as const))('%s describes itself', (_, rule) => {
    expect(SEVERITIES).toContain(rule.severity);
    expect(rule.description, 'one line').not.toMatch(/\n/);
    expect(rule.description.length).toBeGreaterThan(30);
    expect(rule.remediation, 'the remediation ends with a period').toMatch(/\.$/);
    expect(rule.remediation).not.toMatch(/\n/);
    expect(rule.help.length, 'help cites where its numbers come from').toBeGreaterThan(100);
  });

  test.each(RULES.map((rule) => [rule.id] as const))(
    '%s has a fixture with objects that fire and objects that do not',
    (id) => {
      expect(existsSync(fixturePath(id)), `test/fixtures/check/rules/${id}.yaml`).toBe(true);
      const { names } = checkFixture(id);
      expect(names.some((name) => name.startsWith('dont-fire'))).toBe(true);
      expect(names.some((name) => !name.startsWith('dont-fire'))).toBe(true);
    },
  );

  test('every fixture file belongs to a rule', () => {
    const files = readdirSync(fileURLToPath(RULE_FIXTURES)).filter((file) => file.endsWith('.yaml'));
    expect(files.sort()).toEqual(RULES.map((rule) => `${rule.id}.yaml`).sort());
  });

  test('the two timing rules say they are zdd’s own, naming the tools that lack them', () => {
    for (const id of ['prestop-shorter-than-propagation', 'grace-period-budget']) {
      const rule = RULES.find((r) => r.id === id);
      expect(rule?.help).toMatch(/zdd's own/);
      for (const tool of ['kube-score', 'kube-linter', 'Polaris', 'Kyverno']) expect(rule?.help).toContain(tool);
    }
  });

  test('the propagation rule cites where the reload interval comes from, and names every platform', () => {
    const rule = RULES.find((r) => r.id === 'prestop-shorter-than-propagation');
    const help = rule?.help ?? '';
    expect(help).toContain('RELOAD_INTERVAL');
    expect(help).toContain('tuningOptions.reloadInterval');
    for (const profile of allPlatforms()) {
      expect(help).toContain(`${profile.name} ${seconds(minimumPreStopSeconds(profile))}`);
    }
    expect(rule?.formerIds).toEqual(['prestop-shorter-than-router-reload']);
  });
});
