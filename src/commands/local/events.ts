import { type ClusterEvent, formatEvent } from '../../runtime/events.js';
import { delay } from '../../runtime/timing.js';
import { callControl } from './control.js';

/** `zdd local events`: prints the event log of a running `zdd local up`; `--follow` keeps printing. */
export async function localEvents(options: {
  readonly controlPort: number;
  readonly follow?: boolean;
  readonly json?: boolean;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}): Promise<void> {
  const log = options.log ?? console.log;
  let seen = 0;
  let origin: number | undefined;
  do {
    const events = await callControl<ClusterEvent[]>(options.controlPort, 'GET', `/events?since=${seen}`);
    origin ??= events[0]?.time;
    for (const event of events) log(options.json ? JSON.stringify(event) : formatEvent(event, origin));
    seen += events.length;
    if (options.follow) await delay(250, options.signal);
  } while (options.follow && !options.signal?.aborted);
}
