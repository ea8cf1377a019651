import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findK6 } from '../../src/load/k6/run.js';
import { BIN, REPO, zdd } from '../helpers/cli.js';
import { FAST_COMPARE } from '../helpers/fast-compare.js';
import { flat } from '../helpers/terminal-text.js';

/**
 * `zdd compare`'s progress as a person sees it: in a terminal (tmux, a pane of a fixed size, captured mid-run and
 * at the end), in a log (no terminal), and with --format json. Fast profile, built-in load.
 */
const COMPARE = ['compare', '--load', 'builtin', ...FAST_COMPARE];
const VARIANTS = ['default-app', 'zero-downtime-app'];
const tmux = await execa('tmux', ['-V'], { reject: false }).then(
  (result) => result.exitCode === 0,
  () => false,
);
const missing = 'tmux is not installed (apt-get install tmux)';
const k6 = findK6() !== undefined;
/** Any ANSI escape sequence (ESC [). */
const ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[`);

let results: string;
beforeAll(async () => {
  results = await mkdtemp(join(tmpdir(), 'zdd-test-progress-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
});

/** A tmux server of its own (`-L`), killed by `stop()` with whatever still runs in it. */
function tmuxServer() {
  const socket = `zdd-progress-${process.pid}-${randomUUID().slice(0, 8)}`;
  // tmux keeps its sockets in $TMUX_TMPDIR/tmux-<uid>/ (else /tmp): inside the test's folder, removed with it.
  const run = (args: readonly string[]) =>
    execa('tmux', ['-L', socket, ...args], { reject: false, env: { TMUX_TMPDIR: results } });
  return {
    run,
    /** The pane's text; `history` includes what scrolled off, wrapped lines joined (a line wider than the pane shows whole). */
    capture: async (history = false) =>
      (await run(['capture-pane', '-p', '-J', '-t', 'zdd', ...(history ? ['-S', '-'] : [])])).stdout,
    /** Ends the server and what runs in it, and removes its socket file (tmux leaves it behind). */
    stop: async () => {
      const path = (await run(['display-message', '-p', '#{socket_path}'])).stdout.trim();
      await run(['kill-server']);
      if (path !== '') await rm(path, { force: true });
    },
  };
}

const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 180_000;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen within 180 s; last:\n${String(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    value = await read();
  }
  return value;
}

describe('zdd compare in a terminal', () => {
  for (const columns of [80, 120]) {
    test.skipIf(!tmux)(
      `${columns} columns: one live line per variant with its requests mid-run, none wider than the pane; then a final line each, the table and the verdict${tmux ? '' : ` — skipped: ${missing}`}`,
      async () => {
        const server = tmuxServer();
        try {
          const folder = join(results, String(columns));
          const command = [process.execPath, BIN, ...COMPARE, '--results', folder].map(quote).join(' ');
          // The shell stays after zdd ends, so that the pane can be read; kill-server ends it.
          const started = await server.run([
            'new-session',
            '-d',
            '-s',
            'zdd',
            '-x',
            String(columns),
            '-y',
            '30',
            '-c',
            REPO,
            `${command}; echo "[exit $?]"; exec sleep 600`,
          ]);
          expect(started.exitCode, started.stderr).toBe(0);
          const liveLine = (name: string) => new RegExp(`^${name} +(?!done)\\S.* [1-9]\\d* req `, 'm');
          const midRun = await until('a live line with requests for each variant', server.capture, (pane) =>
            VARIANTS.every((name) => liveLine(name).test(pane)),
          );
          for (const name of VARIANTS) {
            expect(midRun.split('\n').filter((line) => line.startsWith(`${name} `))).toHaveLength(1);
          }
          for (const line of midRun.split('\n')) expect(line.trimEnd().length).toBeLessThanOrEqual(columns);
          const end = await until(
            'the end of the run',
            () => server.capture(true),
            (pane) => /\[exit \d+\]/.test(pane),
          );
          // The verdict is not this test's subject: a busy machine may make it INCONCLUSIVE (exit 3).
          expect(end).toMatch(/\[exit [013]\]/);
          const lines = end.split('\n');
          const finals = VARIANTS.map((name) =>
            lines.findIndex((line) => new RegExp(`^${name} +done after [\\d.]+ s {2}[1-9]\\d* req`).test(line)),
          );
          expect(
            finals.every((index) => index >= 0),
            end,
          ).toBe(true);
          // No live line left behind: the final lines took their place.
          for (const name of VARIANTS) {
            expect(end).not.toMatch(new RegExp(`^${name} +(starting|deploying|warm-up|rollout \\d|cool-down) `, 'm'));
          }
          const after = lines.slice(Math.max(...finals) + 1).join('\n');
          for (const name of VARIANTS) expect(after).toContain(name);
          expect(after).toMatch(/^(PASS|FAIL|INCONCLUSIVE): /m);
          // At 80 columns the line may break after `results:` (a long path is one word).
          expect(flat(after)).toContain(`results: ${folder}/`);
        } finally {
          await server.stop();
        }
      },
      240_000,
    );
  }
});

describe('zdd compare without a terminal', () => {
  test('a log: plain lines per variant as the run goes, no escape codes, none wider than COLUMNS; the table and verdict on stdout', async () => {
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== undefined)) };
    const result = await zdd([...COMPARE, '--results', join(results, 'plain')], {
      env: { ...(env as Record<string, string>), COLUMNS: '80' },
      timeout: 180_000,
    });
    expect([0, 1, 3], result.stderr).toContain(result.exitCode);
    for (const name of VARIANTS) {
      // In words, or in the live lines' short form where COLUMNS is too narrow for the words.
      const status = result.stderr.match(
        new RegExp(`^zdd compare: ${name}(: .*, | +.* )\\d+ (requests?,|req ) \\d+ failed`, 'gm'),
      );
      // At least at each phase change once the load runs (rollout, cool-down) and at the end.
      expect(status?.length ?? 0, result.stderr).toBeGreaterThanOrEqual(3);
    }
    expect(result.stderr).toMatch(
      /^zdd compare: zero-downtime-app(: done, .*, | +done .* )[1-9]\d* (requests,|req ) \d+ failed/m,
    );
    expect(result.stderr).not.toMatch(ESCAPE);
    for (const line of result.stderr.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(result.stdout).not.toMatch(ESCAPE);
    expect(result.stdout).not.toContain('zdd compare:');
    expect(result.stdout).toMatch(/^(PASS|FAIL|INCONCLUSIVE): /m);
  }, 180_000);

  test.skipIf(!k6)(
    `k6: the counts come from its JSON output while it runs${k6 ? '' : ' — skipped: k6 is not installed (go install go.k6.io/k6@v1.8.1)'}`,
    async () => {
      const args = ['compare', '--load', 'k6', ...FAST_COMPARE, '--results', join(results, 'k6')];
      const result = await zdd(args, { timeout: 180_000 });
      expect([0, 1, 3], result.stderr).toContain(result.exitCode);
      // Written when the cool-down starts, before k6 has ended and its output is read whole.
      const beforeEnd = result.stderr.slice(0, result.stderr.indexOf('zdd compare: cool-down'));
      for (const name of VARIANTS) {
        expect(beforeEnd).toMatch(
          new RegExp(`^zdd compare: ${name}: rollout 1/1, .*, [1-9]\\d* requests, \\d+ failed`, 'm'),
        );
      }
    },
    180_000,
  );

  test('--format json: stdout is the JSON alone, and no progress anywhere', async () => {
    const result = await zdd([...COMPARE, '--format', 'json', '--results', join(results, 'json')], {
      timeout: 180_000,
    });
    expect([0, 1, 3], result.stderr).toContain(result.exitCode);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(result.stdout.startsWith('{')).toBe(true);
    expect(result.stderr).not.toMatch(/^zdd compare: (warm-up|rollout|cool-down|deploying)/m);
    expect(result.stderr).not.toMatch(/^zdd compare: (default-app|zero-downtime-app): /m);
    expect(result.stderr).not.toMatch(ESCAPE);
  }, 180_000);
});
