#!/usr/bin/env node
// The compiled CLI (npm run build, run by `npm ci` through "prepare").
import { main } from '../lib/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
