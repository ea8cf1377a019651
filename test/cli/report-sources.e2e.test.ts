import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO, zdd } from '../helpers/cli.js';
import { JMETER, K6, tempFolders } from '../helpers/report-fixtures.js';
import { boxed, flat } from '../helpers/terminal-text.js';

/**
 * `zdd report` on what k6 and JMeter users hand it (the real CLI; npm run build first): k6's `--out csv`,
 * the latency figures k6 users read first (min, median, p90), what the latency is for each source and
 * `--latency`, a file of one variant, and report.md's timeline. The k6 files are one real run written four
 * ways at once (test/fixtures/importers/README.md).
 */
const temp = tempFolders();

interface ImportJson {
  rows: Array<{
    name: string;
    role?: string;
    figures: Record<string, number | Record<string, number> | undefined> & {
      requests: number;
      failed: number;
      byKind: Record<string, number>;
    };
  }>;
  verdict: { outcome: string; exitCode: number; message: string };
  latency: { measure: string; definition: string };
  notes: string[];
}

const LATENCIES = ['avgMs', 'minMs', 'medianMs', 'p90Ms', 'p95Ms', 'p99Ms', 'maxMs'] as const;

async function importJson(file: string, ...flags: string[]) {
  const result = await zdd(['report', '--from', file, '--format', 'json', '--out', await temp.folder(), ...flags]);
  const json = JSON.parse(result.stdout) as ImportJson;
  // The exit code is the printed verdict's (these short runs are too few to judge: 3).
  expect(result.exitCode, result.stderr).toBe(json.verdict.exitCode);
  return json;
}

/** k6's own figures for a variant, from its handleSummary data of the same run. */
async function k6Figures(variant: string) {
  const summary = JSON.parse(await readFile(join(K6, 'errors.summary.json'), 'utf8')) as {
    metrics: Record<string, { values: Record<string, number> }>;
  };
  const duration = summary.metrics[`http_req_duration{variant:${variant}}`]?.values ?? {};
  return {
    requests: summary.metrics[`http_reqs{variant:${variant}}`]?.values.count,
    failed: summary.metrics[`http_req_failed{variant:${variant}}`]?.values.passes,
    avgMs: duration.avg,
    minMs: duration.min,
    medianMs: duration.med,
    p90Ms: duration['p(90)'],
    p95Ms: duration['p(95)'],
    maxMs: duration.max,
  };
}

describe("zdd report --from k6's --out csv", () => {
  test('unix_milli timestamps: the same figures as the --out json of the same run, min, median and p90 included', async () => {
    const csv = await importJson(join(K6, 'errors.milli.csv'));
    const json = await importJson(join(K6, 'errors.ndjson'));
    expect(csv.rows.map((row) => [row.name, row.role])).toEqual([
      ['default-app', 'default'],
      ['zero-downtime-app', 'zero-downtime'],
    ]);
    for (const [index, row] of csv.rows.entries()) {
      const other = json.rows[index];
      expect(row.figures.requests).toBe(other?.figures.requests);
      expect(row.figures.failed).toBe(other?.figures.failed);
      expect(row.figures.byKind).toEqual(other?.figures.byKind);
      for (const figure of LATENCIES) {
        expect(row.figures[figure], figure).toBeTypeOf('number');
        expect(row.figures[figure], figure).toBeCloseTo(other?.figures[figure] as number, 3);
      }
    }
    // The run: a 200, a 503, a reset, a timeout and a refused connection, in turn, on default-app.
    expect(csv.rows[0]?.figures.byKind).toEqual({
      refused: 6,
      reset: 6,
      timeout: 6,
      http_5xx: 6,
      http_4xx: 0,
      other: 0,
    });
    // About 30 requests per variant: figures, but too few for a PASS.
    expect(csv.verdict.outcome).toBe('inconclusive');
    expect(csv.verdict.message).toContain('too few to judge');
  });

  test('k6’s default whole-second timestamps: the same counts and latencies, and a note that times are approximate', async () => {
    const out = await temp.folder();
    const result = await zdd(['report', '--from', join(K6, 'errors.csv'), '--out', out]);
    expect(result.exitCode, result.stderr).toBe(3); // too few requests to judge
    expect(result.stdout).toMatch(/^k6 --out csv output: 61 requests over [\d.]+ s, 2 variants\n/);
    expect(boxed(result.stdout)).toMatch(/│ default-app │ 30 │ 24 │ 80\.00 %/);
    expect(flat(result.stdout)).toContain(
      "note: the timestamps are whole seconds (k6's default timeFormat=unix): each request's start is known to the second only",
    );
    expect(flat(result.stdout)).toMatch(/INCONCLUSIVE: .*too few to judge.* zero-downtime-app failed 0 of 31 requests/);
    const seconds = await importJson(join(K6, 'errors.csv'));
    const json = await importJson(join(K6, 'errors.ndjson'));
    expect(seconds.rows.map((row) => [row.figures.requests, row.figures.failed, row.figures.medianMs])).toEqual(
      json.rows.map((row) => [row.figures.requests, row.figures.failed, row.figures.medianMs]),
    );
  });

  test('--latency duration: exactly the figures of k6’s own summary of the run', async () => {
    for (const file of ['errors.csv', 'errors.ndjson']) {
      const data = await importJson(join(K6, file), '--latency', 'duration');
      expect(data.latency.measure).toBe('duration');
      for (const row of data.rows) {
        const k6 = await k6Figures(row.name);
        expect([row.figures.requests, row.figures.failed]).toEqual([k6.requests, k6.failed]);
        for (const figure of ['avgMs', 'minMs', 'medianMs', 'p90Ms', 'p95Ms', 'maxMs'] as const) {
          expect(row.figures[figure], `${file} ${row.name} ${figure}`).toBeCloseTo(k6[figure] as number, 4);
        }
      }
    }
  });

  test.each([
    [
      'a row with a field missing',
      (lines: string[]) => lines.map((line, index) => (index === 9 ? line.replace(/,[^,]*$/, '') : line)),
      'line 10: 18 fields where the header has 19',
    ],
    [
      'a timestamp that is not one',
      (lines: string[]) => lines.map((line, index) => (index === 4 ? line.replace(/^([^,]+),\d+,/, '$1,soon,') : line)),
      'line 5: timestamp `soon` is neither a Unix time',
    ],
    [
      'a value that is not a number',
      (lines: string[]) =>
        lines.map((line, index) => (index === 6 ? line.replace(/^([^,]+,[^,]+),[^,]+,/, '$1,x,') : line)),
      'line 7: metric_value `x` is not a number',
    ],
  ])('%s: exit 2, the file and the line', async (_, edit, message) => {
    const file = join(await temp.folder(), 'edited.csv');
    const lines = (await readFile(join(K6, 'errors.csv'), 'utf8')).split('\n');
    await writeFile(file, edit(lines).join('\n'));
    const result = await zdd(['report', '--from', file, '--out', await temp.folder()]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`zdd: ${file}, ${message}`);
    expect(result.stdout).toBe('');
  });

  test('a last line cut off while k6 wrote it is skipped, with a note naming it', async () => {
    const file = join(await temp.folder(), 'cut.csv');
    const text = await readFile(join(K6, 'errors.csv'), 'utf8');
    const cut = text.slice(0, text.trimEnd().lastIndexOf('\n') + 20);
    await writeFile(file, cut);
    const result = await zdd(['report', '--from', file, '--out', await temp.folder()]);
    expect(result.exitCode, result.stderr).toBe(3); // too few requests to judge
    expect(flat(result.stdout)).toContain(
      `note: line ${cut.split('\n').length}, the last one, has no line break: k6 stopped while writing it, so it was skipped`,
    );
  });
});

