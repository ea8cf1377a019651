import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort } from '../../src/runtime/free-port.js';
import { zdd } from '../helpers/cli.js';

/**
 * `zdd compare --target cluster` without a cluster: what it checks before it touches one, what --dry-run
 * prints, and what it says when the cluster cannot be reached. (The runs against a real control plane are in
 * test/testbed/.)
 */
const scratch = mkdtempSync(join(tmpdir(), 'zdd-test-cluster-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A kubeconfig whose server nothing listens on. */
async function deadKubeconfig(): Promise<string> {
  const path = join(scratch, `kubeconfig-${await freePort()}`);
  const port = await freePort();
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters: [{ name: dead, cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]
users: [{ name: me, user: { token: abc } }]
contexts: [{ name: dead, context: { cluster: dead, user: me, namespace: from-context } }]
current-context: dead
`,
  );
  return path;
}

describe('compare --target cluster: the flags', () => {
  test.each([
    [['--target', 'cluster', '--time-scale', '0.1'], '--time-scale: only with --target local'],
    [['--target', 'cluster', '--image-command', 'x:*=node a.js'], '--image-command: only with --target local'],
    [['--namespace', 'demo'], '--namespace: only with --target cluster'],
    [['--dry-run', '--cleanup'], '--cleanup, --dry-run: only with --target cluster'],
    [
      ['--target', 'cluster', '--route-url', 'default-app'],
      '--route-url: expected NAME=http://HOST[:PORT]/, got "default-app"',
    ],
    [['--target', 'cluster', '--router-address', 'router'], '--router-address: expected HOST:PORT, got "router"'],
    [['--target', 'cluster', '--namespace', 'Demo_1'], '--namespace: expected a Kubernetes namespace name'],
    [['--target', 'openshift'], '--target: expected one of local, cluster, got "openshift"'],
  ])('%j', async (args, message) => {
    const result = await zdd(['compare', ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test('neither oc nor kubectl on PATH: exit 2, says what to install', async () => {
    const result = await zdd(['compare', '--target', 'cluster', '--namespace', 'demo'], {
      env: { PATH: scratch, HOME: scratch },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--target cluster needs oc or kubectl on PATH');
  });

  test('a cluster that does not answer: exit 2 before anything else, naming the command', async () => {
    const result = await zdd([
      'compare',
      '--target',
      'cluster',
      '--kubeconfig',
      await deadKubeconfig(),
      '--load',
      'builtin',
    ]);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/the cluster does not answer: .*refused/);
    expect(result.stderr).toContain('--namespace from-context auth can-i get deploymentconfigs.apps.openshift.io');
  });
});

describe('compare --target cluster --dry-run', () => {
  test('prints every command, in order, with the run id; contacts nothing (the kubeconfig points nowhere)', async () => {
    const result = await zdd([
      'compare',
      '--target',
      'cluster',
      '--dry-run',
      '--kubeconfig',
      await deadKubeconfig(),
      '--rounds',
      '2',
      '--router-address',
      '127.0.0.1:8080',
      '--load',
      'builtin',
      '--cleanup',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const commands = lines.filter((line) => line.startsWith('kubectl '));
    const first = (pattern: RegExp) => commands.findIndex((line) => pattern.test(line));
    // The context's namespace, read from the kubeconfig alone.
    expect(commands.every((line) => line.includes('--namespace from-context'))).toBe(true);
    expect(first(/auth can-i create deploymentconfigs/)).toBeGreaterThanOrEqual(0);
    expect(first(/auth can-i delete poddisruptionbudgets/)).toBeGreaterThanOrEqual(0);
    // Checks, then the ownership gets, the apply, the watches, the rollouts and the cleanup, in that order.
    const order = [
      first(/auth can-i/),
      first(/get deploymentconfigs.apps.openshift.io\/default-app --ignore-not-found/),
      first(/apply --filename -/),
      first(/get pods .* --watch/),
      first(/get routes.route.openshift.io\/zero-downtime-app .*# its host/),
      first(/patch deploymentconfigs.apps.openshift.io\/default-app --type merge/),
      first(
        /delete deploymentconfigs.apps.openshift.io,services,routes.route.openshift.io,poddisruptionbudgets.policy/,
      ),
    ];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(
      commands.filter((line) => /patch deploymentconfigs.apps.openshift.io\/zero-downtime-app/.test(line)),
    ).toHaveLength(2);
    const runId = /labelled zdd\/run-id=(\S+)/.exec(result.stdout)?.[1];
    expect(runId).toMatch(/^\d{8}t\d{6}z-[0-9a-f]{6}$/);
    expect(result.stdout).toContain(`--selector zdd/run-id=${runId}`);
    expect(result.stdout).toContain('sent to 127.0.0.1:8080 with that Host header');
  });
});
