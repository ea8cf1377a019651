import type { Sample } from '../load/sample.js';
import type { CompareProgress } from './run-compare.js';

/**
 * On a terminal, one live line: phase, elapsed time, requests and errors per
 * variant. Elsewhere (CI, a pipe), a plain log line per phase.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): CompareProgress & { end(): void } {
  const live = stream.isTTY === true;
  const started = Date.now();
  const counts = new Map<string, { requests: number; errors: number }>();
  let phase = 'starting';
  let timer: NodeJS.Timeout | undefined;
  const render = () => {
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    const variants = [...counts].map(([name, c]) => `${name} ${c.requests} req ${c.errors} err`).join('  ');
    stream.write(`\r\x1b[2K${phase.padEnd(14)} ${elapsed.padStart(6)} s  ${variants}`);
  };
  if (live) {
    timer = setInterval(render, 200);
    timer.unref();
  }
  const clear = () => live && stream.write('\r\x1b[2K');
  return {
    phase(name, detail) {
      phase = name;
      if (!live) stream.write(`zdd compare: ${name}${detail ? `: ${detail}` : ''}\n`);
    },
    sample(sample: Sample) {
      const c = counts.get(sample.target) ?? { requests: 0, errors: 0 };
      c.requests++;
      if (sample.error) c.errors++;
      counts.set(sample.target, c);
    },
    log(line) {
      clear();
      stream.write(`zdd compare: ${line}\n`);
    },
    end() {
      clearInterval(timer);
      clear();
    },
  };
}
