import { describe, expect, test } from 'vitest';
import { flagForField, layerFromFlags, SPEC_FLAGS } from '../../src/commands/flags/spec-flags.js';
import { specLayerSchema } from '../../src/spec/schema.js';

describe('layerFromFlags: argv → settings', () => {
  test.each([
    [{}, {}],
    [
      { port: '9000', replicas: '3' },
      { port: 9000, replicas: 3 },
    ],
    [{ 'name-default': 'a', 'name-zero-downtime': 'b' }, { names: { default: 'a', zeroDowntime: 'b' } }],
    [{ env: ['A=1', 'B=x=y'] }, { env: { A: '1', B: 'x=y' } }],
    [
      { 'max-surge': '25%', 'max-unavailable': '0' },
      { zeroDowntime: { rolling: { maxSurge: '25%', maxUnavailable: 0 } } },
    ],
    [{ 'probe-port': 'http' }, { zeroDowntime: { readinessProbe: { port: 'http' } } }],
    [{ 'readiness-probe': false }, { zeroDowntime: { readinessProbe: false } }],
    [{ prestop: true, 'prestop-sleep': '15' }, { zeroDowntime: { preStop: { sleepSeconds: 15 } } }],
    [{ 'prestop-action': 'sleep' }, { zeroDowntime: { preStop: { action: 'sleep', shutdownCommand: '' } } }],
    [{ pdb: false }, { zeroDowntime: { podDisruptionBudget: false } }],
    [{ 'cpu-limit': '2' }, { resources: { limits: { cpu: '2' } } }],
    [{ gateway: 'gw' }, { gateway: { name: 'gw' } }],
    [{ gateway: 'gw/infra' }, { gateway: { name: 'gw', namespace: 'infra' } }],
    // The constructs refuse the empty name or namespace, naming --gateway.
    [{ gateway: 'gw/' }, { gateway: { name: 'gw', namespace: '' } }],
  ])('%j', (argv, layer) => {
    expect(layerFromFlags(argv)).toEqual(layer);
  });

  test.each([
    [{ port: 'abc' }, '--port: expected a number, got "abc"'],
    [{ env: ['NOVALUE'] }, '--env: expected KEY=VALUE, got "NOVALUE"'],
    [{ prestop: false, 'shutdown-command': 'x' }, '--shutdown-command cannot be combined with --no-prestop'],
  ])('rejects %j', (argv, message) => {
    expect(() => layerFromFlags(argv)).toThrowError(message);
  });

  test('every flag sets a field of the config file, and error messages name that flag', () => {
    for (const [flag, { field, kind }] of Object.entries(SPEC_FLAGS)) {
      const sample =
        kind.kind === 'number'
          ? '1'
          : kind.kind === 'switch' || kind.kind === 'boolean'
            ? true
            : kind.kind === 'env'
              ? ['A=1']
              : kind.kind === 'choice'
                ? kind.choices[0]
                : 'x';
      const parsed = specLayerSchema.safeParse(layerFromFlags({ [flag]: sample }));
      expect(parsed.success ? [] : parsed.error.issues, flag).toEqual([]);
      expect(flagForField(field)).toBe(`--${flag}`);
    }
  });

  test("--gateway NAME/NAMESPACE sets the Gateway's namespace too, so errors there name it", () => {
    expect(flagForField('gateway.namespace')).toBe('--gateway');
  });
});
