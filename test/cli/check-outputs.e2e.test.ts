import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { BIN, REPO } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';

/**
 * `zdd check` on zdd's own Helm and kustomize outputs, rendered by the real tools and piped in as a release
 * pipeline would: the zero-downtime variant passes, the default one fails on the same rules as the plain file.
 */
const helm = findTool('helm');
const kubectl = findTool('kubectl');

async function checkStdin(yaml: string) {
  return execa(process.execPath, [BIN, 'check', '-', '--format', 'json'], { cwd: REPO, input: yaml, reject: false });
}

function ruleIds(stdout: string): string[] {
  const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; severity: string }> };
  return [...new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId))].sort();
}

describe('zdd check on the Helm chart and the kustomize overlay in dist/', () => {
  test.skipIf(!helm)(
    `helm template … | zdd check -${helm ? '' : ' (skipped: helm is not installed: go install helm.sh/helm/v3/cmd/helm@v3.22.0)'}`,
    async () => {
      const chart = 'dist/helm/zero-downtime-app';
      const on = await execa(helm as string, ['template', 'zero-downtime-app', chart], { cwd: REPO });
      const zd = await checkStdin(on.stdout);
      expect(zd.exitCode, zd.stderr).toBe(0);
      expect(ruleIds(zd.stdout)).toEqual([]);
      const off = await execa(
        helm as string,
        [
          'template',
          'default-app',
          chart,
          '--set',
          'zeroDowntime.enabled=false',
          '--set',
          'fullnameOverride=default-app',
        ],
        { cwd: REPO },
      );
      const defaults = await checkStdin(off.stdout);
      expect(defaults.exitCode).toBe(1);
      expect(ruleIds(defaults.stdout)).toEqual(['pdb-missing', 'prestop-missing', 'readiness-probe-missing']);
    },
  );

  test.skipIf(!kubectl)(
    `kubectl kustomize … | zdd check -${kubectl ? '' : ' (skipped: kubectl is not installed)'}`,
    async () => {
      const overlay = await execa(kubectl as string, ['kustomize', 'dist/kustomize/overlays/zero-downtime'], {
        cwd: REPO,
      });
      const zd = await checkStdin(overlay.stdout);
      expect(zd.exitCode, zd.stderr).toBe(0);
      expect(ruleIds(zd.stdout)).toEqual([]);
      const base = await execa(kubectl as string, ['kustomize', 'dist/kustomize/base'], { cwd: REPO });
      expect(ruleIds((await checkStdin(base.stdout)).stdout)).toEqual([
        'pdb-missing',
        'prestop-missing',
        'readiness-probe-missing',
      ]);
    },
  );
});
