/**
 * Reads a results folder that `zdd compare` wrote (`results/<timestamp>/`):
 * `summary.json`, `samples.ndjson` and `events.json`, each checked. A folder
 * of a run that was interrupted while its results were written (`.partial`) or
 * that failed before its verdict (`.failed`, with `error.txt`) is reported as
 * such. Every problem is an `InputFileError` naming the file.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { recordedCleanup } from '../cluster/remote/run-files.js';
import { describeFsError, fsErrorCode } from '../fs-errors.js';
import { InputFileError } from '../input-file-error.js';
import type { Sample } from '../load/sample.js';
import type { ClusterEvent } from '../runtime/events.js';
import { parseEventsFile } from './events-file.js';
import { readLines } from './read-lines.js';
import { SamplesReader } from './samples-file.js';
import { parseSummaryFile, type RecordedSummary } from './summary-file.js';

export interface ResultsFolder {
  readonly folder: string;
  readonly summary: RecordedSummary;
  /** summary.json as written (what `--format json` prints). */
  readonly summaryText: string;
  readonly samples: readonly Sample[];
  readonly events: readonly ClusterEvent[];
}

/** The files a report needs; `logs/` is not one of them. */
export const RESULTS_FILES = ['summary.json', 'samples.ndjson', 'events.json'] as const;

export async function readResultsFolder(folder: string): Promise<ResultsFolder> {
  await checkFolder(folder);
  const summaryFile = join(folder, 'summary.json');
  const summaryText = await readText(summaryFile);
  const summary = parseSummaryFile(summaryText, summaryFile);
  const samplesFile = join(folder, 'samples.ndjson');
  const reader = new SamplesReader(samplesFile);
  const endsWithNewline = await readLines(samplesFile, samplesFile, (line, number) => reader.push(line, number));
  const samples = reader.finish(endsWithNewline);
  checkCounts(samples, summary, samplesFile, summaryFile);
  const eventsFile = join(folder, 'events.json');
  const events = parseEventsFile(await readText(eventsFile), eventsFile);
  return { folder, summary, summaryText, samples, events };
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
    const error = (await readFile(errorFile, 'utf8').catch(() => '')).trim();
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

/** Both files from the same complete run: as many requests per variant in each. */
function checkCounts(
  samples: readonly Sample[],
  summary: RecordedSummary,
  samplesFile: string,
  summaryFile: string,
): void {
  const counts = new Map<string, number>();
  for (const sample of samples) counts.set(sample.target, (counts.get(sample.target) ?? 0) + 1);
  for (const variant of summary.variants) {
    const found = counts.get(variant.name) ?? 0;
    if (found !== variant.requests) {
      throw new InputFileError(
        samplesFile,
        `holds ${found} requests of ${variant.name}, but ${summaryFile} counts ${variant.requests}: one of the two is cut off or from another run`,
      );
    }
  }
  const unknown = [...counts.keys()].filter((name) => !summary.variants.some((variant) => variant.name === name));
  if (unknown.length > 0) {
    throw new InputFileError(
      samplesFile,
      `holds requests of ${unknown.join(', ')}, a variant ${summaryFile} does not have`,
    );
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') throw new InputFileError(file, 'is missing from the results folder');
    throw new InputFileError(file, describeFsError(error));
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
