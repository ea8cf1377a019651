/**
 * Input zdd could not read: a file that does not exist, bad YAML. The other
 * inputs are still checked; the exit code is 2.
 */
export interface InputProblem {
  /** The file or path as the user named it; undefined for a problem with the input as a whole. */
  readonly file: string | undefined;
  /** 1-based line, when the problem has one. */
  readonly line: number | undefined;
  readonly message: string;
}
