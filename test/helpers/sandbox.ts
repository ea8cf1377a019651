import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO } from './cli.js';
import { until } from './wait.js';

/**
 * Runs of the real CLI that can be checked for leftovers: each gets its own TMPDIR, so that every process it
 * started (they inherit TMPDIR, or get a PID_FILE under it) and every temp folder it made can be found.
 */
export interface Sandbox {
  /** A folder for the run's files (scripts, results, an output folder). */
  readonly dir: string;
  /** Its TMPDIR. */
  readonly tmp: string;
  readonly env: Record<string, string>;
  /** Removes the folder. */
  remove(): void;
}

export function sandbox(prefix = 'zdd-test-'): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  return {
    dir,
    tmp,
    env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' } as Record<string, string>,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An executable shell script in `dir`. */
export function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The CLI started in the background, its output collected. */
export interface Started {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
}

export function start(args: readonly string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** True once nothing of a run is left: no process, no temp folder (the watchdog exits just after zdd). */
export function nothingLeft(tmp: string): Promise<boolean> {
  return until(() => processesOf(tmp).length === 0 && tempFolders(tmp).length === 0, 5000);
}

/** zdd's temp folders left in a TMPDIR. */
export function tempFolders(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('zdd-'));
}

/** Processes whose environment names a path in `tmp` (see `Sandbox`). */
export function processesOf(tmp: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.some((variable) => variable.slice(variable.indexOf('=') + 1).startsWith(tmp))) found.push(+entry);
    } catch {
      // Gone, or not ours.
    }
  }
  return found;
}
