import type { LoadKind } from '../compare/options.js';
import { K6NotFoundError } from './k6/errors.js';
import { type LoadTarget, runOpenModel } from './open-model.js';
import type { Sample } from './sample.js';

/** A generator's own per-target figures (k6's end-of-test summary), which the report prefers. */
export interface LoadAggregates {
  readonly requests: number;
  readonly failed: number;
  readonly avgMs: number;
  readonly p95Ms: number;
  readonly p99Ms?: number;
  readonly maxMs: number;
  readonly tps: number;
}

export interface LoadResult {
  /** One per request. */
  readonly samples: Sample[];
  /** Per target, when the generator summarizes itself (k6). */
  readonly aggregates?: ReadonlyMap<string, LoadAggregates>;
}

/** A load that is running; `stop()` ends it, `done` gives every request's sample. */
export interface LoadRun {
  /** `k6 v1.8.1` or `builtin`. */
  readonly generator: string;
  stop(): Promise<void>;
  readonly done: Promise<LoadResult>;
}

export interface StartLoadOptions {
  readonly kind: LoadKind;
  readonly targets: readonly LoadTarget[];
  readonly rate: number;
  /** The load ends by itself after this long at the latest. */
  readonly maxDurationMs: number;
  readonly timeoutMs: number;
  /** k6 thresholds: these targets' error rate must stay at or below `maxErrorRate`. */
  readonly gated: readonly string[];
  readonly maxErrorRate: number;
  /** A folder for k6's files. */
  readonly workDir: string;
  readonly onSample?: (sample: Sample) => void;
  readonly log: (line: string) => void;
}

/** Starts k6 or the built-in generator (auto: k6 when it is installed). */
export async function startLoad(options: StartLoadOptions): Promise<LoadRun> {
  // Loaded only when k6 may be used.
  const k6 = options.kind === 'builtin' ? undefined : await import('./k6/run.js');
  const k6Path = k6?.findK6();
  if (options.kind === 'k6' && !k6Path) throw new K6NotFoundError();
  if (k6 && k6Path) {
    const version = await k6.k6Version(k6Path);
    const run = k6.startK6({
      k6Path,
      targets: options.targets,
      rate: options.rate,
      maxDurationMs: options.maxDurationMs,
      timeoutMs: options.timeoutMs,
      maxErrorRate: options.maxErrorRate,
      gated: options.gated,
      workDir: options.workDir,
    });
    await run.ready;
    return {
      generator: `k6 ${version}`,
      stop: () => run.stop(),
      done: run.done.then((result) => ({
        samples: result.samples,
        aggregates: new Map(
          [...result.summary.variants].map(([name, v]) => [
            name,
            {
              requests: v.requests,
              failed: v.failed,
              avgMs: v.avgMs,
              p95Ms: v.p95Ms,
              p99Ms: v.p99Ms,
              maxMs: v.maxMs,
              tps: v.rps,
            },
          ]),
        ),
      })),
    };
  }
  if (options.kind === 'auto') options.log('k6 is not installed: using the built-in load generator (--load builtin)');
  const stop = new AbortController();
  const done = runOpenModel({
    targets: options.targets,
    rate: options.rate,
    durationMs: options.maxDurationMs,
    timeoutMs: options.timeoutMs,
    signal: stop.signal,
    onSample: options.onSample,
  }).then((result) => ({ samples: result.samples }));
  return {
    generator: 'builtin',
    stop: async () => {
      stop.abort();
      await done.catch(() => undefined);
    },
    done,
  };
}
