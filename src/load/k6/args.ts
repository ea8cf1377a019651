/**
 * The k6 command line for the rollout load (k6/rollout-load.js). Pure: options
 * in, arguments and environment out; unusable options throw `LoadOptionError`.
 */
import { isAbsolute } from 'node:path';
import type { ConnectionPattern } from '../connections.js';
import { LoadOptionError } from '../errors.js';
import type { LoadTarget } from '../open-model.js';
import { checkHostHeader, checkTargetUrl } from '../target-url.js';

/** The load k6/rollout-load.js puts on its targets, wherever k6 runs (here, or as k6-operator runners). */
export interface K6ScriptOptions {
  /** Names must be letters, digits, `.`, `_` and `-` (they go into k6 sub-metric selectors). */
  readonly targets: readonly LoadTarget[];
  /** Requests per second per target, > 0, at most 3 decimals (k6's `rate` is an integer per `timeUnit`). */
  readonly rate: number;
  /** k6 ends the load by itself after this long (zdd normally stops it earlier), ms. */
  readonly maxDurationMs: number;
  /** Per-request timeout, ms. @default 10000 */
  readonly timeoutMs?: number;
  /** The largest error rate (0..1) a gated target may have before k6 reports a crossed threshold. @default 0 */
  readonly maxErrorRate?: number;
  /** Target names whose error rate is a k6 threshold. @default [] */
  readonly gated?: readonly string[];
  /** Targets may be on other hosts than loopback (a real cluster's routes). @default false */
  readonly allowRemote?: boolean;
}

/** What one k6 run on this machine does. */
export interface K6LoadOptions extends K6ScriptOptions {
  /** Absolute path: where the script's handleSummary() writes the end-of-test data (JSON). */
  readonly summaryFile: string;
  /** Absolute path: k6's `--out json` file (one JSON object per line, a point per request and metric). */
  readonly samplesFile: string;
  /** k6's REST API listens on 127.0.0.1:apiPort (zdd stops k6 through it). */
  readonly apiPort: number;
}

