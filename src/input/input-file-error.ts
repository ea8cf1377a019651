import { UsageError } from '../runtime/errors.js';

/**
 * A file the user handed zdd to read (a results folder's file, a JMeter or k6
 * file, an events file) that is missing, cut off or not what it should be. The
 * message names the file, the line when one is to blame, and what is wrong.
 */
export class InputFileError extends UsageError {
  override name = 'InputFileError';
  constructor(
    readonly file: string,
    /** What is wrong, e.g. "the success field is `maybe`, expected true or false". */
    readonly problem: string,
    /** 1-based. */
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `, line ${line}`}: ${problem}`);
  }
}
