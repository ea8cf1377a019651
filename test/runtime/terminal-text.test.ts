import { describe, expect, test } from 'vitest';
import { colourOn, DEFAULT_WIDTH, terminalWidth } from '../../src/runtime/terminal.js';
import { displayWidth, wrapLine } from '../../src/runtime/wrap-text.js';

describe('terminalWidth', () => {
  test('COLUMNS when set, else a terminal’s own width, else 80', () => {
    expect(terminalWidth({ isTTY: true, columns: 150 }, { COLUMNS: '100' })).toBe(100);
    expect(terminalWidth({}, { COLUMNS: '120' })).toBe(120);
    expect(terminalWidth({ isTTY: true, columns: 150 }, {})).toBe(150);
    expect(terminalWidth({ columns: 150 }, {})).toBe(DEFAULT_WIDTH);
    expect(terminalWidth({}, { COLUMNS: 'wide' })).toBe(DEFAULT_WIDTH);
    expect(terminalWidth({}, { COLUMNS: '10' })).toBe(40);
  });

  test('colour on a terminal only, and not with NO_COLOR', () => {
    expect(colourOn({ isTTY: true }, {})).toBe(true);
    expect(colourOn({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourOn({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourOn({}, {})).toBe(false);
  });
});

describe('wrapLine', () => {
  test('breaks at spaces, the first line keeps its indent, the others take the one given', () => {
    expect(wrapLine('    one two three four', 14, '      ')).toEqual(['    one two', '      three', '      four']);
    expect(wrapLine('  short', 80)).toEqual(['  short']);
  });

  test('by default the others go two columns in; a word wider than a line stays whole', () => {
    expect(wrapLine('  alpha beta', 8)).toEqual(['  alpha', '    beta']);
    expect(wrapLine('a supercalifragilistic word', 10)).toEqual(['a', '  supercalifragilistic', '  word']);
  });

  test('spaces inside a line are kept; ANSI codes take no column', () => {
    expect(wrapLine('error   rule  a.yaml:1', 40)).toEqual(['error   rule  a.yaml:1']);
    const red = '\u001b[31m✗\u001b[39m';
    expect(displayWidth(`${red} over`)).toBe(6);
    expect(wrapLine(`${red} over budget`, 11)).toEqual([`${red} over`, '  budget']);
  });
});
