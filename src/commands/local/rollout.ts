import type { RolloutResult } from '../../cluster/rollout-result.js';
import { ExitCode } from '../../runtime/errors.js';
import { callControl } from './control.js';

/**
 * `zdd local rollout <workload…>`: rolls out on a running `zdd local up`, all at the same moment. The cluster
 * checks every name before it starts any rollout; a name given twice is one rollout (and a note says so).
 */
export async function localRollout(options: {
  readonly workloads: readonly string[];
  readonly controlPort: number;
  readonly log?: (line: string) => void;
  readonly note?: (line: string) => void;
}): Promise<number> {
  const log = options.log ?? console.log;
  const note = options.note ?? console.error;
  const names = [...new Set(options.workloads)];
  for (const name of names) {
    const times = options.workloads.filter((workload) => workload === name).length;
    if (times > 1) note(`zdd: ${name} is named ${times} times; it is rolled out once`);
  }
  const query = names.map((name) => `workload=${encodeURIComponent(name)}`).join('&');
  const results = await callControl<RolloutResult[]>(options.controlPort, 'POST', `/rollout?${query}`);
  for (const result of results) {
    log(
      `${result.workload}: rollout to ${result.revision} ${result.outcome} in ${result.endedAt - result.startedAt} ms${result.reason ? ` (${result.reason})` : ''}`,
    );
  }
  return results.every((result) => result.outcome === 'completed') ? ExitCode.ok : ExitCode.failed;
}
