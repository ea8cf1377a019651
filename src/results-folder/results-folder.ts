/**
 * The machine-readable results of a run, in `results/<timestamp>/`:
 * - `summary.json`: settings, per-variant figures (per connection pattern and
 *   per round), the rollouts, the load's delivery, and the verdict (`summary-file.ts`);
 * - `samples.ndjson`: one line per request: time (epoch ms), variant,
 *   connection (new or reused), latency (ms), status (0: no response), error
 *   kind, pod;
 * - `events.json`: the local cluster's events (rollouts, pods, endpoints, router reloads);
 * - `logs/<pod>.log`: what every pod's container printed.
 */
import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompareRun } from './run-result.js';
import { sampleLine } from './samples-file.js';
import type { CompareSummary } from './summary-file.js';

/** The folder name for a run that started at `startedAt` (epoch ms). */
export function resultsFolder(dir: string, startedAt: number): string {
  return join(dir, new Date(startedAt).toISOString().replace(/[:.]/g, '-'));
}

/** Where a run's results are put together before they are complete. */
export function partialFolder(folder: string): string {
  return `${folder}.partial`;
}

/**
 * Writes the files into `folder` (see `resultsFolder`), as `<folder>.partial`
 * first (where `copyPodLogs` may have put the logs already) and renamed once
 * complete: a results folder appears whole or not at all.
 */
export async function writeResults(folder: string, run: CompareRun, summary: CompareSummary): Promise<string> {
  const partial = partialFolder(folder);
  await mkdir(partial, { recursive: true });
  const samples = run.samples.map(sampleLine).join('\n');
  await writeFile(join(partial, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(join(partial, 'samples.ndjson'), samples ? `${samples}\n` : '');
  await writeFile(join(partial, 'events.json'), `${JSON.stringify(run.events, null, 2)}\n`);
  await rm(folder, { recursive: true, force: true });
  await rename(partial, folder);
  return folder;
}

/**
 * What is left of a run that failed before its verdict (the variants never
 * served, a tool failed, Ctrl-C): `<folder>.failed/` with `error.txt`,
 * `events.json` and the pods' `logs/`, so that the cause can be read later.
 * What the run had put in `<folder>.partial/` already (a cluster run's
 * manifests and `cluster-run.json`) moves along.
 */
export async function writeFailedRun(
  folder: string,
  error: string,
  events: readonly unknown[],
  logsFrom?: string,
): Promise<string> {
  const failed = `${folder}.failed`;
  await rename(partialFolder(folder), failed).catch(() => undefined);
  await mkdir(failed, { recursive: true });
  await writeFile(join(failed, 'error.txt'), `${error}\n`);
  await writeFile(join(failed, 'events.json'), `${JSON.stringify(events, null, 2)}\n`);
  if (logsFrom !== undefined) await copyPodLogs(logsFrom, join(failed, 'logs'));
  return failed;
}

/** `<from>/<pod>/log` → `<to>/<pod>.log` (the local cluster keeps one folder per pod). */
export async function copyPodLogs(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const pods = await readdir(from, { withFileTypes: true }).catch(() => []);
  for (const pod of pods) {
    if (!pod.isDirectory()) continue;
    await copyFile(join(from, pod.name, 'log'), join(to, `${pod.name}.log`)).catch(() => undefined);
  }
}
