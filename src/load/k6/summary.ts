/**
 * Reads the end-of-test data k6 hands to handleSummary() (k6/rollout-load.js
 * writes it to a file as JSON). Pure.
 *
 * Three shapes exist, and all are read into the same figures:
 *
 * - `values` — handleSummary()'s argument from k6 v0.30 to today (v1.x, and v2.x by default):
 *   `{ root_group, options, state: { testRunDurationMs }, metrics: { <name>: { type, contains,
 *   values: { count, rate, avg, 'p(95)', passes, fails, … }, thresholds?: { <source>: { ok } } } } }`.
 * - `flat` — what `k6 run --summary-export` writes (k6's summary-wrapper.js `oldJSONSummary()`): the
 *   `values` fields directly on the metric, a rate's `rate` renamed `value`, and `thresholds: { <source>:
 *   <crossed> }` where `true` means the threshold FAILED (the inverse of `ok`); no `type`, no `state`.
 * - `machine-readable` — opt-in since k6 v1.5 (`--new-machine-readable-summary` or
 *   `K6_NEW_MACHINE_READABLE_SUMMARY=true`; still opt-in in v2.2): `{ version: "1.0.0", config: { duration
 *   (s), execution, script }, metadata: { generated_at, k6_version }, results: { checks: { metrics, results },
 *   metrics: [ { name, type, contains, values } ] } }`, with counter values `{ count }`, rate values
 *   `{ matches, total, rate }` and trend values `{ avg, min, med, max, p90, p95 }` (never p99, whatever
 *   summaryTrendStats says). Based on grafana/k6's internal/lib/summary/machine_readable.go and
 *   machinereadable/types_gen.go (schema 1.0.0), TestMachineReadableSummary in
 *   internal/cmd/tests/cmd_run_test.go (k6 at v2.2), and a real k6 v1.8.1 file
 *   (test/fixtures/k6/v1.8.1/machine-readable.summary.json): the object reaches the script through Sobek's
 *   field-name mapper, so keys are snake_case (`generated_at`, `p90`) and not the generated JSON tags
 *   (`generatedAt`, `p(90)`); both are read here. Sub-metrics with thresholds are listed like other metrics,
 *   but threshold results are not (`hasThresholds: false`), and `config.script` is the script's source. zdd
 *   still runs k6 with `K6_NEW_MACHINE_READABLE_SUMMARY=false` (see args.ts) to get the threshold results.
 *
 * Per-variant figures come from the sub-metrics `http_reqs{variant:x}`, `http_req_failed{variant:x}` and
 * `http_req_duration{variant:x}`, which k6 reports only because the script declares a threshold on each of
 * them for every target; `dropped_iterations{scenario:load_x}` (and `load_x_reused`, `load_x_new`) likewise.
 * Sub-metrics that select more tags (`http_req_failed{variant:x,connection:new}`) name no variant.
 *
 * What is not there is not invented (never 0), and each gap is a sentence in `warnings`:
 * - Trend columns follow `summaryTrendStats` (`--summary-trend-stats`), which may leave out any of them.
 *   `avg` and `max` are required (an error names the metric and the columns it has); `min`, `med`,
 *   `p(90)`, `p(95)` and `p(99)` are read when present, else undefined.
 * - Without `http_req_failed` (k6 before v0.31 had no such metric; `http.setResponseCallback(null)` turns
 *   it off) the number of failed requests is unknown: `failed` and `errorRate` are undefined. It cannot be
 *   derived from the summary: the `expected_response` sub-metrics came with the same k6 version, and checks
 *   test whatever the script chose. (The `--out json` points still tell, by their `status` tag: ndjson.ts.)
 * - `rps` is the counter's `rate`, else requests ÷ the test duration, else undefined.
 * - `total` counts every request, setup() and teardown() ones too; requests in no variant are
 *   `unattributedRequests`.
 */
import { K6SummaryError } from './errors.js';

export type K6SummaryShape = 'values' | 'flat' | 'machine-readable';

