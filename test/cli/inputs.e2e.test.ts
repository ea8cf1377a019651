import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, REPO, zdd } from '../helpers/cli.js';
import { JMETER, K6, tempFolders } from '../helpers/report-fixtures.js';
import { boxed, flat, tableRow } from '../helpers/terminal-text.js';
import { until } from '../helpers/wait.js';

/**
 * The files zdd reads and the folders it writes, through the real CLI (npm run build first): a FIFO, device or
 * socket is refused at once; a second Ctrl-C always ends zdd; lines and nesting are bounded; TMPDIR is checked;
 * a results folder is judged from its samples; a refused report leaves no folder behind.
 */
const temp = tempFolders();
const MiB = 1024 * 1024;

/** Runs the CLI, killed after `limitMs`: a hang fails the test instead of holding the suite. */
async function bounded(args: readonly string[], env?: Record<string, string>, limitMs = 30_000) {
  const run = zdd(args, env === undefined ? {} : { env: { ...(process.env as Record<string, string>), ...env } });
  const timer = setTimeout(() => run.kill('SIGKILL'), limitMs);
  const result = await run;
  clearTimeout(timer);
  return { ...result, hung: result.isTerminated };
}

/** Exit 2 with `message`, no stack trace, no "internal error". */
function expectRefused(result: Awaited<ReturnType<typeof bounded>>, message: string): void {
  expect(result.hung, 'the command hung and was killed').toBe(false);
  expect(result.stderr).toContain(message);
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error|RangeError|Maximum call stack/);
}

