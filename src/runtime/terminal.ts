/**
 * What the terminal zdd writes to can show, decided in this one place: how many columns a line may take and
 * whether to colour. Piped output (CI logs, a file) is laid out 80 columns wide and never coloured.
 */

/** The width of output that is not a terminal, and of a terminal that does not say. */
export const DEFAULT_WIDTH = 80;

/** Below this, tables and wrapped messages would be a column of single words: laid out this wide instead. */
const NARROWEST = 40;

/** The part of a stream the decision reads (process.stdout, process.stderr). */
export interface TerminalStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The part of the environment the decision reads. */
export type TerminalEnv = Readonly<Record<string, string | undefined>>;

export interface Terminal {
  /** The columns a line may take. */
  readonly width: number;
  /** ANSI colours: on a terminal, unless NO_COLOR is set (https://no-color.org). */
  readonly colour: boolean;
}

/**
 * `COLUMNS` when it is set (a user or a script asking for a width, piped or not), else the terminal's own
 * width, else `DEFAULT_WIDTH`.
 */
export function terminalWidth(stream: TerminalStream = process.stdout, env: TerminalEnv = process.env): number {
  const width =
    columnsFromEnv(env) ??
    (stream.isTTY === true && (stream.columns ?? 0) > 0 ? (stream.columns as number) : DEFAULT_WIDTH);
  return Math.max(NARROWEST, width);
}

/** `COLUMNS` when it is set to a positive whole number, else undefined. */
export function columnsFromEnv(env: TerminalEnv = process.env): number | undefined {
  const columns = Number.parseInt(env.COLUMNS ?? '', 10);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything but the empty string. */
export function colourOn(stream: TerminalStream = process.stdout, env: TerminalEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}

/** stdout as a terminal (or not). */
export function stdoutTerminal(stream: TerminalStream = process.stdout, env: TerminalEnv = process.env): Terminal {
  return { width: terminalWidth(stream, env), colour: colourOn(stream, env) };
}