/** The figures of one variant (or of all requests), from k6's own aggregation; absent figures are undefined. */
export interface K6VariantSummary {
  readonly requests: number;
  /** Requests k6 counts in http_req_failed (status 0 or ≥ 400); undefined when the summary has no http_req_failed. */
  readonly failed?: number;
  /** failed / requests, 0..1; undefined with `failed`. */
  readonly errorRate?: number;
  /** http_req_duration (sending + waiting + receiving; without connecting), ms. */
  readonly avgMs: number;
  readonly maxMs: number;
  /** Present when the summary's trend columns (summaryTrendStats) include `min`. */
  readonly minMs?: number;
  /** Present when they include `med` (k6's default columns do). */
  readonly medianMs?: number;
  /** Present when they include `p(90)`. */
  readonly p90Ms?: number;
  /** Present when they include `p(95)` (k6's default columns do). */
  readonly p95Ms?: number;
  /** Present when they include `p(99)` (k6/rollout-load.js asks for it; k6's default columns do not). */
  readonly p99Ms?: number;
  /** Requests per second over the whole test run; undefined when the summary says neither rate nor duration. */
  readonly rps?: number;
  /** Scheduled requests k6 did not send because no VU was free; undefined when the summary does not say. */
  readonly droppedIterations?: number;
}

/** One threshold, e.g. `{ metric: 'http_req_failed{variant:zero-downtime}', source: 'rate<=0', ok: true }`. */
export interface K6ThresholdResult {
  readonly metric: string;
  readonly source: string;
  readonly ok: boolean;
}

export interface K6CheckResult {
  readonly name: string;
  readonly passes: number;
  readonly fails: number;
}

export interface K6Summary {
  readonly shape: K6SummaryShape;
  /** Per variant (the `variant` tag), sorted by name. */
  readonly variants: ReadonlyMap<string, K6VariantSummary>;
  /** All requests together; undefined when the summary has no http_reqs metric (no request was made). */
  readonly total?: K6VariantSummary;
  /** Every threshold the summary reports, sorted by metric then source. */
  readonly thresholds: readonly K6ThresholdResult[];
  /** False for the machine-readable shape, which reports no thresholds. */
  readonly hasThresholds: boolean;
  readonly checks: readonly K6CheckResult[];
  /** How long the test ran, ms (undefined in the flat shape, which does not say). */
  readonly testRunDurationMs?: number;
  /** Only the machine-readable shape says, e.g. `1.8.1`. */
  readonly k6Version?: string;
  /**
   * Requests in `total` but in no variant (setup(), teardown(), untagged scenarios); undefined when there is
   * no variant or no total.
   */
  readonly unattributedRequests?: number;
  /** What the summary lacks and the figures therefore leave out, one sentence each, for the caller to print. */
  readonly warnings: readonly string[];
}

export interface ParseK6SummaryOptions {
  /** Variants that must have figures; a missing one is an error. @default [] */
  readonly variants?: readonly string[];
}

/** True when a threshold failed (what k6 exits with code 99 for, unless it was stopped). */
export function thresholdsCrossed(summary: K6Summary): boolean {
  return summary.thresholds.some((threshold) => !threshold.ok);
}

/** A metric in one common form. */
interface Metric {
  readonly values: Readonly<Record<string, number>>;
  readonly thresholds: readonly { readonly source: string; readonly ok: boolean }[];
}

interface Normalized {
  readonly shape: K6SummaryShape;
  readonly metrics: ReadonlyMap<string, Metric>;
  readonly checks: readonly K6CheckResult[];
  readonly testRunDurationMs?: number;
  readonly k6Version?: string;
}

// One tag only: `{variant:x,connection:new}` selects a part of a variant. (Target names have no comma.)
const VARIANT_METRIC = /^(http_reqs|http_req_failed|http_req_duration)\{\s*variant\s*:\s*([^,{}]+?)\s*\}$/;
/** The trend columns read when present. */
const OPTIONAL_TRENDS = ['min', 'med', 'p(90)', 'p(95)', 'p(99)'] as const;

/**
 * Parses the JSON text of a summary file; `file` names it in errors. Throws
 * `K6SummaryError` naming the file and what is missing when the text is not
 * JSON, not one of the known shapes, or lacks a required figure (requests,
 * `avg`, `max`); figures it may lack are undefined and named in `warnings`.
 */
