/**
 * The highest open-model rate each load generator keeps up with against a
 * trivial local server: built-in (≤ 1 % of requests started late, none failed)
 * and k6 (≤ 1 % of scheduled iterations dropped, none failed), in the same run.
 * Target: built-in ≥ 0.8 × k6.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioName } from '../src/load/k6/args.js';
import { findK6, startK6 } from '../src/load/k6/run.js';
import { runOpenModel } from '../src/load/open-model.js';

const RATES = [250, 500, 1000, 2000, 3000, 4000, 6000, 8000, 12000];
const DURATION_MS = 3000;

const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
const targets = [{ name: 'bench', url }];

async function builtinKeepsUp(rate: number): Promise<boolean> {
  const { samples, lateStarts } = await runOpenModel({ targets, rate, durationMs: DURATION_MS });
  return samples.every((sample) => sample.error === undefined) && lateStarts <= samples.length * 0.01;
}

async function k6KeepsUp(k6Path: string, rate: number): Promise<boolean> {
  const workDir = mkdtempSync(join(tmpdir(), 'zdd-bench-k6-'));
  try {
    // A short timeout keeps k6's VU pool (rate × (timeout + 1 s)) small against a server that answers at once.
    const run = startK6({ k6Path, targets, rate, maxDurationMs: DURATION_MS, timeoutMs: 500, workDir });
    const result = await run.done;
    const expected = Math.floor((rate * DURATION_MS) / 1000);
    const dropped = result.droppedIterations.get(scenarioName('bench')) ?? 0;
    return result.samples.every((sample) => sample.error === undefined) && dropped <= expected * 0.01;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function highest(keepsUp: (rate: number) => Promise<boolean>): Promise<number> {
  let best = 0;
  for (const rate of RATES) {
    if (!(await keepsUp(rate))) break;
    best = rate;
  }
  return best;
}

try {
  const builtin = await highest(builtinKeepsUp);
  const k6Path = findK6();
  console.log(
    `load generators, highest open-model rate kept up with for ${DURATION_MS / 1000} s (ladder ${RATES.join(', ')} req/s)`,
  );
  console.log(`  builtin  ${builtin} req/s`);
  if (k6Path) {
    const k6 = await highest((rate) => k6KeepsUp(k6Path, rate));
    const ratio = k6 > 0 ? builtin / k6 : Number.POSITIVE_INFINITY;
    console.log(`  k6       ${k6} req/s`);
    console.log(`  builtin / k6 = ${ratio.toFixed(2)}× (target ≥ 0.8×: ${ratio >= 0.8 ? 'meets' : 'misses'})`);
  } else {
    console.log('  k6       not installed, skipped (go install go.k6.io/k6@v1.8.1)');
  }
} finally {
  server.closeAllConnections();
  server.close();
}
