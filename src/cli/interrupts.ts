import { ExitCode } from '../runtime/errors.js';

/**
 * Ctrl-C and SIGTERM: the first one aborts the returned signal, so that the
 * running command stops what it started and exits with 130; a second one
 * ends the process at once, whatever it waits for (the watchdog kills what is
 * left and removes the temp folders).
 */
export function watchInterrupts(stderr: NodeJS.WritableStream = process.stderr): {
  readonly signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      stderr.write(`zdd: ${signal} again: stopping at once\n`);
      exitAtOnce();
    }
    stderr.write(`zdd: ${signal}: stopping everything zdd started (press Ctrl-C again to stop at once)\n`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

/**
 * Work that runs in libuv's threadpool (file system calls, DNS lookups), as
 * `process.getActiveResourcesInfo()` names it. process.exit() waits for every
 * threadpool thread to finish its work, and some never do: an open() of a FIFO
 * nobody writes to, a lookup that never gets an answer, a hung network mount.
 */
const THREADPOOL_WORK = /^(FSReq|GetAddrInfo|GetNameInfo)/;

/**
 * Exits with 130 now. When threadpool work is pending, process.exit() could
 * wait for it forever, so the process ends by SIGINT itself instead (its
 * default action: no clean-up, the watchdog does that), which a shell reports
 * as 130 too.
 */
function exitAtOnce(): never {
  if (!process.getActiveResourcesInfo().some((resource) => THREADPOOL_WORK.test(resource))) {
    process.exit(ExitCode.interrupted);
  }
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, 'SIGINT');
  // The signal is delivered before kill() returns; this is never reached.
  process.exit(ExitCode.interrupted);
}
