import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { RUN_LATENCY } from '../../src/load/latency.js';
import { addVariants, renderCharts } from '../../src/manifests/variants.js';
import { rowsOf } from '../../src/report/report-data.js';
import { comparisonTable } from '../../src/report/table.js';
import { terminalReport } from '../../src/report/terminal-report.js';
import { formatSetting, variantDelta } from '../../src/report/variant-delta.js';
import { parseSummaryFile } from '../../src/results-folder/summary-file.js';
import { resolveSpec } from '../../src/spec/resolve.js';
import type { SpecLayer } from '../../src/spec/schema.js';
import { RESULTS_FIXTURE } from '../helpers/report-fixtures.js';

describe('zdd report’s table is zdd compare’s', () => {
  test('the same text for the same figures', () => {
    const summary = parseSummaryFile(readFileSync(join(RESULTS_FIXTURE, 'summary.json'), 'utf8'), 'summary.json');
    const lines = terminalReport({
      title: 't',
      source: 's',
      description: 'd',
      rows: rowsOf(summary.variants),
      rounds: summary.rounds,
      verdict: summary.verdict,
      latency: RUN_LATENCY,
      settings: [],
      notes: [],
      zddVersion: 'test',
    });
    expect(lines).toContain(comparisonTable(summary.variants));
  });
});

describe('variantDelta: what differs between the variants’ manifests, names aside', () => {
  const delta = (layer: SpecLayer) => {
    const spec = resolveSpec([layer]);
    const [defaults, zeroDowntime] = renderCharts(addVariants(new App(), spec));
    return variantDelta({ default: defaults?.yaml ?? '', zeroDowntime: zeroDowntime?.yaml ?? '' }, spec.names).map(
      (difference) => [
        difference.kind,
        difference.path,
        formatSetting(difference.default),
        formatSetting(difference.zeroDowntime),
      ],
    );
  };

  test('the default preset', () => {
    expect(delta({})).toEqual([
      ['DeploymentConfig', 'spec.strategy.rollingParams', 'not set', '{ maxSurge: 1, maxUnavailable: 0 }'],
      [
        'DeploymentConfig',
        'spec.template.spec.containers[0].lifecycle',
        'not set',
        '{ preStop: { exec: { command: [ /bin/sh, -c, sleep 10; node /opt/app-root/src/shutdown.js ] } } }',
      ],
      [
        'DeploymentConfig',
        'spec.template.spec.containers[0].readinessProbe',
        'not set',
        '{ failureThreshold: 3, httpGet: { path: /healthz, port: 8080, scheme: HTTP }, initialDelaySeconds: 0, periodSeconds: 2, successThreshold: 1, timeoutSeconds: 1 }',
      ],
      ['DeploymentConfig', 'spec.template.spec.terminationGracePeriodSeconds', 'not set', '40'],
      [
        'PodDisruptionBudget',
        'spec',
        'not set',
        '{ maxUnavailable: 1, selector: { matchLabels: { app.kubernetes.io/name: <name> } } }',
      ],
    ]);
  });

  test('a knob switched off is not in it; a Deployment’s rolling update is', () => {
    const paths = delta({ workload: 'deployment', zeroDowntime: { preStop: false } }).map(
      ([kind, path]) => `${kind} ${path}`,
    );
    expect(paths).toContain('Deployment spec.strategy.rollingUpdate');
    expect(paths).not.toContain('Deployment spec.template.spec.containers[0].lifecycle');
  });
});
