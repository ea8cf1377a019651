/**
 * `zdd report --from FILE`: reads a JMeter CSV file, k6's `--out json` or
 * `--out csv` output, or a k6 summary (and, with `--events`, cluster events) and turns them into
 * report data. The I/O edge of src/imports; every problem with a file is an
 * `InputFileError` naming it and, where one is to blame, the line.
 */
import { stat } from 'node:fs/promises';
import { openInputFile, readInputFile, readInputLines } from '../input/input-file.js';
import { InputFileError } from '../input/input-file-error.js';
import { K6OutputError, K6SummaryError } from '../load/k6/errors.js';
import { K6SampleReader, type K6Samples } from '../load/k6/ndjson.js';
import { parseK6Summary } from '../load/k6/summary.js';
import type { LatencyDefinition, LatencyMeasure } from '../load/latency.js';
import type { Sample } from '../load/sample.js';
import { eventsOf } from '../report/chart/variant-events.js';
import type { ReportData } from '../report/report-data.js';
import { parseEventsFile } from '../results-folder/events-file.js';
import { lineOfPath, parseJsonText } from '../results-folder/json-text.js';
import type { Round } from '../results-folder/run-result.js';
import { UsageError } from '../runtime/errors.js';
import type { ClusterEvent } from '../runtime/events.js';
import { detectFormat, type ImportFormat } from './detect-format.js';
import { type ImportContext, reportFromSamples, reportFromSummary } from './import-report.js';
import { JtlReader } from './jmeter/jtl-reader.js';
import { K6CsvReader } from './k6/csv-reader.js';
import { checkAskedMeasure, defaultMeasure, importLatency } from './latency.js';
import { assignRoles, parseVariantFlags, parseWorkloadFlags } from './roles.js';
import { roundsFromEvents, roundsFromTimes } from './rollouts.js';

export interface ImportOptions {
  /** `--from`. */
  readonly file: string;
  /** `--variant ROLE=LABEL`, repeatable. */
  readonly variants?: readonly string[];
  /** `--workload LABEL=WORKLOAD`, repeatable. */
  readonly workloads?: readonly string[];
  /** `--events`: events.json or `zdd local events --json` output. */
  readonly events?: string;
  /** `--rollout-at`: ISO times, repeatable. */
  readonly rolloutAt?: readonly string[];
  /** 0..1. */
  readonly maxErrorRate: number;
  /** `--latency`: what the latency figures measure. @default - the whole request where the file has it */
  readonly latency?: LatencyMeasure;
  readonly zddVersion: string;
}

export async function importReport(options: ImportOptions): Promise<ReportData> {
  const { file } = options;
  if (options.events !== undefined && (options.rolloutAt ?? []).length > 0) {
    throw new UsageError('--events and --rollout-at both give the rollout times: use one');
  }
  const givenRoles = parseVariantFlags(options.variants ?? []);
  const givenWorkloads = parseWorkloadFlags(options.workloads ?? []);
  const format = detectFormat(await firstLine(file));
  checkAskedMeasure(format, options.latency, file);
  const events =
    options.events === undefined
      ? []
      : parseEventsFile(await readInputFile('--events', options.events), options.events);
  if (format === 'k6-summary') {
    if ((options.rolloutAt ?? []).length > 0) {
      throw new UsageError(`--rollout-at needs per-request data; ${file} is a k6 summary (totals only)`);
    }
    const text = await readInputFile('--from', file);
    parseJsonText(text, file);
    const summary = (() => {
      try {
        return parseK6Summary(text, file);
      } catch (error) {
        if (error instanceof K6SummaryError)
          throw new InputFileError(file, error.problem, metricLine(text, error.problem));
        throw error;
      }
    })();
    const labels = summary.variants.size > 0 ? [...summary.variants.keys()] : ['all requests'];
    const roles = assignRoles(labels, givenRoles, file);
    const workloads = workloadsOf(labels, givenWorkloads);
    const span = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
    const rounds = options.events === undefined ? [] : eventRounds(events, roles, workloads, span, options.events);
    const latency = importLatency(format, 'duration');
    // reportFromSummary adds the summary's own warnings.
    return reportFromSummary(summary, context(options, format, labels, roles, rounds, events, workloads, [], latency));
  }
  const measure = options.latency ?? defaultMeasure(format);
  const read =
    format === 'jmeter'
      ? await readJtl(file, measure)
      : await readK6Samples(file, format, measure, options.latency !== undefined);
  const roles = assignRoles(read.labels, givenRoles, file);
  const workloads = workloadsOf(read.labels, givenWorkloads);
  const span = {
    from: read.samples.reduce((min, sample) => Math.min(min, sample.epochMs), Number.POSITIVE_INFINITY),
    to: read.samples.reduce((max, sample) => Math.max(max, sample.epochMs + sample.latencyMs), 0),
  };
  const rounds =
    options.events !== undefined
      ? eventRounds(events, roles, workloads, span, options.events)
      : roundsFromTimes(options.rolloutAt ?? [], span, file);
  const warnings = [...read.warnings, ...eventWarnings(options.events, events, roles, workloads)];
  return reportFromSamples(
    read.samples,
    read.dropped,
    context(options, format, read.labels, roles, rounds, events, workloads, warnings, read.latency),
  );
}

