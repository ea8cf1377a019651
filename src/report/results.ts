import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompareRun, VariantResult, Verdict } from '../compare/result.js';

/**
 * The machine-readable results of a run, in `results/<timestamp>/`:
 * - `summary.json`: settings, per-variant figures (with per-round counts), the
 *   rollouts and the verdict (shape: `CompareSummary`);
 * - `samples.ndjson`: one line per request: time (epoch ms), variant,
 *   latency (ms), status (0: no response), error kind, pod;
 * - `events.json`: the local cluster's events (rollouts, pods, endpoints, router reloads).
 */
export interface CompareSummary {
  readonly zdd: { readonly version: string };
  readonly startedAt: string;
  readonly endedAt: string;
  readonly settings: CompareRun['plan'] & { readonly loadGenerator: string };
  readonly variants: readonly VariantResult[];
  readonly rounds: CompareRun['rounds'];
  readonly verdict: Verdict;
}

export function compareSummary(
  run: CompareRun,
  results: readonly VariantResult[],
  verdict: Verdict,
  version: string,
): CompareSummary {
  return {
    zdd: { version },
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: new Date(run.endedAt).toISOString(),
    settings: { ...run.plan, loadGenerator: run.loadGenerator },
    variants: results,
    rounds: run.rounds,
    verdict,
  };
}

/** Writes the three files into a new timestamped folder; returns its path. */
export async function writeResults(dir: string, run: CompareRun, summary: CompareSummary): Promise<string> {
  const stamp = new Date(run.startedAt).toISOString().replace(/[:.]/g, '-');
  const folder = join(dir, stamp);
  const partial = `${folder}.partial`;
  await mkdir(partial, { recursive: true });
  const samples = run.samples
    .map((s) =>
      JSON.stringify({
        time: Math.round(s.epochMs),
        variant: s.target,
        latencyMs: round(s.latencyMs),
        status: s.status,
        error: s.error ?? null,
        pod: s.pod ?? null,
      }),
    )
    .join('\n');
  await writeFile(join(partial, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(join(partial, 'samples.ndjson'), samples ? `${samples}\n` : '');
  await writeFile(join(partial, 'events.json'), `${JSON.stringify(run.events, null, 2)}\n`);
  // Never a half-written results folder: it appears complete or not at all.
  await rename(partial, folder);
  return folder;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
