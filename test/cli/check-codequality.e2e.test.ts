import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, REPO, zdd } from '../helpers/cli.js';

/**
 * `zdd check --format codequality`: GitLab's Code Quality report, validated against a JSON schema written from
 * GitLab's documented fields (test/fixtures/ci/codequality; GitLab publishes none), through the real CLI.
 */
interface Issue {
  check_name: string;
  description: string;
  severity: string;
  fingerprint: string;
  location: { path: string; lines: { begin: number } };
}

const schema = JSON.parse(
  readFileSync(join(REPO, 'test/fixtures/ci/codequality/gitlab-codequality.schema.json'), 'utf8'),
) as Record<string, unknown>;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const scratch = mkdtempSync(join(tmpdir(), 'zdd-test-codequality-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function codeQuality(args: readonly string[], input?: string) {
  const result =
    input === undefined
      ? await zdd(['check', '--format', 'codequality', ...args])
      : await execa(process.execPath, [BIN, 'check', '--format', 'codequality', ...args], {
          cwd: REPO,
          input,
          reject: false,
        });
  const issues = JSON.parse(result.stdout) as Issue[];
  expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
  return { exitCode: result.exitCode, issues, stderr: result.stderr };
}

describe('zdd check --format codequality', () => {
  test("every finding of every rule as an issue, severities mapped to GitLab's, fingerprints unique", async () => {
    const folder = 'test/fixtures/check/rules/';
    const json = JSON.parse((await zdd(['check', '--format', 'json', folder])).stdout) as {
      findings: Array<{ ruleId: string; severity: string; file: string; line: number }>;
    };
    const { exitCode, issues } = await codeQuality([folder]);
    expect(exitCode).toBe(1);
    expect(issues.map((issue) => [issue.check_name, issue.location.path, issue.location.lines.begin])).toEqual(
      json.findings.map((finding) => [finding.ruleId, finding.file.replace(/^\.\//, ''), finding.line]),
    );
    const mapped = { error: 'critical', warning: 'major', info: 'info' } as const;
    expect(issues.map((issue) => issue.severity)).toEqual(
      json.findings.map((finding) => mapped[finding.severity as keyof typeof mapped]),
    );
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
    expect(issues.every((issue) => /^[0-9a-f]{64}$/.test(issue.fingerprint))).toBe(true);
  });

  test('a fingerprint survives lines moving above its finding, and changes with the object', async () => {
    const original = readFileSync(join(REPO, 'dist/default.yaml'), 'utf8');
    const moved = join(scratch, 'app.yaml');
    writeFileSync(moved, original);
    const before = (await codeQuality([moved])).issues;
    writeFileSync(moved, `# a comment\n# and another\n${original}`);
    const after = (await codeQuality([moved])).issues;
    expect(after.map((issue) => issue.location.lines.begin)).toEqual(
      before.map((issue) => issue.location.lines.begin + 2),
    );
    expect(after.map((issue) => issue.fingerprint)).toEqual(before.map((issue) => issue.fingerprint));
    writeFileSync(moved, original.replaceAll('default-app', 'other-app'));
    const renamed = (await codeQuality([moved])).issues;
    expect(renamed.map((issue) => issue.check_name)).toEqual(before.map((issue) => issue.check_name));
    for (const [index, issue] of renamed.entries()) expect(issue.fingerprint).not.toBe(before[index]?.fingerprint);
  });

  test('paths relative to the working directory, without ./, also for an absolute path given', async () => {
    const relative = (await codeQuality(['./dist/default.yaml'])).issues;
    const absolute = (await codeQuality([join(REPO, 'dist/default.yaml')])).issues;
    expect(new Set(relative.map((issue) => issue.location.path))).toEqual(new Set(['dist/default.yaml']));
    expect(absolute).toEqual(relative);
    expect(relative.find((issue) => issue.check_name === 'readiness-probe-missing')?.description).toMatch(
      /^DeploymentConfig\/default-app: container "app" has no readinessProbe/,
    );
  });

  test('unreadable YAML: a blocker at its file and line, the rest still reported, exit 2', async () => {
    const broken = join(scratch, 'broken.yaml');
    writeFileSync(broken, 'apiVersion: v1\nkind: Service\nmetadata: {name: [\n');
    const { exitCode, issues, stderr } = await codeQuality([broken, 'dist/default.yaml']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('broken.yaml');
    const [first] = issues;
    expect(first?.check_name).toBe('input-error');
    expect(first?.severity).toBe('blocker');
    expect(first?.location.path).toBe(relative(REPO, broken));
    expect(issues.some((issue) => issue.check_name === 'readiness-probe-missing')).toBe(true);
  });

  test('clean manifests from standard input: only the info finding, exit 0', async () => {
    const { exitCode, issues } = await codeQuality(['-'], readFileSync(join(REPO, 'dist/zero-downtime.yaml'), 'utf8'));
    expect(exitCode).toBe(0);
    expect(issues.map((issue) => [issue.check_name, issue.severity])).toEqual([['readiness-window', 'info']]);
  });
});