export function parseK6Summary(text: string, file: string, options: ParseK6SummaryOptions = {}): K6Summary {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new K6SummaryError(file, `not JSON (${(error as Error).message})`);
  }
  const normalized = normalize(data, file);
  const { metrics } = normalized;
  const names = new Set<string>(options.variants ?? []);
  for (const name of metrics.keys()) {
    const variant = VARIANT_METRIC.exec(name)?.[2];
    if (variant !== undefined) names.add(variant);
  }
  const durationS = normalized.testRunDurationMs === undefined ? undefined : normalized.testRunDurationMs / 1000;
  const gaps: Gaps = { noFailed: [], trendColumns: new Set(), noRps: [] };
  const variants = new Map<string, K6VariantSummary>();
  for (const variant of [...names].sort()) {
    const selector = `{variant:${variant}}`;
    const figures = variantFigures(metrics, selector, durationS, file, gaps);
    if (figures === undefined) {
      throw new K6SummaryError(file, `no \`http_reqs${selector}\` / \`http_req_failed${selector}\` metric`);
    }
    const dropped = variantDroppedIterations(metrics, variant, file);
    variants.set(variant, { ...figures, ...(dropped !== undefined && { droppedIterations: dropped }) });
  }
  const thresholds: K6ThresholdResult[] = [];
  for (const [metric, { thresholds: list }] of metrics) {
    for (const { source, ok } of list) thresholds.push({ metric, source, ok });
  }
  thresholds.sort((a, b) => compare(a.metric, b.metric) || compare(a.source, b.source));
  const total = variantFigures(metrics, '', durationS, file, gaps);
  const dropped = metrics.get('dropped_iterations');
  const attributed = [...variants.values()].reduce((sum, figures) => sum + figures.requests, 0);
  const unattributed = total !== undefined && variants.size > 0 ? Math.max(0, total.requests - attributed) : undefined;
  const warnings = gapWarnings(gaps);
  if (unattributed !== undefined && unattributed > 0) {
    warnings.push(
      `${unattributed} of ${total?.requests} requests are in no variant (setup(), teardown(), or a scenario ` +
        'without a `variant` tag): counted in the total only',
    );
  }
  return {
    shape: normalized.shape,
    variants,
    ...(total && {
      total: {
        ...total,
        ...(dropped && { droppedIterations: numberOf(dropped, 'count', 'dropped_iterations', file) }),
      },
    }),
    thresholds,
    hasThresholds: normalized.shape !== 'machine-readable',
    checks: normalized.checks,
    ...(normalized.testRunDurationMs !== undefined && { testRunDurationMs: normalized.testRunDurationMs }),
    ...(normalized.k6Version !== undefined && { k6Version: normalized.k6Version }),
    ...(unattributed !== undefined && { unattributedRequests: unattributed }),
    warnings,
  };
}

/** What the figures had to leave out, gathered over every metric read, for one warning each. */
interface Gaps {
  /** http_req_failed metrics that are missing where http_reqs is there. */
  readonly noFailed: string[];
  /** Optional trend columns missing from some http_req_duration metric. */
  readonly trendColumns: Set<string>;
  /** http_reqs metrics without a rate, in a summary without a test duration. */
  readonly noRps: string[];
}

function gapWarnings(gaps: Gaps): string[] {
  const warnings: string[] = [];
  if (gaps.noFailed.length > 0) {
    warnings.push(
      `no ${listOf(gaps.noFailed)} metric${gaps.noFailed.length === 1 ? '' : 's'} (k6 before v0.31 had no http_req_failed; ` +
        'http.setResponseCallback(null) turns it off): failed requests unknown, not 0',
    );
  }
  // p(99) is not in k6's default columns: its absence is no gap.
  const columns = [...gaps.trendColumns].filter((column) => column !== 'p(99)');
  if (columns.length > 0) {
    warnings.push(
      `k6's trend columns (summaryTrendStats) leave out ${columns.join(', ')}: ` +
        `those http_req_duration figures are left empty`,
    );
  }
  if (gaps.noRps.length > 0) {
    warnings.push(`neither a rate nor the test duration for ${listOf(gaps.noRps)}: requests per second unknown`);
  }
  return warnings;
}

/**
 * The figures from `http_reqs<selector>`, `http_req_failed<selector>` and `http_req_duration<selector>`;
 * undefined when neither of the first two is there.
 */
