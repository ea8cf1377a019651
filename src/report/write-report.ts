/**
 * Writes a report's three files into a folder: `report.html`, `report.md` and
 * `timeline.svg` (the last two only with per-request data: without it there is
 * no chart). Everything is rendered before anything is written, and each file
 * is written under a temporary name and renamed, so that a failure never
 * leaves a half-written report.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Writes the rendered files into `folder` (which exists); returns their paths. */
export async function writeReportFiles(folder: string, report: RenderedReport): Promise<string[]> {
  const written: string[] = [];
  const temporary = [...report.files].map(([name, text]) => ({
    path: join(folder, name),
    temp: join(folder, `.${name}.${process.pid}.tmp`),
    text,
  }));
  try {
    for (const file of temporary) await writeFile(file.temp, file.text);
    for (const file of temporary) {
      await rename(file.temp, file.path);
      written.push(file.path);
    }
  } finally {
    await Promise.all(temporary.map((file) => rm(file.temp, { force: true })));
  }
  return written;
}
