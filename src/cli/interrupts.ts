/**
 * Ctrl-C and SIGTERM: the first one aborts the returned signal, so that the
 * running command stops what it started and exits with 130; a second one
 * exits at once (the watchdog kills what is left and removes the temp folders).
 */
export function watchInterrupts(stderr: NodeJS.WritableStream = process.stderr): {
  readonly signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      stderr.write(`zdd: ${signal} again: stopping at once\n`);
      process.exit(130);
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
