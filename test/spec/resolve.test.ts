import { describe, expect, test } from 'vitest';
import { parseLayer } from '../../src/spec/config-file.js';
import { PRESETS } from '../../src/spec/presets.js';
import { resolveSpec } from '../../src/spec/resolve.js';

describe('resolveSpec', () => {
  test('no layers: the default preset, on the default platform', () => {
    expect(resolveSpec([])).toEqual({ ...PRESETS.default, platform: 'openshift-router' });
  });

  test('the platform a layer names, else the default one', () => {
    expect(resolveSpec([{ platform: 'gke-neg' }, { replicas: 3 }]).platform).toBe('gke-neg');
    expect(resolveSpec([{ preset: 'seed' }]).platform).toBe('openshift-router');
  });

  test('the last layer that names a preset picks it; later layers override it field by field', () => {
    const spec = resolveSpec([{ preset: 'seed' }, { zeroDowntime: { preStop: { sleepSeconds: 20 } } }]);
    expect(spec.names).toEqual({ default: 'default-app', zeroDowntime: 'custom-app' });
    expect(spec.zeroDowntime.preStop).toEqual({
      action: 'exec',
      sleepSeconds: 20,
      shutdownCommand: '/opt/jws-5.3/tomcat/bin/shutdown.sh',
    });
  });

  test('false replaces a whole setting, and an object after it brings it back', () => {
    expect(resolveSpec([{ zeroDowntime: { readinessProbe: false } }]).zeroDowntime.readinessProbe).toBe(false);
    expect(
      resolveSpec([{ zeroDowntime: { readinessProbe: false } }, { zeroDowntime: { readinessProbe: { path: '/x' } } }])
        .zeroDowntime.readinessProbe,
    ).toEqual({
      path: '/x',
    });
  });

  test('env merges key by key', () => {
    expect(resolveSpec([{ env: { A: '1' } }, { env: { B: '2' } }]).env).toEqual({ A: '1', B: '2' });
  });

  test('does not change the presets', () => {
    const before = structuredClone(PRESETS);
    resolveSpec([{ zeroDowntime: { preStop: { sleepSeconds: 99 } } }]);
    expect(PRESETS).toEqual(before);
  });
});

describe('parseLayer (config files)', () => {
  test('accepts the documented shape and turns env values into strings', () => {
    expect(parseLayer({ port: 9000, env: { DEBUG: true, N: 3 } }, 'f.yaml')).toEqual({
      port: 9000,
      env: { DEBUG: 'true', N: '3' },
    });
  });

  test.each([
    [{ port: '8080' }, 'f.yaml: port: Invalid input: expected number, got "8080"'],
    [{ zeroDowntime: { preStop: { sleepSecs: 3 } } }, 'f.yaml: zeroDowntime.preStop: Unrecognized key: "sleepSecs"'],
    [{ workload: 'statefulset' }, 'f.yaml: workload: Invalid option: expected one of "deploymentconfig"|"deployment"'],
    [{ preset: 'nope' }, 'f.yaml: preset: Invalid option: expected one of "default"|"seed"'],
    [[1, 2], 'f.yaml: Invalid input: expected object, got [1,2]'],
    [{ port: Number.NaN }, 'f.yaml: port: Invalid input: expected number, got NaN'],
    [
      { zeroDowntime: { readinessProbe: 'on' } },
      'f.yaml: zeroDowntime.readinessProbe: Invalid input: expected false or object, got "on"',
    ],
    [{ env: { A: [1] } }, 'f.yaml: env.A: Invalid input: expected string or number or boolean, got [1]'],
    [
      { names: { default: ['x'.repeat(300)] } },
      `f.yaml: names.default: Invalid input: expected string, got ["${'x'.repeat(198)}… (304 characters)`,
    ],
    [{ [`k${'x'.repeat(500)}`]: 1 }, `f.yaml: Unrecognized key: "k${'x'.repeat(199)}"… (501 characters)`],
    [
      Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, 1])),
      'f.yaml: Unrecognized keys: "k0", "k1", "k2", "k3", "k4" and 3 more',
    ],
    [
      { port: 'a', replicas: 'b', image: 1, domain: 2, workload: 3, expose: 4, ingressClassName: 5 },
      '; and 2 more problems',
    ],
  ])('%j', (document, message) => {
    expect(() => parseLayer(document, 'f.yaml')).toThrowError(message);
  });
});
