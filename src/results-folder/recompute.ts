/**
 * A results folder's figures and verdict, worked out again from its samples
 * (the record of every request) with the functions `zdd compare` itself uses
 * (`summarizeRun`, `verdict`), and summary.json checked against them: a figure
 * or a verdict the samples contradict means the file was edited or belongs to
 * another run, and the folder is refused by file, line and field. The figures
 * summary.json records are then those of the samples, to the precision
 * samples.ndjson keeps (latencies to 0.001 ms, times to 1 ms). Pure.
 */

import { InputFileError } from '../input/input-file-error.js';
import type { ConnectionPattern } from '../load/connections.js';
import type { Sample } from '../load/sample.js';
import { lineOfPath } from './json-text.js';
import { type PatternResult, summarizeRun, type VariantResult, type Verdict, verdict } from './run-result.js';
import type { CompareSummary, RecordedVariant } from './summary-file.js';

export interface Recomputed {
  /** The verdict on the samples' figures, with the recorded rollouts, load delivery and error budget. */
  readonly verdict: Verdict;
  /** True when summary.json records a verdict with another outcome (written by another zdd version). */
  readonly verdictChanged: boolean;
  /** What the reader should know, e.g. that this zdd judges the run otherwise than the one that ran it. */
  readonly notes: readonly string[];
}

export interface RecordedFiles {
  readonly summaryFile: string;
  /** summary.json's text, to name the line of a field. */
  readonly summaryText: string;
  readonly samplesFile: string;
}

/**
 * How far a recorded figure may be from the recomputed one, in its unit: samples.ndjson keeps latencies to
 * 0.001 ms and start times to 1 ms, so figures from it differ from compare's by that much.
 */
type Slack = number;
const EXACT: Slack = 1e-9;
const LATENCY: Slack = 0.01;
const OUTAGE: Slack = 2.01;

/**
 * Every figure but `tps`: that one spans the requests' scheduled starts, which samples.ndjson does not keep (a
 * request of the built-in generator may start up to its late threshold after its slot).
 */
type Figure =
  | 'requests'
  | 'failed'
  | 'errorRate'
  | 'avgMs'
  | 'minMs'
  | 'medianMs'
  | 'p90Ms'
  | 'p95Ms'
  | 'p99Ms'
  | 'maxMs'
  | 'longestOutageMs';

const FIGURES: ReadonlyArray<readonly [Figure, Slack]> = [
  ['requests', EXACT],
  ['failed', EXACT],
  ['errorRate', EXACT],
  ['avgMs', LATENCY],
  // Not in results written before zdd recorded them: checked where present.
  ['minMs', LATENCY],
  ['medianMs', LATENCY],
  ['p90Ms', LATENCY],
  ['p95Ms', LATENCY],
  ['p99Ms', LATENCY],
  ['maxMs', LATENCY],
  ['longestOutageMs', OUTAGE],
];

/**
 * The figures and the verdict from `samples`; throws an `InputFileError`
 * naming summary.json, the line and what contradicts what when the file does
 * not agree with them. A verdict with another outcome is refused when the same
 * zdd version wrote it (the rules are the same: the file was edited), and
 * replaced, with a note, when another version did.
 */
export function recompute(
  summary: CompareSummary,
  samples: readonly Sample[],
  files: RecordedFiles,
  zddVersion: string,
): Recomputed {
  checkCounts(samples, summary, files);
  const connections = connectionsOf(summary);
  const variants = summarizeRun({
    variants: summary.variants.map(({ name, role }) => ({ name, role })),
    rounds: summary.rounds,
    samples,
    connections,
    load: { delivery: summary.load.delivery },
  });
  for (const [index, recorded] of summary.variants.entries()) {
    checkVariant(recorded, variants[index] as VariantResult, index, samples, summary, files);
  }
  const judged = verdict(variants, { rounds: summary.rounds, load: summary.load }, summary.settings.maxErrorRate, {
    requireReproduced: summary.settings.requireReproduced === true,
  });
  const recorded = summary.verdict;
  const agrees =
    recorded.outcome === judged.outcome && recorded.exitCode === judged.exitCode && recorded.passed === judged.passed;
  if (agrees) return { verdict: judged, verdictChanged: false, notes: [] };
  const said = `${recorded.outcome.toUpperCase()} (exit ${recorded.exitCode})`;
  const gives = `${judged.outcome.toUpperCase()} (exit ${judged.exitCode})`;
  if (summary.zdd.version === zddVersion) {
    throw contradiction(
      files,
      ['verdict'],
      `the verdict is ${said}, but ${files.samplesFile} with the recorded rollouts, load and error budget gives ${gives}`,
    );
  }
  return {
    verdict: judged,
    verdictChanged: true,
    notes: [
      `verdict worked out again from the samples by zdd ${zddVersion}: ${gives}; zdd ${summary.zdd.version}, which ran it, said ${said}`,
    ],
  };
}

/** The connection patterns the run used, as summary.json lists them per variant. */
function connectionsOf(summary: CompareSummary): ConnectionPattern[] {
  const recorded = new Set(summary.variants.flatMap((variant) => variant.byConnection.map((p) => p.connection)));
  return (['new', 'reused'] as const).filter((pattern) => recorded.has(pattern));
}

