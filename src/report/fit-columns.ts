import { displayWidth, wrapLine } from '../runtime/wrap-text.js';

/**
 * How wide each column of a terminal table is, so that the table fits a width: headers wrap at spaces first
 * (into as few lines as the width allows), then the cells of the columns that may wrap (names, reasons), the
 * widest column giving way first; only when that is not enough are the widest cells cut (`truncate`). Pure.
 */

export interface FitInput {
  readonly head: readonly string[];
  readonly lines: readonly (readonly string[])[];
  /** Per column: may its cells wrap at spaces (text), or must they stay on one line (figures)? */
  readonly wraps: readonly boolean[];
  /** The columns the whole table may take. */
  readonly width: number;
  /**
   * Cut cells when wrapping is not enough (the default table); otherwise a table that cannot fit keeps its
   * columns on one line and runs wider (`--wide`).
   */
  readonly truncate: boolean;
}

/** The spaces between two columns. */
export const COLUMN_GAP = 2;

/** The content width of each column. */
export function fitColumns(input: FitInput): number[] {
  const budget = input.width - COLUMN_GAP * Math.max(0, input.head.length - 1);
  const cells = input.head.map((_, index) => input.lines.map((line) => line[index] ?? ''));
  const whole = cells.map((column) => Math.max(0, ...column.map(displayWidth)));
  const natural = input.head.map((title, index) => Math.max(displayWidth(title), whole[index] ?? 0));
  const fits = (widths: readonly number[]) => widths.reduce((sum, width) => sum + width, 0) <= budget;
  // Headers in 1, 2, 3, … lines, cells whole.
  const tallest = Math.max(1, ...input.head.map((title) => wrapLine(title, 1, '').length));
  for (let lines = 1; lines <= tallest; lines++) {
    const widths = input.head.map((title, index) => Math.max(whole[index] ?? 0, headWidth(title, lines)));
    if (fits(widths)) return unwrapHeads(widths, natural, budget);
  }
  // Text cells wrapped, the widest column first.
  const widths = input.head.map((title, index) => Math.max(whole[index] ?? 0, headWidth(title, tallest)));
  const wrapped = input.head.map((title, index) =>
    Math.max(
      headWidth(title, tallest),
      input.wraps[index] ? Math.max(0, ...(cells[index] ?? []).map((cell) => narrowest(cell))) : (whole[index] ?? 0),
    ),
  );
  shrink(widths, wrapped, budget);
  if (fits(widths)) return widths;
  if (!input.truncate) return natural;
  shrink(
    widths,
    widths.map(() => 1),
    budget,
  );
  return widths;
}

/** With the columns left over, the heads that need the fewest back on one line, one after the other. */
function unwrapHeads(widths: number[], natural: readonly number[], budget: number): number[] {
  let spare = budget - widths.reduce((sum, width) => sum + width, 0);
  const byCost = widths
    .map((width, index) => ({ index, cost: (natural[index] ?? width) - width }))
    .filter(({ cost }) => cost > 0)
    .sort((a, b) => a.cost - b.cost);
  for (const { index, cost } of byCost) {
    if (cost > spare) break;
    widths[index] = natural[index] ?? 0;
    spare -= cost;
  }
  return widths;
}

/** Narrows the widest column above its floor by one column at a time until the total is within `budget`. */
function shrink(widths: number[], floors: readonly number[], budget: number): void {
  let total = widths.reduce((sum, width) => sum + width, 0);
  while (total > budget) {
    let widest = -1;
    for (let index = 0; index < widths.length; index++) {
      const width = widths[index] ?? 0;
      if (width > (floors[index] ?? 0) && (widest < 0 || width > (widths[widest] ?? 0))) widest = index;
    }
    if (widest < 0) return;
    widths[widest] = (widths[widest] ?? 1) - 1;
    total--;
  }
}

/** The narrowest a header can be in at most `lines` lines (its widest word, when that is all it can do). */
function headWidth(title: string, lines: number): number {
  let width = narrowest(title, '');
  while (width < displayWidth(title) && wrapLine(title, width, '').length > lines) width++;
  return width;
}

/** The narrowest `text` can be wrapped at spaces: its widest word, with the indent of its continuation lines. */
function narrowest(text: string, indent?: string): number {
  return Math.max(0, ...wrapLine(text, 1, indent).map(displayWidth));
}