function variantFigures(
  metrics: ReadonlyMap<string, Metric>,
  selector: string,
  durationS: number | undefined,
  file: string,
  gaps: Gaps,
): Omit<K6VariantSummary, 'droppedIterations'> | undefined {
  const reqsName = `http_reqs${selector}`;
  const failedName = `http_req_failed${selector}`;
  const durationName = `http_req_duration${selector}`;
  const reqs = metrics.get(reqsName);
  const failedMetric = metrics.get(failedName);
  if (reqs === undefined && failedMetric === undefined) return undefined;
  const duration = metrics.get(durationName);
  if (duration === undefined) throw new K6SummaryError(file, `no \`${durationName}\` metric`);
  // http_req_failed is true for a failed request: its "passes" are the failures.
  const failed = failedMetric ? numberOf(failedMetric, 'passes', failedName, file) : undefined;
  if (failed === undefined) gaps.noFailed.push(`\`${failedName}\``);
  const requests = reqs
    ? numberOf(reqs, 'count', reqsName, file)
    : (failed ?? 0) + numberOf(failedMetric as Metric, 'fails', failedName, file);
  const trend: Partial<Record<(typeof OPTIONAL_TRENDS)[number], number>> = {};
  for (const column of OPTIONAL_TRENDS) {
    const value = duration.values[column];
    if (value === undefined) gaps.trendColumns.add(column);
    else trend[column] = value;
  }
  const rps = reqs?.values.rate ?? (durationS !== undefined && durationS > 0 ? requests / durationS : undefined);
  if (rps === undefined) gaps.noRps.push(`\`${reqsName}\``);
  return {
    requests,
    ...(failed !== undefined && { failed, errorRate: requests === 0 ? 0 : failed / requests }),
    avgMs: trendOf(duration, 'avg', durationName, file),
    maxMs: trendOf(duration, 'max', durationName, file),
    ...(trend.min !== undefined && { minMs: trend.min }),
    ...(trend.med !== undefined && { medianMs: trend.med }),
    ...(trend['p(90)'] !== undefined && { p90Ms: trend['p(90)'] }),
    ...(trend['p(95)'] !== undefined && { p95Ms: trend['p(95)'] }),
    ...(trend['p(99)'] !== undefined && { p99Ms: trend['p(99)'] }),
    ...(rps !== undefined && { rps }),
  };
}

/**
 * A variant's dropped iterations, summed over its scenarios: k6/rollout-load.js names them `load_<name>`
 * (one per target) or `load_<name>_reused` / `load_<name>_new` (one per connection pattern), with every
 * character k6 does not allow in a scenario name replaced by `_`. Undefined when the summary has none.
 */
function variantDroppedIterations(metrics: ReadonlyMap<string, Metric>, variant: string, file: string) {
  const base = `load_${variant.replace(/[^0-9A-Za-z_]/g, '_')}`;
  let dropped: number | undefined;
  for (const scenario of [base, `${base}_reused`, `${base}_new`]) {
    const name = `dropped_iterations{scenario:${scenario}}`;
    const metric = metrics.get(name);
    if (metric !== undefined) dropped = (dropped ?? 0) + numberOf(metric, 'count', name, file);
  }
  return dropped;
}

/** A required trend column; the error names the columns the metric has (they follow summaryTrendStats). */
function trendOf(metric: Metric, key: 'avg' | 'max', name: string, file: string): number {
  const value = metric.values[key];
  if (value !== undefined) return value;
  const columns = Object.keys(metric.values).filter((column) => column !== 'count');
  throw new K6SummaryError(
    file,
    `no \`${key}\` in metric \`${name}\` (it has ${columns.length > 0 ? columns.join(', ') : 'no trend column'}; ` +
      'zdd needs avg and max: add them to summaryTrendStats)',
  );
}

function numberOf(metric: Metric, key: string, name: string, file: string): number {
  const value = metric.values[key];
  if (value === undefined) throw new K6SummaryError(file, `no \`${key}\` in metric \`${name}\``);
  return value;
}

/** `a`, `a and b`, `a, b and c`. */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Any of the three shapes → metrics by name, with `values`-shape keys. */
function normalize(data: unknown, file: string): Normalized {
  if (!isRecord(data)) throw new K6SummaryError(file, 'not a JSON object');
  const results = data.results;
  if (typeof data.version === 'string' && isRecord(results) && Array.isArray(results.metrics)) {
    return normalizeMachineReadable(data, results, file);
  }
  const metrics = data.metrics;
  if (!isRecord(metrics)) {
    throw new K6SummaryError(file, 'neither a `metrics` object (k6 summary data) nor `version` and `results.metrics`');
  }
  const entries = Object.entries(metrics);
  const flat = entries.length > 0 && entries.every(([, metric]) => isRecord(metric) && !isRecord(metric.values));
  const normalizedMetrics = new Map<string, Metric>();
  for (const [name, metric] of entries) {
    if (!isRecord(metric)) throw new K6SummaryError(file, `metric \`${name}\` is not an object`);
    normalizedMetrics.set(name, flat ? flatMetric(metric) : valuesMetric(name, metric, file));
  }
  const state = data.state;
  const duration = isRecord(state) ? state.testRunDurationMs : undefined;
  return {
    shape: flat ? 'flat' : 'values',
    metrics: normalizedMetrics,
    checks: rootGroupChecks(data.root_group),
    ...(typeof duration === 'number' && { testRunDurationMs: duration }),
  };
}

