import { describe, expect, test } from 'vitest';
import { RULES } from '../../src/check/rules/index.js';
import { checkFixture, inScope } from './rule-fixtures.js';

/**
 * Each rule against its fixture: it fires on every object in its scope whose
 * name does not start with `dont-fire`, and on none that does.
 */
describe.each(RULES.map((rule) => [rule.id] as const))('%s', (id) => {
  const { report, names } = checkFixture(id);
  const fired = report.findings.filter((finding) => finding.rule.id === id);

  test('reads its fixture without problems, each name once', () => {
    expect(report.problems).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(names.filter((name) => !name.startsWith('dont-fire')).map((name) => [name]))('fires on %s', (name) => {
    expect(fired.map((finding) => finding.object.name)).toContain(name);
  });

  test.each(names.filter((name) => name.startsWith('dont-fire')).map((name) => [name]))(
    'does not fire on %s',
    (name) => {
      expect(fired.filter((finding) => finding.object.name === name).map((finding) => finding.message)).toEqual([]);
    },
  );

  test('fires only on objects of its scope, each finding a sentence naming the offender', () => {
    for (const finding of fired) {
      expect(inScope(id, finding.object.kind), finding.object.kind).toBe(true);
      expect(finding.message.length).toBeGreaterThan(20);
      expect(finding.location.line).toBeGreaterThanOrEqual(finding.object.location.line);
    }
  });
});
