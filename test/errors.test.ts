import { describe, expect, test } from 'vitest';
import { cutText, formatValue, SettingError } from '../src/runtime/errors.js';
import { describeFsError } from '../src/runtime/fs-errors.js';

describe('echoed values', () => {
  test.each([
    ['text', '"text"'],
    [2.5, '2.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [[1, 'a'], '[1,"a"]'],
    ['x'.repeat(200), `"${'x'.repeat(200)}"`],
  ])('%j is echoed as %s', (value, shown) => {
    expect(formatValue(value)).toBe(shown);
  });

  // Not in the table above: a 50 MB title would go into every test report.
  test('a 50 MB string is echoed cut, with its length', () => {
    expect(formatValue('x'.repeat(52_428_800))).toBe(`"${'x'.repeat(200)}"… (52428800 characters)`);
  });

  test('a cyclic value (YAML aliases make them) does not throw', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('[object Object]');
  });

  test('a SettingError quotes its value cut', () => {
    const error = new SettingError('image', 'must not contain spaces', `a ${'b'.repeat(1000)}`);
    expect(error.message).toBe(`image: must not contain spaces, got "a ${'b'.repeat(198)}"… (1002 characters)`);
  });

  test('cutText keeps short text whole', () => {
    expect(cutText('short')).toBe('short');
    expect(cutText('abcdef', 3)).toBe('abc… (6 characters)');
  });
});

describe('file-system errors in words', () => {
  test.each([
    ['ENOENT', 'does not exist'],
    ['EACCES', 'permission denied'],
    ['EISDIR', 'is a folder, expected a file'],
    ['ENOTDIR', 'part of the path is a file, not a folder'],
    ['EEXIST', 'already exists'],
  ])('%s', (code, words) => {
    expect(describeFsError(Object.assign(new Error(`${code}: x, open '/a'`), { code }))).toBe(words);
  });

  test("an unlisted code keeps libuv's words, not the code", () => {
    const error = Object.assign(new Error("ESOMETHING: something odd happened, open '/a/b'"), { code: 'ESOMETHING' });
    expect(describeFsError(error)).toBe('something odd happened');
  });
});
