import { stripVTControlCharacters } from 'node:util';

/** The columns a terminal gives a line: ANSI codes none, every other character one (box characters too). */
export function shownWidth(line: string): number {
  return [...stripVTControlCharacters(line)].length;
}

/** The lines of `text` wider than `width`, for an assertion that names them. */
export function linesWiderThan(text: string, width: number): string[] {
  return text.split('\n').filter((line) => shownWidth(line) > width);
}

/** The words of `text`: the same text laid out at two widths has the same ones, unless a word was cut. */
export function wordsOf(text: string): string[] {
  return stripVTControlCharacters(text)
    .split(/\s+/)
    .filter((word) => word !== '' && !/^─+$/.test(word))
    .sort();
}

/**
 * The cells of the terminal table's line whose first cell is `label` (columns are two spaces or more apart;
 * a connection pattern's label is indented).
 */
export function tableRow(text: string, label: string): string[] | undefined {
  for (const line of text.split('\n')) {
    const cells = line
      .trim()
      .split(/ {2,}/)
      .map((cell) => cell.trim());
    if (cells[0] === label) return cells.slice(1);
  }
  return undefined;
}

/** The environment of the test run with `COLUMNS` set: what a user asking for that width runs zdd in. */
export function withColumns(columns: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, NO_COLOR: '1', COLUMNS: String(columns) };
}

/** `text` with every run of white space one space: a message as written, however it was wrapped to the width. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * The lines of a terminal table with their cells (two spaces or more apart) between bars, `│ label │ a │ b │`
 * (a connection pattern's label keeps its indent), for a regex over a row's cells.
 */
export function boxed(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const lead = /^ */.exec(line)?.[0] ?? '';
      return `│ ${lead}${line.trim().split(/ {2,}/).join(' │ ')} │`;
    })
    .join('\n');
}