/** Both files from the same complete run: as many requests per variant in each. */
function checkCounts(samples: readonly Sample[], summary: CompareSummary, files: RecordedFiles): void {
  const counts = new Map<string, number>();
  for (const sample of samples) counts.set(sample.target, (counts.get(sample.target) ?? 0) + 1);
  for (const variant of summary.variants) {
    const found = counts.get(variant.name) ?? 0;
    if (found !== variant.requests) {
      throw new InputFileError(
        files.samplesFile,
        `holds ${found} requests of ${variant.name}, but ${files.summaryFile} counts ${variant.requests}: one of the two is cut off or from another run`,
      );
    }
  }
  const unknown = [...counts.keys()].filter((name) => !summary.variants.some((variant) => variant.name === name));
  if (unknown.length > 0) {
    throw new InputFileError(
      files.samplesFile,
      `holds requests of ${unknown.join(', ')}, a variant ${files.summaryFile} does not have`,
    );
  }
  for (const stream of summary.load.delivery) {
    const sent = samples.filter(
      (sample) => sample.target === stream.target && (sample.connection ?? 'reused') === stream.connection,
    ).length;
    if (sent !== stream.sent) {
      const index = summary.load.delivery.indexOf(stream);
      throw contradiction(
        files,
        ['load', 'delivery', index, 'sent'],
        `${stream.target} (${stream.connection} connections) sent ${stream.sent} requests, but ${files.samplesFile} holds ${sent}`,
      );
    }
  }
}

function checkVariant(
  recorded: RecordedVariant,
  actual: VariantResult,
  index: number,
  samples: readonly Sample[],
  summary: CompareSummary,
  files: RecordedFiles,
): void {
  const path = ['variants', index];
  checkFigures(recorded, actual, path, files);
  for (const key of ['scheduled', 'dropped', 'late', 'shortfall'] as const) {
    checkFigure(recorded.delivery[key], actual.delivery[key], EXACT, [...path, 'delivery', key], files);
  }
  const patterns = recorded.byConnection.map((pattern) => pattern.connection);
  if (patterns.join() !== actual.byConnection.map((pattern) => pattern.connection).join()) {
    throw contradiction(
      files,
      [...path, 'byConnection'],
      `${recorded.name} lists the connection patterns ${patterns.join(', ') || 'none'}, but the run used ${actual.byConnection.map((pattern) => pattern.connection).join(', ')}`,
    );
  }
  for (const [at, pattern] of recorded.byConnection.entries()) {
    checkFigures(pattern, actual.byConnection[at] as PatternResult, [...path, 'byConnection', at], files);
  }
  if (recorded.rounds.length !== actual.rounds.length) {
    throw contradiction(
      files,
      [...path, 'rounds'],
      `${recorded.name} has figures for ${recorded.rounds.length} rounds, but the run had ${actual.rounds.length}`,
    );
  }
  for (const [at, round] of recorded.rounds.entries()) {
    const found = actual.rounds[at] as VariantResult['rounds'][number];
    // A request that started within a millisecond of a round's trigger may fall on either side once rounded.
    const border = summary.rounds[at];
    const nearBorder =
      at === 0 || border === undefined
        ? 0
        : samples.filter(
            (sample) => sample.target === recorded.name && Math.abs(sample.epochMs - border.startedAt) <= 1,
          ).length;
    const slack: Slack = nearBorder + EXACT;
    const where = [...path, 'rounds', at];
    checkFigure(round.round, found.round, EXACT, [...where, 'round'], files);
    checkFigure(round.requests, found.requests, slack, [...where, 'requests'], files);
    checkFigure(round.failed, found.failed, slack, [...where, 'failed'], files);
    if (nearBorder === 0)
      checkFigure(round.longestOutageMs, found.longestOutageMs, OUTAGE, [...where, 'longestOutageMs'], files);
  }
}

function checkFigures(
  recorded: RecordedVariant | RecordedVariant['byConnection'][number],
  actual: PatternResult | VariantResult,
  path: readonly (string | number)[],
  files: RecordedFiles,
): void {
  for (const [key, slack] of FIGURES) {
    const value = recorded[key];
    if (value !== undefined) checkFigure(value, actual[key], slack, [...path, key], files);
  }
  for (const [kind, count] of Object.entries(recorded.byKind)) {
    checkFigure(count, actual.byKind[kind as keyof typeof actual.byKind], EXACT, [...path, 'byKind', kind], files);
  }
}

function checkFigure(
  recorded: number,
  actual: number,
  slack: Slack,
  path: readonly (string | number)[],
  files: RecordedFiles,
): void {
  if (Math.abs(recorded - actual) <= slack) return;
  throw contradiction(files, path, `${path.join('.')} is ${recorded}, but ${files.samplesFile} gives ${round(actual)}`);
}

function contradiction(files: RecordedFiles, path: readonly (string | number)[], what: string): InputFileError {
  return new InputFileError(
    files.summaryFile,
    `${what}: the samples are the record, so ${files.summaryFile} was edited or is from another run`,
    lineOfPath(files.summaryText, path),
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
