import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { LoadOptionError } from '../../../src/load/errors.js';
import { k6Candidates } from '../../../src/load/k6/find-k6.js';
import {
  findK6,
  K6Error,
  K6NotFoundError,
  type K6Result,
  k6Version,
  type StartK6Options,
  startK6,
} from '../../../src/load/k6/run.js';
import type { Sample } from '../../../src/load/sample.js';

const k6 = findK6();
const fixtures = fileURLToPath(new URL('../../fixtures/k6/', import.meta.url));
const servers: http.Server[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
});

afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zdd-k6-test-'));
  tempDirs.push(dir);
  return dir;
}

/** A server on 127.0.0.1 answering every request with `status` (and an x-pod header for 2xx). */
async function server(status: number): Promise<string> {
  const created = http.createServer((_request, response) => {
    response.writeHead(status, status < 300 ? { 'x-pod': 'app-1' } : {});
    response.end('body');
  });
  servers.push(created);
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(created.address() as AddressInfo).port}/`;
}

async function twoServers(gated: string): Promise<StartK6Options> {
  return {
    targets: [
      { name: 'up', url: await server(200) },
      { name: 'down', url: await server(503) },
    ],
    rate: 20,
    maxDurationMs: 60_000,
    timeoutMs: 2000,
    gated: [gated],
    workDir: tempDir(),
  };
}

function byTarget(samples: readonly Sample[], target: string): Sample[] {
  return samples.filter((sample) => sample.target === target);
}

/** Samples and summary tell the same story: counts and failures per variant. */
function expectConsistent(result: K6Result): void {
  for (const target of ['up', 'down']) {
    const figures = result.summary.variants.get(target);
    const samples = byTarget(result.samples, target);
    expect(samples.length).toBe(figures?.requests);
    expect(samples.filter((sample) => sample.error !== undefined).length).toBe(figures?.failed);
  }
  expect(byTarget(result.samples, 'up').every((sample) => sample.status === 200 && sample.pod === 'app-1')).toBe(true);
  expect(byTarget(result.samples, 'down').every((sample) => sample.error === 'http_5xx')).toBe(true);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the promise resolved');
}

describe.skipIf(!k6)(`startK6 with the real k6${k6 ? '' : ' (skipped: k6 is not installed)'}`, () => {
  test('stop through the REST API after ~2 s: exit 103, summary and samples agree, the gated 503s cross', async () => {
    const run = startK6(await twoServers('down'));
    await run.ready;
    await delay(2000);
    const stopping = Date.now();
    await run.stop();
    expect(Date.now() - stopping).toBeLessThan(5000);
    const result = await run.done;
    expect(result).toMatchObject({ exitCode: 103, stoppedBy: 'rest-api', thresholdsCrossed: true });
    // About 2 s at 20/s per target.
    expect(result.summary.variants.get('up')?.requests).toBeGreaterThanOrEqual(30);
    expect(result.summary.variants.get('down')).toMatchObject({ errorRate: 1 });
    expect(result.summary.thresholds.filter((threshold) => !threshold.ok)).toEqual([
      { metric: 'http_req_failed{variant:down,connection:reused}', source: 'rate<=0', ok: false },
    ]);
    expect(result.droppedIterations.size).toBe(0);
    expectConsistent(result);
  });

  test('stop by SIGINT: exit 105, the summary is still written', async () => {
    const run = startK6(await twoServers('up'));
    await run.ready;
    await delay(1500);
    await run.stop({ via: 'sigint' });
    const result = await run.done;
    expect(result).toMatchObject({ exitCode: 105, stoppedBy: 'sigint', thresholdsCrossed: false });
    expect(result.summary.variants.get('up')?.requests).toBeGreaterThanOrEqual(20);
    expectConsistent(result);
  });

  test.each([
    ['the gated variant fails its threshold: exit 99', 'down', 99, true],
    ['the gated variant holds: exit 0', 'up', 0, false],
  ])('a run to its end, %s', async (_title, gated, exitCode, crossed) => {
    const run = startK6({ ...(await twoServers(gated)), maxDurationMs: 1000 });
    const result = await run.done;
    expect(result).toMatchObject({ exitCode, stoppedBy: 'finished', thresholdsCrossed: crossed });
    // 20/s for 1 s: 20 or 21 iterations (k6 may start one at the very end).
    expect(byTarget(result.samples, 'up').length).toBeGreaterThanOrEqual(20);
    expect(byTarget(result.samples, 'up').length).toBeLessThanOrEqual(21);
    expectConsistent(result);
    // stop() after the end does nothing.
    await run.stop();
  });

  test('k6Version', async () => {
    expect(await k6Version(k6 as string)).toMatch(/^v\d+\.\d+\.\d+/);
  });
});

/** A fake `k6` shell script in a folder of its own. It finds the summary and samples paths in its arguments. */
function fakeK6(body: string): string {
  const dir = tempDir();
  const path = join(dir, 'k6');
  const script = [
    '#!/bin/sh',
    'for arg in "$@"; do',
    '  case "$arg" in',
    '    SUMMARY_FILE=*) summary=$(printf %s "$arg" | cut -d= -f2-) ;;',
    '    json=*) samples=$(printf %s "$arg" | cut -d= -f2-) ;;',
    '  esac',
    'done',
    body,
    '',
  ].join('\n');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return path;
}

const fakeOptions = (k6Path: string, extra: Partial<StartK6Options> = {}): StartK6Options => ({
  targets: [
    { name: 'ok', url: 'http://127.0.0.1:9/' },
    { name: 'http-503', url: 'http://127.0.0.1:9/' },
  ],
  rate: 5,
  maxDurationMs: 10_000,
  workDir: tempDir(),
  k6Path,
  ...extra,
});

/** Writes the summary and samples of a real run (targets ok and http-503 among others). */
const WRITE_FILES = [
  `cp '${fixtures}v1.8.1/network-errors.summary.json' "$summary"`,
  `cp '${fixtures}v1.8.1/network-errors.ndjson' "$samples"`,
].join('\n');

describe('startK6 with a fake k6: errors', () => {
  test('exit 107 with an error line → K6Error with the code and the line', async () => {
    const k6Path = fakeK6(
      [
        `echo 'time="2026-01-01T00:00:00Z" level=warning msg="Request Failed"' >&2`,
        `echo 'time="2026-01-01T00:00:00Z" level=error msg="Uncaught (in promise) TypeError: \\"x\\" is undefined"' >&2`,
        'exit 107',
      ].join('\n'),
    );
    const error = await rejection(startK6(fakeOptions(k6Path)).done);
    expect(error).toBeInstanceOf(K6Error);
    expect(error).toMatchObject({
      exitCode: 107,
      signal: undefined,
      timedOut: false,
      shortMessage: 'k6 exited with code 107: Uncaught (in promise) TypeError: "x" is undefined',
    });
    expect((error as K6Error).stderrTail.split('\n')).toHaveLength(2);
    expect((error as K6Error).outputTail).toContain('level=warning msg="Request Failed"');
  });

  test('killed by a signal → K6Error with the signal', async () => {
    const error = await rejection(startK6(fakeOptions(fakeK6('kill -KILL $$'))).done);
    expect(error).toBeInstanceOf(K6Error);
    expect(error).toMatchObject({ signal: 'SIGKILL', exitCode: undefined, shortMessage: 'k6 was killed by SIGKILL' });
  });

  test('exit 0 without a summary → K6Error naming the file', async () => {
    const options = fakeOptions(fakeK6('exit 0'));
    const error = await rejection(startK6(options).done);
    expect(error).toBeInstanceOf(K6Error);
    expect((error as K6Error).shortMessage).toBe(
      `k6 exited with code 0 but wrote no summary to ${join(options.workDir as string, 'k6-summary.json')}`,
    );
    expect((error as K6Error).exitCode).toBe(0);
  });

  test('a stale summary from an earlier run is removed first', async () => {
    const options = fakeOptions(fakeK6('exit 0'));
    writeFileSync(join(options.workDir as string, 'k6-summary.json'), '{"metrics": {}}');
    expect((await rejection(startK6(options).done)) as K6Error).toMatchObject({
      shortMessage: expect.stringContaining('wrote no summary'),
    });
  });

  test('an unreadable summary → K6Error with the parser’s error as cause', async () => {
    const options = fakeOptions(fakeK6(`echo '{"metrics": ' > "$summary"; : > "$samples"; exit 0`));
    const error = await rejection(startK6(options).done);
    expect(error).toBeInstanceOf(K6Error);
    expect((error as K6Error).shortMessage).toMatch(/^k6's summary cannot be read: .*k6-summary\.json: not JSON/);
    expect((error as K6Error).cause).toMatchObject({ name: 'K6SummaryError' });
  });

  test('exit 103 (stopped through the API) when zdd did not stop it → K6Error', async () => {
    const error = await rejection(startK6(fakeOptions(fakeK6(`${WRITE_FILES}\nexit 103`))).done);
    expect(error).toMatchObject({ exitCode: 103, shortMessage: 'k6 exited with code 103' });
  });

  test('exit 99 with the files → a result, not an error', async () => {
    const result = await startK6(fakeOptions(fakeK6(`${WRITE_FILES}\nexit 99`))).done;
    expect(result).toMatchObject({ exitCode: 99, thresholdsCrossed: true, stoppedBy: 'finished' });
    expect(result.samples).toHaveLength(30);
  });

  test('the REST API never answers → K6Error timedOut, k6 is stopped', async () => {
    // Waits in `wait` so that the shell runs its INT trap at once (and ends its sleep).
    const k6Path = fakeK6("sleep 5 &\npid=$!\ntrap 'kill $pid; exit 105' INT\nwait $pid\nexit 0");
    const started = Date.now();
    const run = startK6(fakeOptions(k6Path, { startTimeoutMs: 500, apiPort: 1 }));
    const error = await rejection(run.ready);
    expect(error).toBeInstanceOf(K6Error);
    expect(error).toMatchObject({
      timedOut: true,
      exitCode: 105,
      shortMessage: "k6's REST API on 127.0.0.1:1 did not answer within 500 ms",
    });
    expect(await rejection(run.done)).toBe(error);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  test('stop() when the REST API does not answer: one SIGINT, and the summary k6 writes then is read', async () => {
    const k6Path = fakeK6(
      `sleep 5 &\npid=$!\ntrap 'kill $pid; ${WRITE_FILES.replaceAll('\n', '; ')}; exit 105' INT\nwait $pid\nexit 0`,
    );
    const run = startK6(fakeOptions(k6Path, { startTimeoutMs: 500, apiPort: 1 }));
    await run.stop();
    const result = await run.done;
    expect(result).toMatchObject({ exitCode: 105, stoppedBy: 'sigint', thresholdsCrossed: true });
    expect(result.samples).toHaveLength(30);
    await expect(run.ready).resolves.toBeUndefined();
  });
});

describe('startK6: nothing is started for unusable options or a missing k6', () => {
  test('bad options → LoadOptionError, thrown before k6 runs', () => {
    const marker = join(tempDir(), 'ran');
    const k6Path = fakeK6(`touch '${marker}'`);
    expect(() => startK6(fakeOptions(k6Path, { rate: -1 }))).toThrow(
      new LoadOptionError('rate', 'a number > 0 with at most 3 decimals', -1),
    );
    expect(() => startK6(fakeOptions(k6Path, { workDir: 'relative' }))).toThrow(
      'Expected the `workDir` option to be an absolute folder path, got "relative" (string)',
    );
    expect(() => startK6({ ...fakeOptions(k6Path), workDir: undefined })).toThrow(
      'Expected the `summaryFile` option to be an absolute file path (or set workDir), got undefined (undefined)',
    );
    expect(existsSync(marker)).toBe(false);
  });

  test('a k6Path that does not exist → K6NotFoundError with the install hint', () => {
    const error = (() => {
      try {
        startK6(fakeOptions('/nonexistent/k6'));
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(K6NotFoundError);
    expect((error as Error).message).toBe(
      'k6 is not installed (looked for /nonexistent/k6). Install it with `go install go.k6.io/k6@v1.8.1` ' +
        '(the binary lands in `$(go env GOPATH)/bin`, which zdd also searches), or use the built-in load generator: ' +
        '`--load builtin`.',
    );
  });

  test('findK6: PATH first, then GOPATH/bin; undefined when neither has it', () => {
    const onPath = fakeK6('exit 0');
    const pathDir = onPath.slice(0, -'/k6'.length);
    const gopath = tempDir();
    const empty = tempDir();
    expect(findK6({ PATH: pathDir, GOPATH: gopath, HOME: empty })).toBe(onPath);
    expect(findK6({ PATH: empty, GOPATH: empty, HOME: empty })).toBeUndefined();
    expect(k6Candidates({ PATH: `${pathDir}:${empty}`, GOPATH: gopath, HOME: empty })).toEqual([
      onPath,
      join(empty, 'k6'),
      join(gopath, 'bin', 'k6'),
    ]);
    // No GOPATH: $HOME/go.
    expect(k6Candidates({ PATH: empty, HOME: gopath })).toEqual([join(empty, 'k6'), join(gopath, 'go', 'bin', 'k6')]);
  });

  test('k6Version of a fake', async () => {
    expect(await k6Version(fakeK6('echo "k6 v9.9.9 (go1.26.0, linux/amd64)"'))).toBe('v9.9.9');
    await expect(k6Version(fakeK6('echo nope; exit 3'))).rejects.toBeInstanceOf(K6Error);
    await expect(k6Version('/nonexistent/k6')).rejects.toBeInstanceOf(K6NotFoundError);
  });
});