function valuesMetric(name: string, metric: Record<string, unknown>, file: string): Metric {
  if (!isRecord(metric.values)) throw new K6SummaryError(file, `metric \`${name}\` has no \`values\` object`);
  const thresholds = isRecord(metric.thresholds)
    ? Object.entries(metric.thresholds).map(([source, result]) => ({
        source,
        ok: isRecord(result) && result.ok === true,
      }))
    : [];
  return { values: numbers(metric.values), thresholds };
}

function flatMetric(metric: Record<string, unknown>): Metric {
  const values = numbers(metric);
  // oldJSONSummary() renames a rate's `rate` to `value`.
  if (values.rate === undefined && values.value !== undefined && values.passes !== undefined) {
    values.rate = values.value;
  }
  // `true` means the threshold was crossed.
  const thresholds = isRecord(metric.thresholds)
    ? Object.entries(metric.thresholds).map(([source, crossed]) => ({ source, ok: crossed === false }))
    : [];
  return { values, thresholds };
}

function normalizeMachineReadable(
  data: Record<string, unknown>,
  results: Record<string, unknown>,
  file: string,
): Normalized {
  const metrics = new Map<string, Metric>();
  const checksBlock = isRecord(results.checks) ? results.checks : {};
  const list = [...(results.metrics as unknown[]), ...(Array.isArray(checksBlock.metrics) ? checksBlock.metrics : [])];
  for (const [index, metric] of list.entries()) {
    if (!isRecord(metric) || typeof metric.name !== 'string' || !isRecord(metric.values)) {
      throw new K6SummaryError(file, `results.metrics[${index}] has no \`name\` and \`values\``);
    }
    const values = numbers(metric.values);
    // Rates: { matches, total, rate } → passes/fails as in the other shapes.
    if (values.matches !== undefined && values.total !== undefined) {
      values.passes = values.matches;
      values.fails = values.total - values.matches;
    }
    // Trends: `p90` as Sobek names the Go field, `p(90)` as the schema's JSON tag does.
    for (const [from, to] of [
      ['p90', 'p(90)'],
      ['p95', 'p(95)'],
      ['p99', 'p(99)'],
    ] as const) {
      if (values[to] === undefined && values[from] !== undefined) values[to] = values[from];
    }
    metrics.set(metric.name, { values, thresholds: [] });
  }
  const config = isRecord(data.config) ? data.config : {};
  const metadata = isRecord(data.metadata) ? data.metadata : {};
  const version = metadata.k6_version ?? metadata.k6Version;
  const checks = Array.isArray(checksBlock.results) ? checksBlock.results.flatMap(checkResult) : [];
  return {
    shape: 'machine-readable',
    metrics,
    checks,
    ...(typeof config.duration === 'number' && { testRunDurationMs: config.duration * 1000 }),
    ...(typeof version === 'string' && { k6Version: version }),
  };
}

/** Checks of the root group: an array (handleSummary data) or an object by name (flat shape). */
function rootGroupChecks(group: unknown): K6CheckResult[] {
  if (!isRecord(group)) return [];
  const checks = group.checks;
  if (Array.isArray(checks)) return checks.flatMap(checkResult);
  if (isRecord(checks)) return Object.values(checks).flatMap(checkResult);
  return [];
}

function checkResult(check: unknown): K6CheckResult[] {
  if (!isRecord(check) || typeof check.name !== 'string') return [];
  const { name, passes, fails } = check;
  return [{ name, passes: typeof passes === 'number' ? passes : 0, fails: typeof fails === 'number' ? fails : 0 }];
}

function numbers(record: Record<string, unknown>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'number' && Number.isFinite(value)) result[key] = value;
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
