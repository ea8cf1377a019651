import { createRequire } from 'node:module';
import Yargs from 'yargs/yargs';

/**
 * yargs as its CommonJS build, which `yargs/yargs` is also for ES modules. `yargs` itself, for ES modules, lays out
 * --help with cliui's stand-in for wrap-ansi, which cuts each line at the column width whatever is there
 * ("a kustomize base a / nd overlay"; yargs/yargs#2112, yargs/cliui#89, fixed in yargs 18); the CommonJS build
 * wraps with wrap-ansi, at spaces.
 */
export const yargs = Yargs;

/** The line cliui keeps for a row that may go on the previous one (a flag's `[number]` after its description). */
interface Line {
  readonly text: string;
  hidden?: boolean;
}

interface Layout {
  renderInline(this: Layout, source: string, previous: Line): string;
}

// cliui also puts a flag's type on its description's last line when exactly no space is left there, with no
// space between ("JSON[string]"); there, the type goes on a line of its own, as when it does not fit at all.
// cliui is yargs's dependency, not zdd's: it is loaded from yargs's folder, the copy yargs lays out with wherever
// npm put it in an installed package.
const requireFromYargs = createRequire(createRequire(import.meta.url).resolve('yargs/yargs'));
const layout = Object.getPrototypeOf((requireFromYargs('cliui') as (options: object) => object)({})) as Layout;
const renderInline = layout.renderInline;
layout.renderInline = function (source, previous) {
  const rendered = renderInline.call(this, source, previous);
  const text = previous.text.trimEnd();
  if (previous.hidden !== true || text === '' || !rendered.startsWith(text) || rendered[text.length] === ' ') {
    return rendered;
  }
  previous.hidden = false;
  return source;
};
