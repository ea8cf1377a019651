import { stripVTControlCharacters } from 'node:util';

/**
 * Lines of messages fitted to a terminal's width: broken at spaces only, never inside a word. Pure.
 */

/**
 * The columns a terminal gives `text`: ANSI codes take none, every other code point one (box characters,
 * arrows and the like included; zdd prints no double-width characters of its own).
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const _ of stripVTControlCharacters(text)) width++;
  return width;
}

/**
 * `line` in lines of at most `width` columns, broken at spaces: the first keeps its own indent, the others
 * start with `indent` (default: the first's and two spaces more). A word wider than a line stays whole, on a
 * line of its own, rather than be cut.
 */
export function wrapLine(line: string, width: number, indent?: string): string[] {
  if (displayWidth(line) <= width) return [line];
  const lead = /^ */.exec(line)?.[0] ?? '';
  const next = indent ?? `${lead}  `;
  // Words with the spaces before each (`padEnd` columns inside a line keep their spaces).
  const parts = line.slice(lead.length).split(/( +)/);
  const lines: string[] = [];
  let current = lead;
  let empty = true;
  for (let index = 0; index < parts.length; index += 2) {
    const word = parts[index] ?? '';
    const space = index === 0 ? '' : (parts[index - 1] ?? '');
    if (word === '') continue;
    if (!empty && displayWidth(current) + space.length + displayWidth(word) > width) {
      lines.push(current);
      current = next + word;
    } else {
      current = empty ? current + word : current + space + word;
    }
    empty = false;
  }
  lines.push(current);
  return lines;
}

/** Each line of `text` (which may hold several) wrapped as `wrapLine` does, joined again. */
export function wrapText(text: string, width: number, indent?: string): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width, indent))
    .join('\n');
}
