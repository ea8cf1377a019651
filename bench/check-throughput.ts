/**
 * `zdd check` on a generated corpus (bench/check-corpus.ts: about 900 files,
 * 6.8 MB, 2 500 workloads) against kube-score on the same files, run in turn
 * (zdd, kube-score, zdd, …) so that a busy machine slows both alike: wall
 * time and peak memory (the whole process, start-up included, from
 * /usr/bin/time) as ratios, pair by pair, median of the pairs. Also zdd alone
 * on a tenth of the corpus, against the whole: kube-score relates every
 * workload to every Service and budget (pairs grow as the square of the
 * corpus), zdd should grow with the corpus.
 * Target: ≤ 1.0 × kube-score's wall time and ≤ 2 × its peak memory.
 *
 * `npm run build` first (it runs the built CLI). kube-score is looked up on
 * PATH and in `$(go env GOPATH)/bin`; without it (or without /usr/bin/time
 * for the memory) that part is skipped, saying why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './check-corpus.js';

const BIN = fileURLToPath(new URL('../bin/zdd.js', import.meta.url));
const TIME = '/usr/bin/time';
const PAIRS = 3;

interface Run {
  readonly wallSeconds: number;
  /** User and system seconds, steadier than the wall time on a busy machine; undefined without /usr/bin/time. */
  readonly cpuSeconds: number | undefined;
  /** Peak resident memory in KiB; undefined without /usr/bin/time. */
  readonly peakKiB: number | undefined;
}

/** Runs `command` with its output thrown away; the exit code is not judged (findings make both exit non-zero). */
function measure(command: string, args: readonly string[], scratch: string): Run {
  const report = join(scratch, 'time.txt');
  const timed = existsSync(TIME);
  const started = performance.now();
  const result = timed
    ? spawnSync(TIME, ['-f', '%U %S %M', '-o', report, command, ...args], { stdio: 'ignore' })
    : spawnSync(command, args, { stdio: 'ignore' });
  const wallSeconds = (performance.now() - started) / 1000;
  if (result.error) throw result.error;
  // /usr/bin/time adds "Command exited with non-zero status N" before its figures.
  const [user, system, peak] = timed
    ? (readFileSync(report, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number)
    : [];
  const cpu = (user ?? Number.NaN) + (system ?? Number.NaN);
  return {
    wallSeconds,
    cpuSeconds: Number.isFinite(cpu) ? cpu : undefined,
    peakKiB: peak !== undefined && Number.isFinite(peak) ? peak : undefined,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function findKubeScore(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v kube-score'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim() !== '') return onPath.stdout.trim();
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
    const installed = join(gopath, 'bin', 'kube-score');
    return existsSync(installed) ? installed : undefined;
  } catch {
    return undefined;
  }
}

const folder = mkdtempSync(join(tmpdir(), 'zdd-bench-check-'));
const scratch = mkdtempSync(join(tmpdir(), 'zdd-bench-check-time-'));
try {
  const corpus = writeCorpus(folder);
  // Files rather than the folder: kube-score takes files only, and both then read the same list.
  const zdd = (files: readonly string[]) => measure(process.execPath, [BIN, 'check', ...files], scratch);
  console.log(
    `check throughput: ${corpus.files.length} files, ${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.workloads} workloads; ${PAIRS} runs each, medians`,
  );
  const kubeScore = findKubeScore();
  const runs: Array<{ zdd: Run; kubeScore: Run | undefined }> = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    const ours = zdd(corpus.files);
    const theirs = kubeScore === undefined ? undefined : measure(kubeScore, ['score', ...corpus.files], scratch);
    runs.push({ zdd: ours, kubeScore: theirs });
  }
  const zddWall = median(runs.map((run) => run.zdd.wallSeconds));
  const zddPeak = median(runs.map((run) => run.zdd.peakKiB ?? Number.NaN));
  const mib = (kib: number) => (Number.isNaN(kib) ? '?' : `${(kib / 1024).toFixed(0)} MiB`);
  console.log(`  zdd check          ${zddWall.toFixed(2)} s, peak ${mib(zddPeak)}`);
  if (kubeScore === undefined) {
    console.log(
      '  kube-score         skipped: not on PATH nor in $(go env GOPATH)/bin (go install github.com/zegl/kube-score/cmd/kube-score@latest)',
    );
  } else {
    const theirWall = median(runs.map((run) => run.kubeScore?.wallSeconds ?? Number.NaN));
    const theirPeak = median(runs.map((run) => run.kubeScore?.peakKiB ?? Number.NaN));
    console.log(`  kube-score score   ${theirWall.toFixed(2)} s, peak ${mib(theirPeak)}`);
    const wallRatio = median(runs.map((run) => run.zdd.wallSeconds / (run.kubeScore?.wallSeconds ?? Number.NaN)));
    console.log(
      `  wall time          ${wallRatio.toFixed(2)}× kube-score's (target ≤ 1.0×: ${wallRatio <= 1 ? 'meets' : 'misses'})`,
    );
    const cpuRatio = median(
      runs.map((run) => (run.zdd.cpuSeconds ?? Number.NaN) / (run.kubeScore?.cpuSeconds ?? Number.NaN)),
    );
    if (!Number.isNaN(cpuRatio))
      console.log(`  cpu time           ${cpuRatio.toFixed(2)}× kube-score's (user + system)`);
    if (Number.isNaN(zddPeak) || Number.isNaN(theirPeak)) console.log(`  peak memory        skipped: no ${TIME}`);
    else {
      const memoryRatio = median(runs.map((run) => (run.zdd.peakKiB ?? 0) / (run.kubeScore?.peakKiB ?? 0)));
      console.log(
        `  peak memory        ${memoryRatio.toFixed(2)}× kube-score's (target ≤ 2×: ${memoryRatio <= 2 ? 'meets' : 'misses'})`,
      );
    }
  }
  const tenth = corpus.files.slice(0, Math.ceil(corpus.files.length / 10));
  const small = median(Array.from({ length: PAIRS }, () => zdd(tenth).wallSeconds));
  console.log(
    `  zdd, a tenth       ${small.toFixed(2)} s: the whole corpus takes ${(zddWall / small).toFixed(1)}× as long (start-up included)`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
}
