import { createRequire } from 'node:module';
import type Yargs from 'yargs/yargs';

/**
 * yargs as its CommonJS build. The ES module build lays out --help with cliui's stand-in for wrap-ansi,
 * which cuts each line at the column width whatever is there ("a kustomize base a / nd overlay"; yargs/yargs#2112,
 * yargs/cliui#89, fixed in yargs 18); the CommonJS build wraps with wrap-ansi, at spaces.
 */
export const yargs = createRequire(import.meta.url)('yargs/yargs') as typeof Yargs;
