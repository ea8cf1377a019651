import type { LiveSample } from '../load/sample.js';
import { columnsFromEnv } from '../runtime/terminal.js';
import { countRequest, type LiveCounts, NO_REQUESTS } from './live-counts.js';
import { finalLines, liveLines, type ProgressView, plainLines, wrapWords } from './progress-line.js';
import type { CompareProgress } from './run-compare.js';

export interface ProgressOptions {
  /**
   * Where the progress goes: stderr, so that stdout holds the table and verdict alone (`zdd compare > out.txt`
   * still shows the live lines). @default process.stderr
   */
  readonly stream?: NodeJS.WriteStream;
  /** `--format json`: no progress at all; only the log lines (warnings, notes) are written. @default false */
  readonly quiet?: boolean;
  /** A terminal's redraw interval, ms. @default 200 */
  readonly refreshMs?: number;
  /** Without a terminal, a plain line per variant this often, ms of real time. @default 5000 */
  readonly plainEveryMs?: number;
  /**
   * Without a terminal, the width the lines keep to (a variant's line in the short form, any other broken at spaces).
   * @default - `COLUMNS` when set, else none
   */
  readonly plainWidth?: number;
  /**
   * The run's interrupt: once it aborts, the live lines stay as they are (below them, the interrupt's own line
   * is not written over) and the final lines follow. @default - none
   */
  readonly signal?: AbortSignal;
}

/** What `end` is told: whether the run came to its end, or stopped early (an error, Ctrl-C). */
export type ProgressEnd = 'done' | 'stopped';

/**
 * compare's progress. On a terminal: one line per variant, redrawn in place a few times a second (as k6 shows
 * its own), never wider than the terminal, replaced by a final line each at the end. Elsewhere (CI, a pipe): a
 * plain line per phase and, while the load runs, a plain line per variant every few seconds, without escape
 * codes. Quiet: nothing but the log lines.
 */
export function createProgress(
  options: ProgressOptions = {},
): Required<CompareProgress> & { end(how?: ProgressEnd): void } {
  const stream = options.stream ?? process.stderr;
  const quiet = options.quiet === true;
  const terminal = !quiet && stream.isTTY === true;
  const plainWidth = options.plainWidth ?? columnsFromEnv();
  const started = Date.now();
  const counts = new Map<string, LiveCounts>();
  let expectedMs: number | undefined;
  let phase: string | undefined;
  const { width, draw, forget } = liveBlock(stream);
  let timer: NodeJS.Timeout | undefined;

  const view = (): ProgressView => ({
    phase: phase ?? 'starting',
    elapsedMs: Date.now() - started,
    ...(expectedMs !== undefined && { expectedMs }),
    nowMs: Date.now(),
    variants: [...counts].map(([name, variantCounts]) => ({ name, counts: variantCounts })),
  });
  let interrupted = false;
  const render = () => {
    if (phase !== undefined && !interrupted) draw(liveLines(view(), width()));
  };
  options.signal?.addEventListener(
    'abort',
    () => {
      interrupted = true;
      forget();
    },
    { once: true },
  );
  // Without a terminal, a line is cut into lines of COLUMNS at spaces only when COLUMNS is set.
  const writeWrapped = (text: string) => {
    const lines = plainWidth === undefined ? [text] : text.split('\n').flatMap((part) => wrapWords(part, plainWidth));
    stream.write(`${lines.join('\n')}\n`);
  };
  // Nothing to say until the load has sent something.
  const writePlain = (shown = view()) => {
    if (![...counts.values()].some((variant) => variant.requests > 0)) return;
    stream.write(plainLines(shown, plainWidth).join('\n').concat('\n'));
  };
  if (terminal) timer = setInterval(render, options.refreshMs ?? 200);
  else if (!quiet) timer = setInterval(() => writePlain(), options.plainEveryMs ?? 5000);
  timer?.unref();

  return {
    start(run) {
      expectedMs = run.expectedMs;
      for (const name of run.variants) if (!counts.has(name)) counts.set(name, NO_REQUESTS);
    },
    phase(name, detail) {
      const previous = phase;
      phase = name;
      if (terminal) return render();
      if (quiet) return;
      // Where each variant stood when the phase before ended, then the new phase.
      writePlain({ ...view(), phase: previous ?? 'starting' });
      writeWrapped(`${PREFIX}${name}${detail ? `: ${detail}` : ''}`);
    },
    sample(sample: LiveSample) {
      counts.set(sample.target, countRequest(counts.get(sample.target) ?? NO_REQUESTS, sample));
    },
    log(line) {
      const text = `${PREFIX}${line}`;
      if (!terminal) return writeWrapped(text);
      // Above the live block, which is drawn again below it.
      const logged = text.split('\n').flatMap((part) => wrapWords(part, width()));
      draw(phase === undefined || interrupted ? [] : liveLines(view(), width()), logged);
    },
    end(how = 'stopped') {
      clearInterval(timer);
      if (quiet || phase === undefined) return;
      const ended = { ...view(), phase: how === 'done' ? 'done' : (phase ?? 'starting') };
      if (terminal) draw(finalLines(ended, width()), [], true);
      else writePlain(ended);
    },
  };
}

/**
 * The live block at the bottom of a terminal: `draw` writes lines over it (with `above` first, which stay), or
 * leaves them for good (`last`, or `forget` later).
 */
function liveBlock(stream: NodeJS.WriteStream) {
  /** Lines of the block on screen now (the cursor is on the line below them). */
  let drawn = 0;
  return {
    // One column short of the terminal's: a line as wide as the terminal wraps on some terminals.
    width: () => Math.max(1, (stream.columns || 80) - 1),
    draw(lines: readonly string[], above: readonly string[] = [], last = false) {
      // Back to the block's first line; each line written over is cleared first (EL, not ED: tmux keeps a
      // screen cleared by ED in its history). The block never gets shorter: the final lines are as many.
      const up = drawn > 0 ? `\x1b[${drawn}A\r` : '';
      stream.write(`${up}${[...above, ...lines].map((line) => `\x1b[2K${line}\n`).join('')}`);
      drawn = last ? 0 : lines.length;
    },
    /** Leaves the lines on screen as they are: the next `draw` writes below them. */
    forget() {
      drawn = 0;
    },
  };
}

/** What every plain line starts with. */
const PREFIX = 'zdd compare: ';