async function fifo(dir: string, name = 'pipe.yaml'): Promise<string> {
  const path = join(dir, name);
  await execa('mkfifo', [path]);
  return path;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('a FIFO, a device or a socket where a file is expected: refused at once, with what it is', () => {
  const FIFO = 'is a named pipe (FIFO), expected a regular file';
  test.each([
    [
      'synth --config',
      (path: string) => ['synth', '--stdout', '--config', path],
      (path: string) => `--config: ${path}`,
    ],
    ['diff', (path: string) => ['diff', path, 'dist/default.yaml'], (path: string) => `diff: ${path}`],
    ['check', (path: string) => ['check', path], (path: string) => `zdd: ${path}:`],
    ['report --from', (path: string) => ['report', '--from', path], (path: string) => `--from: ${path}`],
    [
      'report --events',
      (path: string) => ['report', '--from', join(JMETER, 'errors.jtl'), '--events', path, '--out', `${path}-out`],
      (path: string) => `--events: ${path}`,
    ],
    [
      'local up --manifests',
      (path: string) => ['local', 'up', '--manifests', path],
      (path: string) => `--manifests: ${path}`,
    ],
  ])('%s', async (_title, args, named) => {
    const path = await fifo(await temp.folder());
    const result = await bounded(args(path));
    expectRefused(result, `${named(path)} ${FIFO}`);
  });

  test('check says how to read standard input instead', async () => {
    const path = await fifo(await temp.folder());
    expectRefused(await bounded(['check', path]), `zdd: ${path}: ${FIFO} (for standard input, give -)`);
  });

  test.each(['summary.json', 'samples.ndjson', 'events.json'])('a results folder whose %s is a FIFO', async (name) => {
    const folder = await temp.copy();
    await rm(join(folder, name));
    await fifo(folder, name);
    expectRefused(await bounded(['report', folder]), `${join(folder, name)}: ${FIFO}`);
  });

  test('a character device and a socket', async () => {
    expectRefused(
      await bounded(['synth', '--stdout', '--config', '/dev/null']),
      '--config: /dev/null is a character device, expected a regular file',
    );
    const socket = join(await temp.folder(), 'zdd.sock');
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    expectRefused(
      await bounded(['diff', socket, 'dist/default.yaml']),
      `diff: ${socket} is a socket, expected a regular file`,
    );
  });
});

describe('Ctrl-C and SIGTERM end zdd, whatever it waits for', () => {
  /** Started with `--import` modules; `output()` is stdout and stderr so far. */
  function start(args: readonly string[], imports: readonly string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [...imports.flatMap((file) => ['--import', file]), BIN, ...args], {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return { child, output: () => output, ended };
  }
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  /**
   * A module loaded before zdd that says when zdd listens for Ctrl-C (so that no signal comes before), and, with
   * `block`, then holds libuv's only threadpool thread in an open() of a FIFO nobody writes to: zdd waits for
   * good on its next file operation, as on a hung network mount.
   */
  async function probe(dir: string, block: boolean): Promise<string> {
    const path = join(dir, block ? 'block.mjs' : 'probe.mjs');
    const blocker = block ? `open(${JSON.stringify(await fifo(dir, 'nobody-writes'))}, 'r', () => {});` : '';
    await writeFile(
      path,
      `import { open } from 'node:fs';
process.on('newListener', function watch(event) {
  if (event !== 'SIGINT') return;
  process.removeListener('newListener', watch);
  ${blocker}
  setImmediate(() => process.stderr.write('probe: zdd listens\\n'));
});
`,
    );
    return path;
  }

  test('check - waiting for standard input: one SIGTERM ends it with 130', async () => {
    const run = start(['check', '-'], [await probe(await temp.folder(), false)]);
    expect(await until(() => run.output().includes('probe: zdd listens'), 30_000), run.output()).toBe(true);
    run.child.kill('SIGTERM');
    expect(await until(() => run.child.exitCode !== null || run.child.signalCode !== null, 20_000), run.output()).toBe(
      true,
    );
    expect(run.child.exitCode, run.output()).toBe(130);
    expect(run.output()).toContain('zdd: stopped by SIGTERM');
  });

  test.each([
    ['SIGINT', 'SIGINT'],
    ['SIGTERM', 'SIGTERM'],
  ] as const)('blocked in the threadpool: %s then %s end it at once', async (first, second) => {
    const dir = await temp.folder();
    await writeFile(join(dir, 'zdd.yaml'), 'replicas: 2\n');
    const run = start(['synth', '--stdout', '--config', join(dir, 'zdd.yaml')], [await probe(dir, true)], {
      UV_THREADPOOL_SIZE: '1',
    });
    expect(await until(() => run.output().includes('probe: zdd listens'), 30_000), run.output()).toBe(true);
    run.child.kill(first);
    expect(await until(() => run.output().includes(`zdd: ${first}: stopping everything`), 20_000)).toBe(true);
    run.child.kill(second);
    expect(await until(() => run.child.exitCode !== null || run.child.signalCode !== null, 20_000), run.output()).toBe(
      true,
    );
    expect(run.output()).toContain(`zdd: ${second} again: stopping at once`);
    // process.exit() would wait for the blocked thread: zdd ends by SIGINT, which a shell reports as 130.
    expect(run.child.signalCode).toBe('SIGINT');
  });
});

describe('every line reader is bounded; a whole file is still streamed', () => {
  /** `size` bytes of `fill` (written in 1 MiB pieces), after `head`. */
  async function bigFile(path: string, head: string, size: number, fill = 'x'): Promise<string> {
    const file = await open(path, 'w');
    await file.write(head);
    const piece = fill.repeat(MiB / fill.length);
    for (let written = 0; written < size; written += MiB) await file.write(piece);
    await file.close();
    return path;
  }

  test('report --from: a 600 MiB file without a line break (sparse: zeros, as /dev/zero gives)', async () => {
    const dir = await temp.folder();
    const file = join(dir, 'run.jtl');
    const handle = await open(file, 'w');
    await handle.truncate(600 * MiB);
    await handle.close();
    const result = await bounded(['report', '--from', file]);
    expectRefused(result, `${file}, line 1: longer than 64 MiB without a line break`);
    expect(await readdir(dir)).toEqual(['run.jtl']);
  });

  test('report --from: k6 output whose third line is 65 MiB long', async () => {
    const dir = await temp.folder();
    const lines = (await readFile(join(K6, 'rollout.ndjson'), 'utf8')).split('\n').slice(0, 2);
    const file = await bigFile(join(dir, 'k6.ndjson'), `${lines.join('\n')}\n{"type":"Point","data":"`, 65 * MiB);
    expectRefused(
      await bounded(['report', '--from', file]),
      `${file}, line 3: longer than 64 MiB without a line break`,
    );
  });

  test("a results folder's samples.ndjson with a 65 MiB line", async () => {
    const folder = await temp.copy();
    const samples = join(folder, 'samples.ndjson');
    const text = await readFile(samples, 'utf8');
    await bigFile(samples, `${text.split('\n').slice(0, 4).join('\n')}\n`, 65 * MiB);
    expectRefused(await bounded(['report', folder]), `${samples}, line 5: longer than 64 MiB without a line break`);
  });

  test('a JMeter file of 66 MiB in lines of 32 KiB is read whole', async () => {
    const dir = await temp.folder();
    const rows = (66 * MiB) / (32 * 1024);
    const file = await open(join(dir, 'big.jtl'), 'w');
    await file.write('timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success\n');
    const message = 'm'.repeat(32 * 1024 - 80);
    for (let row = 0; row < rows; row++) {
      const label = row % 2 === 0 ? 'default-app' : 'zero-downtime-app';
      await file.write(`${1795978107829 + row * 10},5,${label},200,${message},t 1-1,text,true\n`);
    }
    await file.close();
    const result = await bounded(['report', '--from', join(dir, 'big.jtl')], undefined, 120_000);
    expect(result.stderr).not.toMatch(/longer than|larger than/);
    expect([0, 1, 3], result.stderr).toContain(result.exitCode);
    expect(boxed(result.stdout)).toMatch(new RegExp(`│ zero-downtime-app │ ${rows / 2} │`));
  });
});

describe('TMPDIR that zdd cannot use: exit 2 naming it, before anything starts', () => {
  test('local up with TMPDIR missing, and with TMPDIR a file', async () => {
    const dir = await temp.folder();
    const missing = join(dir, 'missing');
    expectRefused(
      await bounded(['local', 'up', '--manifests', 'dist'], { TMPDIR: missing }),
      `zdd: TMPDIR (${missing}): does not exist; zdd makes its temp folders there: set TMPDIR to a folder you can write to`,
    );
    const file = join(dir, 'file');
    await writeFile(file, '');
    expectRefused(
      await bounded(['local', 'up', '--manifests', 'dist'], { TMPDIR: file }),
      `zdd: TMPDIR (${file}): is a file, not a folder`,
    );
  });

  test('compare: refused before the results folder is made or anything deployed', async () => {
    const dir = await temp.folder();
    const results = join(dir, 'results');
    const result = await bounded(['compare', '--load', 'builtin', '--results', results], {
      TMPDIR: join(dir, 'missing'),
    });
    expectRefused(result, `zdd: TMPDIR (${join(dir, 'missing')}): does not exist`);
    expect(result.stderr).not.toContain('deploying');
    expect(existsSync(results)).toBe(false);
  });
});

describe('zdd report <results folder>: figures and verdict from the samples; an edited summary.json is refused', () => {
  type Summary = {
    zdd: { version: string };
    variants: Array<{ failed: number; p95Ms: number; byConnection: Array<{ byKind: Record<string, number> }> }>;
    verdict: { outcome: string; exitCode: number; message: string };
  };
  async function editSummary(folder: string, edit: (summary: Summary) => void): Promise<void> {
    const path = join(folder, 'summary.json');
    const summary = JSON.parse(await readFile(path, 'utf8')) as Summary;
    edit(summary);
    await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
  }
  const REFUSED = 'the samples are the record, so';

  test.each([
    [
      'a failed count',
      (summary: Summary) => {
        (summary.variants[1] as Summary['variants'][number]).failed = 3;
      },
      'variants.1.failed is 3, but',
    ],
    [
      'a latency',
      (summary: Summary) => {
        (summary.variants[0] as Summary['variants'][number]).p95Ms = 1;
      },
      'variants.0.p95Ms is 1, but',
    ],
    [
      'a count by kind of one connection pattern',
      (summary: Summary) => {
        const pattern = summary.variants[0]?.byConnection[1] as { byKind: Record<string, number> };
        pattern.byKind.reset = 0;
      },
      'variants.0.byConnection.1.byKind.reset is 0, but',
    ],
    [
      'the verdict',
      (summary: Summary) => {
        summary.verdict.outcome = 'fail';
        summary.verdict.exitCode = 1;
      },
      'the verdict is FAIL (exit 1), but',
    ],
    [
      'the exit code alone',
      (summary: Summary) => {
        summary.verdict.exitCode = 1;
      },
      'the verdict is PASS (exit 1), but',
    ],
  ])('%s', async (_title, edit, message) => {
    const folder = await temp.copy();
    await editSummary(folder, edit);
    const result = await bounded(['report', folder]);
    expectRefused(result, message);
    expect(result.stderr).toMatch(new RegExp(`zdd: ${join(folder, 'summary.json')}, line \\d+: `));
    expect(result.stderr).toContain(`${REFUSED} ${join(folder, 'summary.json')} was edited or is from another run`);
    expect(await readdir(folder)).not.toContain('report.html');
  });

  test('samples.ndjson with a success turned into a failure', async () => {
    const folder = await temp.copy();
    const samples = join(folder, 'samples.ndjson');
    const lines = (await readFile(samples, 'utf8')).split('\n');
    const index = lines.findIndex((line) => line.includes('"zero-downtime-app"') && line.includes('"error":null'));
    lines[index] = (lines[index] as string)
      .replace('"status":200', '"status":0')
      .replace('"error":null', '"error":"reset"');
    await writeFile(samples, lines.join('\n'));
    const result = await bounded(['report', folder]);
    expectRefused(result, 'variants.1.failed is 0, but');
  });

  test('written by another zdd version that judged otherwise: the verdict of the samples, its exit code, a note', async () => {
    const folder = await temp.copy();
    await editSummary(folder, (summary) => {
      summary.zdd.version = '0.0.1';
      summary.verdict = { ...summary.verdict, outcome: 'fail', exitCode: 1, message: 'FAIL: made up.' };
    });
    const result = await bounded(['report', folder]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^PASS: zero-downtime-app failed 0 of 210 requests/m);
    expect(flat(result.stdout)).toContain('zdd 0.0.1, which ran it, said FAIL (exit 1)');
    const json = await bounded(['report', folder, '--format', 'json']);
    expect(json.exitCode).toBe(0);
    expect((JSON.parse(json.stdout) as Summary).verdict.outcome).toBe('pass');
  });
});

describe('k6 --out json cut off in its last line', () => {
  test('a note names the file and the line; nothing from that line is counted', async () => {
    const dir = await temp.folder();
    const lines = (await readFile(join(K6, 'rollout.ndjson'), 'utf8')).trimEnd().split('\n');
    // The last http_reqs point: its request has nothing else then.
    const last = lines.findLastIndex((line) => line.includes('"metric":"http_reqs"'));
    const whole = join(dir, 'whole.ndjson');
    const cut = join(dir, 'cut.ndjson');
    await writeFile(whole, `${lines.slice(0, last).join('\n')}\n`);
    await writeFile(cut, `${lines.slice(0, last).join('\n')}\n${(lines[last] as string).slice(0, 70)}`);
    const roles = ['--variant', 'default=default-app', '--variant', 'zero-downtime=zero-downtime-app'];
    const fromWhole = await bounded(['report', '--from', whole, ...roles]);
    const fromCut = await bounded(['report', '--from', cut, ...roles]);
    expect(fromCut.exitCode, fromCut.stderr).toBe(fromWhole.exitCode);
    expect(flat(fromCut.stdout)).toContain(
      `note: ${cut}, line ${last + 1}: the last line is cut off (k6 stopped while writing it?); nothing from it is counted`,
    );
    for (const variant of ['default-app', 'zero-downtime-app']) {
      expect(tableRow(fromCut.stdout, variant)).toEqual(tableRow(fromWhole.stdout, variant));
    }
  });
});

describe('a refused report --from leaves no <file>-report/ folder', () => {
  test.each([
    ['a file that does not exist', async (dir: string) => [join(dir, 'run.jtl')]],
    ['a FIFO', async (dir: string) => [await fifo(dir, 'run.jtl')]],
    [
      'a malformed JMeter row',
      async (dir: string) => {
        const text = await readFile(join(JMETER, 'errors.jtl'), 'utf8');
        await writeFile(join(dir, 'run.jtl'), text.replace(',false,', ',maybe,'));
        return [join(dir, 'run.jtl')];
      },
    ],
    [
      'an empty file',
      async (dir: string) => {
        await writeFile(join(dir, 'run.jtl'), '');
        return [join(dir, 'run.jtl')];
      },
    ],
    [
      'a label --variant does not know',
      async (dir: string) => {
        await cp(join(JMETER, 'errors.jtl'), join(dir, 'run.jtl'));
        return [join(dir, 'run.jtl'), '--variant', 'default=nope'];
      },
    ],
    [
      'an --events file that does not exist',
      async (dir: string) => {
        await cp(join(JMETER, 'errors.jtl'), join(dir, 'run.jtl'));
        return [join(dir, 'run.jtl'), '--events', join(dir, 'missing.json')];
      },
    ],
    [
      'a k6 summary cut off',
      async (dir: string) => {
        const text = await readFile(join(K6, 'rollout.summary.json'), 'utf8');
        await writeFile(join(dir, 'run.json'), text.slice(0, 1500));
        return [join(dir, 'run.json')];
      },
    ],
  ])('%s', async (_title, make) => {
    const dir = await temp.folder();
    const [file, ...flags] = await make(dir);
    const before = await readdir(dir);
    const result = await bounded(['report', '--from', file as string, ...flags]);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(await readdir(dir)).toEqual(before);
  });

  test('a damaged results folder with --out: the --out folder is not made', async () => {
    const folder = await temp.copy();
    await rm(join(folder, 'events.json'));
    const out = join(await temp.folder(), 'a', 'b');
    const result = await bounded(['report', folder, '--out', out]);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(existsSync(join(out, '..'))).toBe(false);
  });
});

describe('deep nesting: a bounded depth, by file and line, in every YAML and JSON reader', () => {
  const DEEP = 'nested more than 256 levels deep';
  const levels = 100_000;
  const flow = `${'['.repeat(levels)}${']'.repeat(levels)}\n`;
  const dashes = `${'- '.repeat(levels)}x\n`;
  const json = `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}\n`;

  test.each([
    [
      'synth --config, [',
      'zdd.yaml',
      flow,
      (path: string) => ['synth', '--stdout', '--config', path],
      'line 1, column 257',
    ],
    ['synth --config, "- "', 'zdd.yaml', dashes, (path: string) => ['synth', '--stdout', '--config', path], 'line 1'],
    ['check', 'deep.yaml', `kind: List\nitems:\n  - ${flow}`, (path: string) => ['check', path], ':3: not valid YAML'],
    ['diff', 'deep.json', json, (path: string) => ['diff', path, 'dist/default.yaml'], 'line 1'],
    ['local up --manifests', 'deep.yaml', dashes, (path: string) => ['local', 'up', '--manifests', path], 'line 1'],
    [
      'report --events (events.json)',
      'events.json',
      `[\n${json}]\n`,
      (path: string) => ['report', '--from', join(JMETER, 'errors.jtl'), '--events', path, '--out', `${path}-out`],
      'line 2',
    ],
    [
      'report --events (one event per line)',
      'events.ndjson',
      `{"time":1,"type":"pod-ready","object":"a"}\n${json}`,
      (path: string) => ['report', '--from', join(JMETER, 'errors.jtl'), '--events', path, '--out', `${path}-out`],
      'line 2',
    ],
    [
      'report --from, a k6 summary',
      'summary.json',
      `{"metrics":\n${json}}`,
      (path: string) => ['report', '--from', path],
      'line 2',
    ],
  ])('%s', async (_title, name, text, args, where) => {
    const path = join(await temp.folder(), name);
    await writeFile(path, text);
    const result = await bounded(args(path));
    expectRefused(result, DEEP);
    expect(result.stderr).toContain(path);
    expect(result.stderr).toContain(where);
  });

  test('k6 --out json with a deep line', async () => {
    const path = join(await temp.folder(), 'k6.ndjson');
    const lines = (await readFile(join(K6, 'rollout.ndjson'), 'utf8')).split('\n').slice(0, 3);
    await writeFile(path, `${lines.join('\n')}\n{"type":"Point","metric":"x","data":${json}`);
    expectRefused(await bounded(['report', '--from', path]), `${path}, line 4: ${DEEP}`);
  });

  test.each([
    ['summary.json', (text: string) => text.replace('"variantDelta": [', `"variantDelta": [${json.trim()},`)],
    ['samples.ndjson', (text: string) => text.replace(/"pod":"[^"]*"/, `"pod":${json.trim()}`)],
  ])("a results folder's %s", async (name, edit) => {
    const folder = await temp.copy();
    const path = join(folder, name);
    await writeFile(path, edit(await readFile(path, 'utf8')));
    const result = await bounded(['report', folder]);
    expectRefused(result, DEEP);
    expect(result.stderr).toMatch(new RegExp(`${path}, line \\d+: ${DEEP}`));
  });

  test('a config nested 200 levels deep is read (its schema, not its depth, refuses it)', async () => {
    const path = join(await temp.folder(), 'zdd.yaml');
    await writeFile(path, `names: ${'['.repeat(200)}${']'.repeat(200)}\n`);
    const result = await bounded(['synth', '--stdout', '--config', path]);
    expectRefused(result, 'names: Invalid input');
    expect(result.stderr).not.toContain(DEEP);
  });
});
