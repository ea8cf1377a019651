import type { RolloutResult } from '../../cluster/local/workload-controller.js';
import { ExitCode } from '../../errors.js';
import { callControl } from './control.js';

/** `zdd local rollout <workload…>`: rolls out on a running `zdd local up`, all at the same moment. */
export async function localRollout(options: {
  readonly workloads: readonly string[];
  readonly controlPort: number;
  readonly log?: (line: string) => void;
}): Promise<number> {
  const log = options.log ?? console.log;
  const results = await Promise.all(
    options.workloads.map((name) =>
      callControl<RolloutResult>(options.controlPort, 'POST', `/rollout/${encodeURIComponent(name)}`),
    ),
  );
  for (const result of results) {
    log(
      `${result.workload}: rollout to ${result.revision} ${result.outcome} in ${result.endedAt - result.startedAt} ms${result.reason ? ` (${result.reason})` : ''}`,
    );
  }
  return results.every((result) => result.outcome === 'completed') ? ExitCode.ok : ExitCode.failed;
}
