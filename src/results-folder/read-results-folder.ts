/**
 * Reads a results folder that `zdd compare` wrote (`results/<timestamp>/`):
 * `summary.json`, `samples.ndjson` and `events.json`, each checked. A folder
 * of a run that was interrupted while its results were written (`.partial`) or
 * that failed before its verdict (`.failed`, with `error.txt`) is reported as
 * such. Every problem is an `InputFileError` naming the file.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { recordedCleanup } from '../cluster/remote/run-files.js';
import { readInputFile, readInputLines } from '../input/input-file.js';
import { InputFileError } from '../input/input-file-error.js';
import type { Sample } from '../load/sample.js';
import type { ClusterEvent } from '../runtime/events.js';
import { describeFsError, fsErrorCode } from '../runtime/fs-errors.js';
import { parseEventsFile } from './events-file.js';
import { type Recomputed, recompute } from './recompute.js';
import { SamplesReader } from './samples-file.js';
import type { CompareSummary } from './summary-file.js';
import { parseSummaryFile } from './summary-file.js';

export interface ResultsFolder {
  readonly folder: string;
  /** summary.json, its figures checked against the samples (`recompute`). */
  readonly summary: CompareSummary;
  /** summary.json as written (what `--format json` prints), its verdict replaced if this zdd judges otherwise. */
  readonly summaryText: string;
  readonly samples: readonly Sample[];
  readonly events: readonly ClusterEvent[];
  /** The verdict worked out again from the samples, and what to note about it. */
  readonly recomputed: Recomputed;
}

/** The files a report needs; `logs/` is not one of them. */
export const RESULTS_FILES = ['summary.json', 'samples.ndjson', 'events.json'] as const;

/**
 * Reads and checks the folder's files; `zddVersion` is this zdd's, which
 * judges the samples again (see `recompute`).
 */
export async function readResultsFolder(folder: string, zddVersion: string): Promise<ResultsFolder> {
  await checkFolder(folder);
  const summaryFile = join(folder, 'summary.json');
  const summaryText = await readInputFile(undefined, summaryFile);
  const summary = parseSummaryFile(summaryText, summaryFile);
  const samplesFile = join(folder, 'samples.ndjson');
  const reader = new SamplesReader(samplesFile);
  const endsWithNewline = await readInputLines(undefined, samplesFile, (line, number) => reader.push(line, number));
  const samples = reader.finish(endsWithNewline);
  const recomputed = recompute(summary, samples, { summaryFile, summaryText, samplesFile }, zddVersion);
  const eventsFile = join(folder, 'events.json');
  const events = parseEventsFile(await readInputFile(undefined, eventsFile), eventsFile);
  const shownText = recomputed.verdictChanged
    ? `${JSON.stringify({ ...(JSON.parse(summaryText) as object), verdict: recomputed.verdict }, null, 2)}\n`
    : summaryText;
  return { folder, summary, summaryText: shownText, samples, events, recomputed };
}

/** A folder of a complete run, or an error that says what the folder is instead. */
async function checkFolder(folder: string): Promise<void> {
  const name = basename(folder.replace(/\/+$/, ''));
  if (name.endsWith('.partial')) {
    const cleanup = await recordedCleanup(folder);
    throw new InputFileError(
      folder,
      `an interrupted run: zdd stopped while it was writing these results, so they are incomplete and there is nothing to report; run zdd compare again${cleanup ? `. The run had created objects on the cluster; if they are still there, remove them with: ${cleanup}` : ''}`,
    );
  }
  const info = await stat(folder).catch(async (error: unknown) => {
    if (fsErrorCode(error) !== 'ENOENT') throw new InputFileError(folder, describeFsError(error));
    // The run may have left its folder under another name.
    for (const suffix of ['.failed', '.partial']) {
      if (await exists(`${folder}${suffix}`)) {
        throw new InputFileError(
          folder,
          `does not exist, but ${folder}${suffix} does: run zdd report ${folder}${suffix}`,
        );
      }
    }
    throw new InputFileError(folder, 'does not exist (expected a results folder written by zdd compare)');
  });
  if (!info.isDirectory()) {
    throw new InputFileError(
      folder,
      'is a file, expected a results folder (with --from, zdd reads a JMeter or k6 file)',
    );
  }
  const errorFile = join(folder, 'error.txt');
  const missing: string[] = [];
  for (const file of RESULTS_FILES) if (!(await exists(join(folder, file)))) missing.push(file);
  if (name.endsWith('.failed') || ((await exists(errorFile)) && !(await exists(join(folder, 'summary.json'))))) {
    const error = (await readInputFile(undefined, errorFile).catch(() => '')).trim();
    throw new InputFileError(
      folder,
      `this run failed before its verdict, so it has no figures to report${error ? `: ${error}` : ' (its error.txt is missing)'}`,
    );
  }
  const [first] = missing;
  if (first !== undefined) {
    throw new InputFileError(
      join(folder, first),
      `is missing from the results folder (a complete one holds ${RESULTS_FILES.join(', ')})`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
