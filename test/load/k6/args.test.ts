import { describe, expect, test } from 'vitest';
import { LoadOptionError } from '../../../src/load/errors.js';
import { buildK6Args, type K6LoadOptions, scenarioName } from '../../../src/load/k6/args.js';
import { thrown } from '../../helpers/wait.js';

const base: K6LoadOptions = {
  targets: [
    { name: 'default', url: 'http://127.0.0.1:8080/' },
    { name: 'zero-downtime', url: 'http://127.0.0.1:8081/' },
  ],
  rate: 50,
  maxDurationMs: 120_000,
  timeoutMs: 10_000,
  maxErrorRate: 0,
  gated: ['zero-downtime'],
  summaryFile: '/tmp/run/k6-summary.json',
  samplesFile: '/tmp/run/k6-samples.ndjson',
  apiPort: 6565,
};

/** The `-e NAME=value` pairs of an argument list. */
function scriptEnv(args: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  args.forEach((arg, index) => {
    if (arg !== '-e') return;
    const pair = args[index + 1] ?? '';
    env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
  });
  return env;
}

describe('buildK6Args', () => {
  test('the whole command line for zdd’s usual run', () => {
    expect(buildK6Args(base)).toEqual({
      args: [
        'run',
        '--quiet',
        '--no-color',
        '--no-usage-report',
        '--address',
        '127.0.0.1:6565',
        '--out',
        'json=/tmp/run/k6-samples.ndjson',
        '-e',
        'TARGETS=[{"name":"default","url":"http://127.0.0.1:8080/","connection":"reused"},{"name":"zero-downtime","url":"http://127.0.0.1:8081/","connection":"reused"}]',
        '-e',
        'RATE=50',
        '-e',
        'DURATION=120000ms',
        '-e',
        'TIMEOUT=10000ms',
        '-e',
        'GATED=zero-downtime',
        '-e',
        'MAX_ERROR_RATE=0',
        '-e',
        'SUMMARY_FILE=/tmp/run/k6-summary.json',
        'k6/rollout-load.js',
      ],
      env: { K6_NO_USAGE_REPORT: 'true', K6_NEW_MACHINE_READABLE_SUMMARY: 'false' },
    });
  });

  test.each<[string, Partial<K6LoadOptions>, Record<string, string>]>([
    [
      'defaults: timeout 10 s, nothing gated, error rate 0',
      { timeoutMs: undefined, gated: undefined, maxErrorRate: undefined },
      { TIMEOUT: '10000ms', GATED: '', MAX_ERROR_RATE: '0' },
    ],
    ['a fractional rate is passed as is', { rate: 0.5 }, { RATE: '0.5' }],
    [
      'both variants gated, 1 % allowed',
      { gated: ['default', 'zero-downtime'], maxErrorRate: 0.01 },
      { GATED: 'default,zero-downtime', MAX_ERROR_RATE: '0.01' },
    ],
    [
      'short runs and timeouts in ms',
      { maxDurationMs: 2500, timeoutMs: 300 },
      { DURATION: '2500ms', TIMEOUT: '300ms' },
    ],
    [
      'one target on [::1]',
      { targets: [{ name: 'a', url: 'http://[::1]:9000/health' }], gated: [] },
      { TARGETS: '[{"name":"a","url":"http://[::1]:9000/health","connection":"reused"}]' },
    ],
  ])('%s', (_title, change, expected) => {
    const { args } = buildK6Args({ ...base, ...change } as K6LoadOptions);
    expect(scriptEnv(args)).toMatchObject(expected);
    expect(args.at(-1)).toBe('k6/rollout-load.js');
  });

  test('only name, url and connection pattern (reused by default) of a target reach k6', () => {
    const target = { name: 'a', url: 'http://localhost:1/', extra: 'ignored' };
    const fresh = { name: 'a', url: 'http://localhost:1/', connection: 'new' as const };
    expect(scriptEnv(buildK6Args({ ...base, targets: [target, fresh], gated: [] }).args).TARGETS).toBe(
      '[{"name":"a","url":"http://localhost:1/","connection":"reused"},{"name":"a","url":"http://localhost:1/","connection":"new"}]',
    );
  });

  test.each<[string, unknown, string]>([
    ['options', null, 'Expected the `options` option to be an object, got null (null)'],
    ['targets', { targets: [] }, 'Expected the `targets` option to be a non-empty array, got [] (array)'],
    [
      'target name',
      { targets: [{ name: 'a b', url: 'http://127.0.0.1:1/' }], gated: [] },
      'Expected the `targets[0].name` option to be a name of letters, digits, ".", "_" and "-" that starts with a letter or digit, got "a b" (string)',
    ],
    [
      'duplicate name',
      {
        targets: [
          { name: 'a', url: 'http://127.0.0.1:1/' },
          { name: 'a', url: 'http://127.0.0.1:2/' },
        ],
        gated: [],
      },
      'Expected the `targets[1].name` option to be a name no other target with its connection has, got "a" (string)',
    ],
    [
      'names that make the same scenario',
      {
        targets: [
          { name: 'a-b', url: 'http://127.0.0.1:1/' },
          { name: 'a.b', url: 'http://127.0.0.1:2/' },
        ],
        gated: [],
      },
      'Expected the `targets[1].name` option to be a name whose k6 scenario (load_a_b_reused) no other target has, got "a.b" (string)',
    ],
    [
      'remote URL',
      { targets: [{ name: 'a', url: 'http://example.com/' }], gated: [] },
      'Expected the `targets[0].url` option to be an http:// URL on 127.0.0.1, localhost or [::1], got "http://example.com/" (string)',
    ],
    [
      'https',
      { targets: [{ name: 'a', url: 'https://127.0.0.1/' }], gated: [] },
      'Expected the `targets[0].url` option to be an http:// URL on 127.0.0.1, localhost or [::1], got "https://127.0.0.1/" (string)',
    ],
    ['rate 0', { rate: 0 }, 'Expected the `rate` option to be a number > 0 with at most 3 decimals, got 0 (number)'],
    [
      'rate with 4 decimals',
      { rate: 0.0001 },
      'Expected the `rate` option to be a number > 0 with at most 3 decimals, got 0.0001 (number)',
    ],
    [
      'maxDurationMs not an integer',
      { maxDurationMs: 1.5 },
      'Expected the `maxDurationMs` option to be an integer from 1 to 86400000, got 1.5 (number)',
    ],
    [
      'timeoutMs 0',
      { timeoutMs: 0 },
      'Expected the `timeoutMs` option to be an integer from 1 to 86400000, got 0 (number)',
    ],
    [
      'maxErrorRate > 1',
      { maxErrorRate: 2 },
      'Expected the `maxErrorRate` option to be a number from 0 to 1, got 2 (number)',
    ],
    [
      'gated not an array',
      { gated: 'zero-downtime' },
      'Expected the `gated` option to be an array of target names, got "zero-downtime" (string)',
    ],
    [
      'gated unknown',
      { gated: ['blue'] },
      'Expected the `gated[0]` option to be the name of a target, got "blue" (string)',
    ],
    [
      'relative summaryFile',
      { summaryFile: 'summary.json' },
      'Expected the `summaryFile` option to be an absolute file path, got "summary.json" (string)',
    ],
    [
      'missing samplesFile',
      { samplesFile: undefined },
      'Expected the `samplesFile` option to be an absolute file path, got undefined (undefined)',
    ],
    [
      'one file for both',
      { samplesFile: '/tmp/run/k6-summary.json' },
      'Expected the `samplesFile` option to be a path other than summaryFile, got "/tmp/run/k6-summary.json" (string)',
    ],
    ['apiPort 0', { apiPort: 0 }, 'Expected the `apiPort` option to be an integer from 1 to 65535, got 0 (number)'],
  ])('bad %s → LoadOptionError', (_title, change, message) => {
    const options = change === null ? null : { ...base, ...(change as object) };
    const error = thrown(() => buildK6Args(options as K6LoadOptions));
    expect(error).toBeInstanceOf(LoadOptionError);
    expect((error as Error).message).toBe(message);
  });
});

describe('scenarioName', () => {
  test.each([
    ['default', 'reused', 'load_default_reused'],
    ['zero-downtime', 'new', 'load_zero_downtime_new'],
    ['v1.2', 'reused', 'load_v1_2_reused'],
  ] as const)('%s, %s connections → %s', (name, connection, scenario) => {
    expect(scenarioName(name, connection)).toBe(scenario);
  });
});