/** How to run k6: `k6 <args>` with `env` added to the environment, from the zdd package folder. */
export interface K6Invocation {
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** The script, relative to the zdd package folder (k6 runs there). */
export const K6_SCRIPT = 'k6/rollout-load.js';

export const DEFAULT_K6_TIMEOUT_MS = 10_000;

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// k6 parses durations to whole ms here; a day bounds every run.
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

/**
 * `run --quiet --no-color --no-usage-report --address 127.0.0.1:<apiPort>
 * --out json=<samplesFile> -e TARGETS=… … k6/rollout-load.js`, and the
 * environment: no usage report (no traffic but to loopback) and the classic
 * handleSummary() data (not the machine-readable summary k6 v1.5+ can switch to).
 */
export function buildK6Args(options: K6LoadOptions): K6Invocation {
  const valid = validateK6Options(options);
  const env: [string, string][] = [...scriptEnv(valid), ['SUMMARY_FILE', valid.summaryFile]];
  return {
    args: [
      'run',
      '--quiet',
      '--no-color',
      '--no-usage-report',
      '--address',
      `127.0.0.1:${valid.apiPort}`,
      '--out',
      `json=${valid.samplesFile}`,
      ...env.flatMap(([name, value]) => ['-e', `${name}=${value}`]),
      K6_SCRIPT,
    ],
    env: { K6_NO_USAGE_REPORT: 'true', K6_NEW_MACHINE_READABLE_SUMMARY: 'false' },
  };
}

/** The script's variables (`-e NAME=VALUE`) for a load, checked: the targets, rate, duration, timeout and thresholds. */
export function scriptEnv(options: K6ScriptOptions): [string, string][] {
  const { targets, rate, maxDurationMs, timeoutMs, maxErrorRate, gated } = validateScriptOptions(options);
  return [
    [
      'TARGETS',
      JSON.stringify(
        targets.map(({ name, url, connection, host }) => ({
          name,
          url,
          connection: connection ?? 'reused',
          ...(host !== undefined && { host }),
        })),
      ),
    ],
    ['RATE', String(rate)],
    ['DURATION', `${maxDurationMs}ms`],
    ['TIMEOUT', `${timeoutMs}ms`],
    ['GATED', gated.join(',')],
    ['MAX_ERROR_RATE', String(maxErrorRate)],
  ];
}

/**
 * The script's scenario for a target: `load_<name>_<connection>` with every
 * character k6 does not allow in a scenario name replaced by `_` (as
 * k6/rollout-load.js does).
 */
export function scenarioName(target: string, connection: ConnectionPattern = 'reused'): string {
  return `load_${target.replace(/[^0-9A-Za-z_]/g, '_')}_${connection}`;
}

type ValidScriptOptions = Required<K6ScriptOptions> & { readonly gated: readonly string[] };
type ValidOptions = Required<K6LoadOptions> & { readonly gated: readonly string[] };

/** Checks every option (also for callers without types), with the defaults applied. */
export function validateK6Options(options: K6LoadOptions): ValidOptions {
  const valid = validateScriptOptions(options);
  const { summaryFile, samplesFile, apiPort } = options;
  checkAbsolutePath('summaryFile', summaryFile);
  checkAbsolutePath('samplesFile', samplesFile);
  if (samplesFile === summaryFile)
    throw new LoadOptionError('samplesFile', 'a path other than summaryFile', samplesFile);
  if (!Number.isInteger(apiPort) || apiPort < 1 || apiPort > 65_535) {
    throw new LoadOptionError('apiPort', 'an integer from 1 to 65535', apiPort);
  }
  return { ...valid, summaryFile, samplesFile, apiPort };
}

/** The load's options checked, with the defaults applied. */
function validateScriptOptions(options: K6ScriptOptions): ValidScriptOptions {
  if (typeof options !== 'object' || options === null) throw new LoadOptionError('options', 'an object', options);
  const { targets, rate, maxDurationMs, timeoutMs = DEFAULT_K6_TIMEOUT_MS, maxErrorRate = 0, gated = [] } = options;
  checkTargets(targets, options.allowRemote ?? false);
  if (!isPositive(rate) || !hasAtMost3Decimals(rate)) {
    throw new LoadOptionError('rate', 'a number > 0 with at most 3 decimals', rate);
  }
  if (!Number.isInteger(maxDurationMs) || maxDurationMs < 1 || maxDurationMs > MAX_DURATION_MS) {
    throw new LoadOptionError('maxDurationMs', `an integer from 1 to ${MAX_DURATION_MS}`, maxDurationMs);
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_DURATION_MS) {
    throw new LoadOptionError('timeoutMs', `an integer from 1 to ${MAX_DURATION_MS}`, timeoutMs);
  }
  if (typeof maxErrorRate !== 'number' || !(maxErrorRate >= 0 && maxErrorRate <= 1)) {
    throw new LoadOptionError('maxErrorRate', 'a number from 0 to 1', maxErrorRate);
  }
  if (!Array.isArray(gated)) throw new LoadOptionError('gated', 'an array of target names', gated);
  for (const [index, name] of gated.entries()) {
    if (!targets.some((target) => target.name === name)) {
      throw new LoadOptionError(`gated[${index}]`, 'the name of a target', name);
    }
  }
  return { targets, rate, maxDurationMs, timeoutMs, maxErrorRate, gated, allowRemote: options.allowRemote ?? false };
}

function checkTargets(targets: unknown, allowRemote: boolean): asserts targets is readonly LoadTarget[] {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new LoadOptionError('targets', 'a non-empty array', targets);
  }
  const scenarios = new Map<string, string>();
  for (const [index, target] of targets.entries()) {
    const name: unknown = (target as Partial<LoadTarget> | null)?.name;
    if (typeof name !== 'string' || !TARGET_NAME.test(name)) {
      throw new LoadOptionError(
        `targets[${index}].name`,
        'a name of letters, digits, ".", "_" and "-" that starts with a letter or digit',
        name,
      );
    }
    const connection: unknown = (target as LoadTarget).connection ?? 'reused';
    if (connection !== 'reused' && connection !== 'new') {
      throw new LoadOptionError(`targets[${index}].connection`, '"reused" or "new"', connection);
    }
    const scenario = scenarioName(name, connection);
    const other = scenarios.get(scenario);
    if (other !== undefined) {
      const rule =
        other === name
          ? 'a name no other target with its connection has'
          : `a name whose k6 scenario (${scenario}) no other target has`;
      throw new LoadOptionError(`targets[${index}].name`, rule, name);
    }
    scenarios.set(scenario, name);
    checkTargetUrl(`targets[${index}].url`, (target as LoadTarget).url, allowRemote);
    checkHostHeader(`targets[${index}].host`, (target as LoadTarget).host);
  }
}

function checkAbsolutePath(option: string, value: unknown): void {
  if (typeof value !== 'string' || !isAbsolute(value))
    throw new LoadOptionError(option, 'an absolute file path', value);
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function hasAtMost3Decimals(value: number): boolean {
  return Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6;
}
