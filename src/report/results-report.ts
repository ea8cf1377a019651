/**
 * A results folder as report data: the figures of summary.json, which
 * `recompute` checked against the samples (so that the report shows what
 * compare printed, to the precision samples.ndjson keeps), the verdict worked
 * out again from them, the settings and rollouts as summary.json records them,
 * the timeline from the samples and events. Pure.
 */
import { RUN_LATENCY } from '../load/latency.js';
import type { ResultsFolder } from '../results-folder/read-results-folder.js';
import { percent } from './columns.js';
import { type ReportData, rowsOf } from './report-data.js';

/** The settings a reader of the report wants to see, in this order, with their units. */
const SHOWN_SETTINGS: ReadonlyArray<readonly [key: string, name: string, format: (value: unknown) => string]> = [
  ['target', 'target', String],
  ['loadGenerator', 'load generator', String],
  ['rate', 'rate', (value) => `${value} req/s per variant`],
  ['connections', 'connections', String],
  ['warmupSeconds', 'warm-up', (value) => `${value} s`],
  ['cooldownSeconds', 'cool-down', (value) => `${value} s`],
  ['rounds', 'rollout rounds', String],
  ['maxErrorRate', 'error budget (zero-downtime, per connection pattern)', (value) => percent(Number(value))],
  ['platform', 'platform', String],
  ['timeScale', 'time scale', String],
  ['router', 'router', String],
  ['reloadIntervalSeconds', 'router reload interval', (value) => `${value} s`],
  ['reloads', 'router reloads', String],
  ['seed', "seed (the router's reload phase in each round; --seed replays it)", String],
  ['requireReproduced', 'the default variant must break the budget (--require-reproduced)', String],
  ['timeoutSeconds', 'timeout', (value) => `${value} s`],
];

export function resultsReport(results: ResultsFolder, zddVersion: string): ReportData {
  const { summary } = results;
  const settings = summary.settings;
  const connections =
    settings.connections === 'both'
      ? 'half on new connections, half on reused ones'
      : `${String(settings.connections ?? 'reused')} connections`;
  const where = settings.target === 'cluster' ? 'a cluster' : 'the local cluster';
  const scale =
    typeof settings.timeScale === 'number' && settings.timeScale !== 1 ? ` (time scale ${settings.timeScale})` : '';
  return {
    title: `zdd compare: ${summary.variants.map((variant) => variant.name).join(' vs ')}`,
    source: `${results.folder} (zdd ${summary.zdd.version}, ${summary.startedAt} to ${summary.endedAt})`,
    description: `${settings.loadGenerator}, ${settings.rate} req/s per variant (${connections}), ${settings.rounds} rollout round(s) on ${where}${scale}`,
    rows: rowsOf(summary.variants),
    rounds: summary.rounds,
    verdict: results.recomputed.verdict,
    latency: summary.latency ?? RUN_LATENCY,
    settings: SHOWN_SETTINGS.flatMap(([key, name, format]) =>
      settings[key] === undefined ? [] : [{ name, value: format(settings[key]) }],
    ),
    ...(summary.variantDelta !== undefined && { variantDelta: summary.variantDelta }),
    timeline: {
      samples: results.samples,
      events: results.events,
      workloads: new Map(summary.variants.map((variant) => [variant.name, variant.name])),
    },
    notes: [
      ...results.recomputed.notes,
      ...summary.load.notes,
      ...summary.load.thresholds
        .filter((threshold) => !threshold.ok)
        .map((threshold) => `k6 threshold crossed: ${threshold.metric} ${threshold.source}`),
    ],
    zddVersion,
  };
}
