import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { zdd } from '../helpers/cli.js';

/**
 * Resources through the real CLI: merged key by key (preset < config file < flags), and a request above its
 * limit refused, as the API server would refuse the pod, before any file is written.
 */

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'zdd-resources-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** The app container's resources in each variant `synth --stdout` prints. */
async function resources(args: readonly string[]): Promise<unknown[]> {
  const result = await zdd(['synth', '--stdout', ...args], { cwd: scratch });
  expect(result.exitCode, result.stderr).toBe(0);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS())
    .filter((object) => object?.kind === 'DeploymentConfig' || object?.kind === 'Deployment')
    .map((object) => object.spec.template.spec.containers[0].resources);
}

function config(text: string): string {
  const path = join(scratch, 'zdd.yaml');
  writeFileSync(path, text);
  return path;
}

describe('synth resources: key by key', () => {
  test('one flag keeps the other defaults', async () => {
    const both = await resources(['--cpu-request', '200m']);
    expect(both).toEqual([
      { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    ]);
  });

  test('preset < config file < flags, per key', async () => {
    const file = config('resources:\n  limits:\n    memory: 2Gi\n');
    const [first] = await resources(['--preset', 'seed', '--config', file, '--cpu-limit', '2']);
    expect(first).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } });
  });

  test.each([
    [['--cpu-request', '500m', '--cpu-limit', '1']],
    [['--cpu-request', '1', '--cpu-limit', '1000m']],
    [['--memory-request', '1G', '--memory-limit', '1Gi']],
    [['--memory-request', '0.5Gi', '--memory-limit', '512Mi']],
  ])('a request up to its limit is accepted: %j', async (args) => {
    expect(await resources(args)).toHaveLength(2);
  });
});

describe('synth resources: a request above its limit', () => {
  test.each([
    [['--cpu-request', '900m', '--cpu-limit', '100m'], 'resources.requests.cpu (--cpu-request)', '100m', '900m'],
    [['--cpu-request', '1.5'], 'resources.requests.cpu (--cpu-request)', '500m', '1.5'],
    [['--memory-request', '2Gi'], 'resources.requests.memory (--memory-request)', '256Mi', '2Gi'],
    [['--memory-limit', '1G', '--memory-request', '1Gi'], 'resources.requests.memory (--memory-request)', '1G', '1Gi'],
    [['--preset', 'seed', '--cpu-limit', '200m'], 'resources.requests.cpu (--cpu-request)', '200m', '250m'],
  ])('%j', async (args, field, limit, request) => {
    const out = join(scratch, 'out');
    const result = await zdd(['synth', '--out', out, ...args], { cwd: scratch });
    const resource = field.includes('cpu') ? 'cpu' : 'memory';
    expect(result.stderr).toBe(
      `zdd: invalid setting ${field}: must be at most resources.limits.${resource}, ${limit} (Kubernetes refuses a request above its limit), got "${request}"`,
    );
    expect(result.exitCode).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  test('from a config file', async () => {
    const file = config('resources:\n  requests:\n    memory: 2Gi\n  limits:\n    memory: 1G\n');
    const result = await zdd(['synth', '--stdout', '--config', file], { cwd: scratch });
    expect(result.stderr).toContain(
      'invalid setting resources.requests.memory (--memory-request): must be at most resources.limits.memory, 1G',
    );
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
  });
});