describe('what the latency figures are, for every source', () => {
  const JMETER_ROLES = ['--variant', 'default=http-503', '--variant', 'zero-downtime=ok'];
  const line = (definition: string) => `latency (avg, percentiles, max): ${definition}`;

  test.each([
    [join(K6, 'errors.ndjson'), [], 'total', "total: k6's http_req_blocked + http_req_duration"],
    [join(K6, 'errors.csv'), [], 'total', "total: k6's http_req_blocked + http_req_duration"],
    [join(K6, 'errors.ndjson'), ['--latency', 'duration'], 'duration', "duration: k6's http_req_duration"],
    [join(K6, 'errors.summary.json'), [], 'duration', "duration: k6's own aggregates of http_req_duration"],
    [join(JMETER, 'errors.columns.jtl'), JMETER_ROLES, 'total', "total: JMeter's elapsed"],
    [
      join(JMETER, 'errors.columns.jtl'),
      [...JMETER_ROLES, '--latency', 'duration'],
      'duration',
      "duration: JMeter's elapsed − Connect",
    ],
  ])('%s %j: %s, in the table, report.md, report.html and the JSON', async (file, flags, measure, definition) => {
    const out = await temp.folder();
    const result = await zdd(['report', '--from', file, '--out', out, ...flags]);
    expect(flat(result.stdout)).toContain(line(definition));
    // Right under the table's last row.
    expect(result.stdout).toMatch(new RegExp(` {2}\\S[^\\n]*\\n${line('').replace(/[()]/g, '\\$&')}${measure}: `));
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain(line(definition));
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain(line(definition));
    const json = await importJson(file, ...flags);
    expect(json.latency.measure).toBe(measure);
    expect(json.latency.definition.startsWith(definition)).toBe(true);
  });

  test('JMeter without connecting: elapsed less Connect, per request', async () => {
    const total = await importJson(join(JMETER, 'errors.columns.jtl'), ...JMETER_ROLES);
    const duration = await importJson(join(JMETER, 'errors.columns.jtl'), ...JMETER_ROLES, '--latency', 'duration');
    const rows = (await readFile(join(JMETER, 'errors.columns.jtl'), 'utf8')).split('\n').slice(1);
    const ok = rows.map((row) => row.split('\t')).filter((fields) => fields[2] === 'ok');
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const okTotal = total.rows.find((row) => row.name === 'ok')?.figures;
    const okDuration = duration.rows.find((row) => row.name === 'ok')?.figures;
    expect(okTotal?.avgMs).toBeCloseTo(mean(ok.map((fields) => Number(fields[1]))), 6);
    expect(okDuration?.avgMs).toBeCloseTo(mean(ok.map((fields) => Number(fields[1]) - Number(fields[15]))), 6);
  });

  test('a results folder of zdd compare: total, stated the same way', async () => {
    const folder = await temp.copy();
    const result = await zdd(['report', folder]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(flat(result.stdout)).toContain(line("total: from the request's start, before a connection is taken"));
    // zdd compare's table keeps its width: min, median and p90 are in the reports only.
    expect(result.stdout).not.toContain('median (ms)');
    expect(await readFile(join(folder, 'report.md'), 'utf8')).toContain('| median (ms) |');
  });

  test.each([
    [
      [join(K6, 'errors.summary.json'), '--latency', 'total'],
      "--latency total: FILE is a k6 end-of-test summary, which holds k6's aggregates of http_req_duration only",
    ],
    [
      [join(JMETER, 'errors.jtl'), '--latency', 'duration'],
      '--latency duration: FILE has no header line, so no column is known to be Connect',
    ],
    [[join(JMETER, 'errors.header.jtl'), '--latency', 'duration'], '--latency duration: FILE has no Connect column'],
    [[join(K6, 'errors.csv'), '--latency', 'connect'], '--latency: expected one of duration, total, got "connect"'],
  ])('a choice the source cannot give is refused: %j', async ([file = '', ...flags], message) => {
    const result = await zdd(['report', '--from', file, ...flags, '--out', await temp.folder()]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message.replace('FILE', file));
    expect(result.stdout).toBe('');
  });

  test('k6 output without http_req_blocked points: the figures are http_req_duration, and say so; total is refused', async () => {
    const file = join(await temp.folder(), 'no-blocked.ndjson');
    const text = await readFile(join(K6, 'errors.ndjson'), 'utf8');
    await writeFile(
      file,
      text
        .split('\n')
        .filter((row) => !row.includes('"metric":"http_req_blocked"'))
        .join('\n'),
    );
    const data = await importJson(file);
    expect(data.latency.definition).toMatch(/^duration: k6's http_req_duration/);
    const duration = await importJson(join(K6, 'errors.ndjson'), '--latency', 'duration');
    expect(data.rows.map((row) => row.figures.avgMs)).toEqual(duration.rows.map((row) => row.figures.avgMs));
    const total = await zdd(['report', '--from', file, '--latency', 'total', '--out', await temp.folder()]);
    expect(total.exitCode).toBe(2);
    expect(total.stderr).toContain(`--latency total: ${file} has no http_req_blocked points`);
  });

  test('a results folder cannot give duration', async () => {
    const result = await zdd(['report', await temp.copy(), '--latency', 'duration']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      '--latency duration: a results folder records each request’s total latency only (from its start, connecting included)',
    );
  });
});

describe('a file of one variant: its figures, no verdict, exit 0', () => {
  test.each([
    ['single.ndjson', '"default"', 'k6 --out json output'],
    ['single.summary-export.json', '"all requests"', 'k6 end-of-test summary'],
  ])('%s (k6’s own scenario, named default)', async (file, label, format) => {
    const out = await temp.folder();
    const result = await zdd(['report', '--from', join(K6, file), '--out', out]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(flat(result.stdout)).toContain(format);
    expect(boxed(result.stdout)).toMatch(/│ (default|all requests) │ 10 │/);
    expect(flat(result.stdout)).toContain(
      `NO VERDICT: ${join(K6, file)} holds one variant (${label}), so there is nothing to compare`,
    );
    expect(flat(result.stdout)).toContain('name them with --variant default=LABEL --variant zero-downtime=LABEL');
    expect(result.stdout).not.toMatch(/PASS|FAIL|INCONCLUSIVE/);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('## No verdict\n');
    const json = await importJson(join(K6, file));
    expect(json.verdict).toMatchObject({ outcome: 'none', exitCode: 0 });
    expect(json.rows.map((row) => row.role)).toEqual([undefined]);
  });
});

describe('report.md and its timeline', () => {
  test('report.md shows timeline.svg, the file beside it, as an image, and says so; the README says the same', async () => {
    const out = await temp.folder();
    const result = await zdd(['report', '--from', join(K6, 'errors.ndjson'), '--out', out]);
    expect(result.exitCode, result.stderr).toBe(3); // too few requests to judge
    const markdown = await readFile(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain(
      '\n![Timeline: requests per second, failures by kind, p95 latency and cluster events](timeline.svg)\n',
    );
    expect(markdown).toContain(
      'The chart is [timeline.svg](timeline.svg), the file beside this one, shown as an image: keep the two together.',
    );
    expect(markdown).not.toContain('<svg');
    const readme = await readFile(join(REPO, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/report\.md[^.]*SVG embedded/);
    expect(readme).toContain(
      '`report.md` (the same in Markdown; it shows `timeline.svg`, the file beside it, as an image',
    );
  });
});
