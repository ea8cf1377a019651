import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { SETTING_ROWS } from '../../src/spec/settings.js';

/**
 * The constructs take their defaults from the settings table (src/spec/settings.ts); their props' `@default`
 * tags document them where they are used. A tag with a value must be the table's value.
 */
const PROPS: ReadonlyArray<readonly [prefix: string, file: string, props: string]> = [
  ['', 'src/spec/app-props.ts', 'AppChartProps'],
  ['zeroDowntime.', 'src/spec/app-props.ts', 'ZeroDowntimeProps'],
  ['zeroDowntime.rolling.', 'src/spec/app-props.ts', 'RollingProps'],
  ['zeroDowntime.readinessProbe.', 'src/spec/app-props.ts', 'ReadinessProbeProps'],
  ['zeroDowntime.preStop.', 'src/spec/app-props.ts', 'PreStopProps'],
];

function defaultTags(file: string, props: string): Map<string, string> {
  const source = readFileSync(file, 'utf8');
  const body = new RegExp(`interface ${props}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? '';
  const tags = new Map<string, string>();
  for (const match of body.matchAll(/@default ([^\n]*?)\s*(?:\*\/)?\n(?:\s*\*[^\n]*\n)*?\s*readonly (\w+)\?/g)) {
    tags.set(match[2] ?? '', (match[1] ?? '').trim());
  }
  return tags;
}

test("the props' @default values are the settings table's", () => {
  const checked: string[] = [];
  for (const [prefix, file, props] of PROPS) {
    const tags = defaultTags(file, props);
    expect(tags.size, props).toBeGreaterThan(0);
    for (const [path, row] of SETTING_ROWS) {
      const field = path.slice(prefix.length);
      if (!path.startsWith(prefix) || field.includes('.') || row.default === undefined) continue;
      const tag = tags.get(field);
      if (tag === undefined || tag.startsWith('-')) continue;
      expect(tag, `${props}.${field}`).toBe(typeof row.default === 'string' ? `'${row.default}'` : String(row.default));
      checked.push(path);
    }
  }
  expect(checked).toEqual(expect.arrayContaining(['port', 'replicas', 'platform', 'zeroDowntime.rolling.maxSurge']));
});
