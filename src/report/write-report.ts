/**
 * Writes a report's three files into a folder: `report.html`, `report.md` and
 * `timeline.svg` (the last two only with per-request data: without it there is
 * no chart). Everything is rendered before anything is written, the folder is
 * made only then, and each file is written under a temporary name and renamed,
 * so that a refused input or a failure never leaves a half-written report or
 * an empty folder.
 */
import { rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from '../runtime/fs-errors.js';
import { DirectoryError, makeDirectory } from '../runtime/make-directory.js';
import { reportTimeline, type TimelineSpec } from './chart/timeline-data.js';
import { timelineSvg } from './chart/timeline-plot.js';
import { newDocument } from './dom.js';
import { reportHtml } from './html/report-html.js';
import { reportMarkdown } from './markdown/report-markdown.js';
import type { ReportData } from './report-data.js';

export const TIMELINE_FILE = 'timeline.svg';

export interface RenderedReport {
  /** File name → content. */
  readonly files: ReadonlyMap<string, string>;
  readonly timeline?: TimelineSpec;
}

/** The report's files as text. Pure. */
export function renderReport(data: ReportData): RenderedReport {
  const timeline = reportTimeline(data);
  const files = new Map<string, string>([
    ['report.html', reportHtml(data, timeline)],
    ['report.md', reportMarkdown(data, timeline, TIMELINE_FILE)],
  ]);
  if (timeline) files.set(TIMELINE_FILE, standaloneSvg(timeline, data.title));
  return { files, ...(timeline && { timeline }) };
}

/** The timeline as an SVG file of its own (for slides and Markdown). */
export function standaloneSvg(timeline: TimelineSpec, title: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${timelineSvg(timeline, newDocument(), title).outerHTML}\n`;
}

/**
 * Writes the rendered files into `folder`, made (with its missing parents)
 * only now; returns their paths. A failure is a `DirectoryError` saying which
 * path and why, and removes the folders it made.
 */
export async function writeReportFiles(folder: string, report: RenderedReport): Promise<string[]> {
  const created = await makeDirectory(folder);
  const written: string[] = [];
  const temporary = [...report.files].map(([name, text]) => ({
    path: join(folder, name),
    temp: join(folder, `.${name}.${process.pid}.tmp`),
    text,
  }));
  let current = folder;
  try {
    for (const file of temporary) {
      current = file.path;
      await writeFile(file.temp, file.text);
    }
    for (const file of temporary) {
      current = file.path;
      await rename(file.temp, file.path);
      written.push(file.path);
    }
  } catch (error) {
    await Promise.all(temporary.map((file) => rm(file.temp, { force: true })));
    if (written.length === 0) for (const dir of created.reverse()) await rmdir(dir).catch(() => undefined);
    throw new DirectoryError(`cannot write ${current}: ${describeFsError(error)}`);
  }
  return written;
}
