/**
 * The report of a results folder, written into it: what `zdd report DIR` and
 * the end of every `zdd compare` do.
 */

import { type ResultsFolder, readResultsFolder } from '../results-folder/read-results-folder.js';
import type { ReportData } from './report-data.js';
import { resultsReport } from './results-report.js';
import { type RenderedReport, renderReport, writeReportFiles } from './write-report.js';

export interface FolderReport {
  readonly results: ResultsFolder;
  readonly data: ReportData;
  readonly rendered: RenderedReport;
  /** The paths written. */
  readonly files: readonly string[];
}

/** Reads `folder`, renders its report and writes the files into `out` (default: the folder itself). */
export async function writeFolderReport(folder: string, zddVersion: string, out = folder): Promise<FolderReport> {
  const results = await readResultsFolder(folder, zddVersion);
  const data = resultsReport(results, zddVersion);
  const rendered = renderReport(data);
  const files = await writeReportFiles(out, rendered);
  return { results, data, rendered, files };
}