function context(
  options: ImportOptions,
  format: ImportFormat,
  labels: readonly string[],
  roles: ReadonlyMap<string, 'default' | 'zero-downtime'>,
  rounds: readonly Round[],
  events: readonly ClusterEvent[],
  workloads: ReadonlyMap<string, string>,
  warnings: readonly string[],
  latency: LatencyDefinition,
): ImportContext {
  const roundsFrom =
    options.events !== undefined ? options.events : (options.rolloutAt ?? []).length > 0 ? '--rollout-at' : undefined;
  return {
    file: options.file,
    format,
    labels,
    roles,
    rounds,
    ...(roundsFrom !== undefined && { roundsFrom }),
    events,
    workloads,
    maxErrorRate: options.maxErrorRate,
    warnings,
    latency,
    zddVersion: options.zddVersion,
  };
}

interface ReadSamples {
  readonly samples: readonly Sample[];
  readonly labels: readonly string[];
  readonly dropped: ReadonlyMap<string, number>;
  readonly warnings: readonly string[];
  readonly latency: LatencyDefinition;
}

async function readJtl(file: string, measure: LatencyMeasure): Promise<ReadSamples> {
  const reader = new JtlReader(file, measure);
  const endsWithNewline = await readInputLines('--from', file, (line, number) => reader.push(line, number));
  const { samples, labels } = reader.finish(endsWithNewline);
  return { samples, labels, dropped: new Map(), warnings: [], latency: importLatency('jmeter', measure) };
}

/** k6's `--out json` or `--out csv` output; `asked`: whether `--latency` chose `measure`. */
async function readK6Samples(
  file: string,
  format: 'k6-ndjson' | 'k6-csv',
  measure: LatencyMeasure,
  asked: boolean,
): Promise<ReadSamples> {
  let result: K6Samples;
  try {
    if (format === 'k6-csv') {
      const reader = new K6CsvReader(file, { latency: measure });
      const endsWithNewline = await readInputLines('--from', file, (line, number) => reader.push(line, number));
      result = reader.finish(endsWithNewline);
    } else {
      const reader = new K6SampleReader({ file, latency: measure });
      await readInputLines('--from', file, (line) => reader.push(line));
      result = reader.finish();
    }
  } catch (error) {
    if (error instanceof K6OutputError) throw new InputFileError(file, error.problem, error.line);
    throw error;
  }
  if (result.samples.length === 0)
    throw new InputFileError(file, 'holds no request (no http_reqs point in any scenario)');
  const labels = [...new Set(result.samples.map((sample) => sample.target))];
  const warnings = [...result.warnings];
  let latency = importLatency(format, measure);
  if (measure === 'total' && result.withoutBlocked > 0) {
    const none = result.withoutBlocked === result.samples.length;
    if (none && asked) {
      throw new UsageError(
        `--latency total: ${file} has no http_req_blocked points (k6 run with --system-tags or an output that leaves them out?), so the time to get a connection is unknown; --latency duration reads http_req_duration alone`,
      );
    }
    // Without blocked points the total is the duration: say what the figures are.
    if (none) latency = importLatency(format, 'duration');
    else {
      warnings.push(
        `${result.withoutBlocked} of ${result.samples.length} requests have no http_req_blocked point: their latency is their http_req_duration alone`,
      );
    }
  }
  return { samples: result.samples, labels, dropped: result.droppedIterations, warnings, latency };
}

/** The first non-empty line (of the first 64 KiB), to tell the format. */
async function firstLine(file: string): Promise<string> {
  if (file !== '' && (await stat(file).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`--from: ${file} is a folder; a results folder is read without --from: zdd report ${file}`);
  }
  const handle = await openInputFile('--from', file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65_536), 0, 65_536, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    if (text.trim() === '') throw new InputFileError(file, 'is empty');
    return text.split('\n').find((line) => line.trim() !== '') ?? '';
  } finally {
    await handle.close();
  }
}

function workloadsOf(labels: readonly string[], given: ReadonlyMap<string, string>): Map<string, string> {
  for (const label of given.keys()) {
    if (!labels.includes(label)) {
      throw new UsageError(`--workload ${label}=…: no such label or scenario (there are ${labels.join(', ')})`);
    }
  }
  return new Map(labels.map((label) => [label, given.get(label) ?? label]));
}

function eventRounds(
  events: readonly ClusterEvent[],
  roles: ReadonlyMap<string, string>,
  workloads: ReadonlyMap<string, string>,
  span: { readonly from: number; readonly to: number },
  eventsFile: string,
): Round[] {
  const rank = (label: string) => (roles.get(label) === 'default' ? 0 : 1);
  const judged = (roles.size > 0 ? [...roles.keys()] : [...workloads.keys()]).sort((a, b) => rank(a) - rank(b));
  return roundsFromEvents(
    events,
    judged.map((label) => workloads.get(label) ?? label),
    span,
    eventsFile,
  );
}

/** A variant whose workload the events never name gets no markers: say so, with the way to map it. */
function eventWarnings(
  eventsFile: string | undefined,
  events: readonly ClusterEvent[],
  roles: ReadonlyMap<string, string>,
  workloads: ReadonlyMap<string, string>,
): string[] {
  if (eventsFile === undefined) return [];
  return [...roles.keys()].flatMap((label) => {
    const workload = workloads.get(label) ?? label;
    return eventsOf(events, workload).length > 0
      ? []
      : [
          `${eventsFile} has no event of a workload named ${workload}: its timeline shows none (say which workload served ${label} with --workload ${label}=WORKLOAD)`,
        ];
  });
}

/** The line of the metric a summary problem names (`… metric \`http_req_duration{variant:x}\``), if any. */
function metricLine(text: string, problem: string): number | undefined {
  const metric = /metric `([^`]+)`/.exec(problem)?.[1];
  return metric === undefined ? undefined : lineOfPath(text, ['metrics', metric]);
}
