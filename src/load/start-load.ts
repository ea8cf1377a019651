import { K6NotFoundError } from './k6/errors.js';
import { findK6, k6Version } from './k6/find-k6.js';
import { DEFAULT_RUNNER_IMAGE } from './k6-operator/test-run.js';
import type { LoadKind } from './load-kind.js';
import type { LoadGenerator, LoadResult, LoadRun, StartLoadOptions } from './load-run.js';
import { runOpenModel } from './open-model.js';

/**
 * Resolves `--load`: k6 (which must be installed), the built-in generator, auto (k6 when it is installed), or the
 * k6-operator's runners (`operator`: how many, and how they run). Throws `K6NotFoundError` for `k6` without k6.
 */
export async function resolveLoadGenerator(
  kind: LoadKind,
  operator?: Omit<Extract<LoadGenerator, { kind: 'k6-operator' }>, 'kind'>,
): Promise<LoadGenerator> {
  if (kind === 'builtin') return { kind: 'builtin' };
  if (kind === 'k6-operator') return { kind: 'k6-operator', parallelism: 1, runner: {}, ...operator };
  const path = findK6();
  if (path === undefined) {
    if (kind === 'k6') throw new K6NotFoundError();
    return { kind: 'builtin', reason: 'k6 is not installed: using the built-in load generator (--load builtin)' };
  }
  return { kind: 'k6', path, version: await k6Version(path) };
}

/** `k6 v1.8.1`, `builtin`, or `k6-operator (3 runners of grafana/k6:1.8.1)`. */
export function generatorName(generator: LoadGenerator): string {
  if (generator.kind === 'k6-operator') {
    const { parallelism, runner } = generator;
    return `k6-operator (${parallelism} runner${parallelism === 1 ? '' : 's'} of ${runner.image ?? DEFAULT_RUNNER_IMAGE})`;
  }
  return generator.kind === 'k6' ? `k6 ${generator.version}` : 'builtin';
}

/** Starts the resolved generator. */
export async function startLoad(options: StartLoadOptions): Promise<LoadRun> {
  const { generator } = options;
  if (generator.kind === 'k6') {
    // Loaded only when k6 runs.
    const { startK6Load } = await import('./k6/load.js');
    return startK6Load({ ...options, k6Path: generator.path, version: generator.version });
  }
  if (generator.kind === 'k6-operator') {
    if (!options.cluster) throw new Error('the k6-operator needs a cluster');
    const { startOperatorLoad } = await import('./k6-operator/operator-load.js');
    const { cluster, ...load } = options;
    return startOperatorLoad({
      ...load,
      ...cluster,
      parallelism: generator.parallelism,
      runner: generator.runner,
      generator: generatorName(generator),
    });
  }
  const stop = new AbortController();
  const done = runOpenModel({
    targets: options.targets,
    rate: options.rate,
    durationMs: options.maxDurationMs,
    timeoutMs: options.timeoutMs,
    maxRequestsPerTarget: options.maxRequestsPerTarget,
    allowRemote: options.allowRemote,
    signal: stop.signal,
    onSample: options.onSample,
  }).then(
    (result): LoadResult => ({
      samples: result.samples,
      // The built-in generator never drops a request: one it could not start on time starts late.
      delivery: result.delivery.map((stream) => ({
        target: stream.name,
        connection: stream.connection,
        scheduled: stream.sent,
        sent: stream.sent,
        dropped: 0,
        late: stream.late,
      })),
      capped: result.capped,
      thresholds: [],
      notes: [],
    }),
  );
  return {
    generator: 'builtin',
    stop: async () => {
      stop.abort();
      await done.catch(() => undefined);
    },
    done,
  };
}
