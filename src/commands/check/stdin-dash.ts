/**
 * yargs drops a lone `-` from a command's positional list (it re-parses them
 * as `--paths -`, and `-` is no value there), so `zdd check -` would read
 * nothing. Puts each `-` of the command line back in its place among the paths
 * yargs kept. A `-` can only be a path: no option of `check` takes it as a value.
 */
export function restoreStdinDash(paths: readonly string[], argv: readonly string[]): string[] {
  const start = argv.indexOf('check');
  const rest = [...paths];
  const out: string[] = [];
  for (const token of argv.slice(start + 1)) {
    if (token === '-') out.push('-');
    else if (rest[0] === token) {
      out.push(token);
      rest.shift();
    }
  }
  return [...out, ...rest];
}
