import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * One watchdog process per zdd process, shared by everything that starts
 * processes or makes temp folders. zdd tells it each process group and folder
 * it owns; when zdd ends in any way (normal exit, an exception, Ctrl-C, even
 * `kill -9`), the watchdog's stdin pipe closes and it kills every group and
 * removes every folder still registered, then exits.
 */
class Watchdog {
  private readonly child: ChildProcess;
  private readonly groups = new Set<number>();
  private readonly dirs = new Set<string>();

  constructor() {
    this.child = spawn(process.execPath, ['-e', WATCHDOG], {
      detached: true, // its own group: a Ctrl-C in the terminal must not kill it before zdd
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void }).unref?.();
    // Synchronous clean-up on a normal exit; the watchdog covers the rest.
    process.once('exit', () => this.cleanUpNow());
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  addGroup(pid: number): void {
    this.groups.add(pid);
    this.tell(`+p${pid}`);
  }

  removeGroup(pid: number): void {
    this.groups.delete(pid);
    this.tell(`-p${pid}`);
  }

  addDir(path: string): void {
    this.dirs.add(path);
    this.tell(`+d${path}`);
  }

  removeDir(path: string): void {
    this.dirs.delete(path);
    this.tell(`-d${path}`);
  }

  private cleanUpNow(): void {
    for (const pid of this.groups) killGroup(pid, 'SIGKILL');
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private tell(line: string): void {
    if (this.child.stdin?.writable) this.child.stdin.write(`${line}\n`);
  }
}

let instance: Watchdog | undefined;

/** The process-wide watchdog, started on first use. */
export function watchdog(): Watchdog {
  instance ??= new Watchdog();
  return instance;
}

/** Kills a process and everything in its group; a group that is gone already is fine. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

// The watchdog: reads "+p<pid>", "-p<pid>", "+d<path>", "-d<path>" lines; when its stdin closes (zdd exited
// or died), it kills every group and removes every folder still registered, then exits. It ignores SIGINT,
// SIGTERM and SIGHUP so that it outlives zdd long enough to clean up.
const WATCHDOG = `
const { rmSync } = require('node:fs');
const groups = new Set();
const dirs = new Set();
let buffer = '';
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let end;
  while ((end = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    const set = line[1] === 'p' ? groups : dirs;
    const value = line[1] === 'p' ? Number(line.slice(2)) : line.slice(2);
    if (line[0] === '+') set.add(value); else set.delete(value);
  }
});
const finish = () => {
  for (const pid of groups) { try { process.kill(-pid, 'SIGKILL'); } catch {} }
  // Killed processes may still hold files open for a moment; rm does not care on Linux.
  for (const dir of dirs) { try { rmSync(dir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
process.stdin.on('end', finish);
process.stdin.on('error', finish);
`;
