import { numberFlag } from './flag-parsing.js';

/**
 * A numeric flag's yargs declaration: `[number]` in --help, yet read as typed. yargs' number type would turn
 * "abc" into NaN and "0x10" into 16 before any check sees the text; declared a string as well, yargs-parser
 * keeps the text (its string type wins when parsing) while the help shows the number type (which wins there),
 * and `numberFlag` makes it a number or refuses it, echoing what was typed.
 */
export function numberOption(flag: string) {
  return { type: 'number', string: true, coerce: numberFlag(flag) } as const;
}
