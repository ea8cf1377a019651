import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { zdd } from '../helpers/cli.js';
import { JMETER, K6, RESULTS_FIXTURE, tempFolders } from '../helpers/report-fixtures.js';
import { boxed, flat, tableRow } from '../helpers/terminal-text.js';

/** `zdd report`: the real CLI (npm run build first) on a real run's results and on real JMeter and k6 files. */
const temp = tempFolders();

async function summaryOf(folder: string): Promise<CompareSummary> {
  return JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8')) as CompareSummary;
}

/** The Markdown table's rows by their first cell. */
function markdownRows(markdown: string, header: string): Map<string, string[]> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header} |`));
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .slice(2, -2)
      .split(' | ')
      .map((cell) => cell.trim());
    rows.set(cells[0] ?? '', cells.slice(1));
  }
  return rows;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}

/** A latency as the reports print it: one decimal, or — where the source does not have it. */
function fixed(ms: number | undefined): string {
  return ms === undefined ? '—' : ms.toFixed(1);
}

describe('zdd report <results folder>', () => {
  test('writes report.html, report.md and timeline.svg into the folder; prints the table; exits with the verdict', async () => {
    const folder = await temp.copy();
    const result = await zdd(['report', folder]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const summary = await summaryOf(folder);
    expect(flat(result.stdout)).toContain(summary.verdict.message);
    for (const variant of summary.variants) {
      expect(tableRow(result.stdout, variant.name)?.slice(0, 3)).toEqual([
        String(variant.requests),
        String(variant.failed),
        percent(variant.errorRate),
      ]);
    }
    expect(flat(result.stdout)).toContain(`report: ${folder}/ (report.html, report.md, timeline.svg)`);
    expect((await readdir(folder)).sort()).toEqual([
      'events.json',
      'report.html',
      'report.md',
      'samples.ndjson',
      'summary.json',
      'timeline.svg',
    ]);
    const svg = await readFile(join(folder, 'timeline.svg'), 'utf8');
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  test('report.md: the verdict, the figures of summary.json, the settings delta, the timeline embedded', async () => {
    const folder = await temp.copy();
    expect((await zdd(['report', folder])).exitCode).toBe(0);
    const markdown = await readFile(join(folder, 'report.md'), 'utf8');
    const summary = await summaryOf(folder);
    expect(markdown).toContain(`## Verdict: PASS\n\n${summary.verdict.message.replaceAll('_', '\\_')}`);
    expect(markdown).toContain('](timeline.svg)');
    const rows = markdownRows(markdown, 'variant');
    for (const variant of summary.variants) {
      expect(rows.get(variant.name)).toEqual([
        String(variant.requests),
        variant.avgMs.toFixed(1),
        percent(variant.errorRate),
        variant.tps.toFixed(1),
        // This run was recorded before summary.json held them.
        fixed(variant.minMs),
        fixed(variant.medianMs),
        fixed(variant.p90Ms),
        variant.p95Ms.toFixed(1),
        variant.p99Ms.toFixed(1),
        variant.maxMs.toFixed(1),
        String(variant.byKind.refused),
        String(variant.byKind.reset),
        String(variant.byKind.timeout),
        String(variant.byKind.http_5xx),
        String(variant.byKind.http_4xx),
        variant.longestOutageMs.toFixed(0),
        '0',
      ]);
    }
    expect(markdown).toContain('| DeploymentConfig | `spec.template.spec.containers[0].readinessProbe` | `not set` |');
    expect(markdown).toContain(
      '| DeploymentConfig | `spec.template.spec.terminationGracePeriodSeconds` | `not set` | `40` |',
    );
    expect(markdown).toMatch(/503s \(27 of 28 failed requests, .*\) come from new pods the router sent requests to/);
  });

  test('--format json prints summary.json as it is; --format markdown prints report.md with the image path', async () => {
    const folder = await temp.copy();
    const json = await zdd(['report', folder, '--format', 'json']);
    expect(json.exitCode, json.stderr).toBe(0);
    expect(`${json.stdout}\n`).toBe(await readFile(join(folder, 'summary.json'), 'utf8'));
    expect(flat(json.stderr)).toContain(`report: ${folder}/`);
    const markdown = await zdd(['report', folder, '--format', 'markdown']);
    expect(markdown.exitCode, markdown.stderr).toBe(0);
    const written = await readFile(join(folder, 'report.md'), 'utf8');
    expect(`${markdown.stdout}\n`).toBe(written.replaceAll('](timeline.svg)', `](${folder}/timeline.svg)`));
  });

  test('--out writes the files elsewhere and leaves the results folder as it was', async () => {
    const folder = await temp.copy();
    const out = join(await temp.folder(), 'a', 'b');
    const result = await zdd(['report', folder, '--out', out]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.md', 'timeline.svg']);
    expect((await readdir(folder)).sort()).toEqual(['events.json', 'samples.ndjson', 'summary.json']);
  });
});

describe('zdd report: a results folder that is incomplete or damaged: exit 2, the file and what is wrong', () => {
  test.each(['summary.json', 'samples.ndjson', 'events.json'])('%s missing', async (file) => {
    const folder = await temp.copy();
    await rm(join(folder, file));
    const result = await zdd(['report', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`zdd: ${join(folder, file)}: is missing from the results folder`);
    expect(result.stdout).toBe('');
    expect(await readdir(folder)).not.toContain('report.html');
  });

  test('summary.json cut off', async () => {
    const folder = await temp.copy();
    const text = await readFile(join(folder, 'summary.json'), 'utf8');
    const cut = text.slice(0, Math.floor(text.length / 2));
    await writeFile(join(folder, 'summary.json'), cut);
    const result = await zdd(['report', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `${join(folder, 'summary.json')}, line ${cut.split('\n').length}: ends in the middle of the JSON: the file is cut off`,
    );
  });

  test('summary.json with a figure that is not a number', async () => {
    const folder = await temp.copy();
    const text = await readFile(join(folder, 'summary.json'), 'utf8');
    const edited = text.replace(/"p95Ms": [\d.]+/, '"p95Ms": "fast"');
    await writeFile(join(folder, 'summary.json'), edited);
    const line = edited.slice(0, edited.indexOf('"p95Ms": "fast"')).split('\n').length;
    const result = await zdd(['report', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${join(folder, 'summary.json')}, line ${line}: variants.0.p95Ms: Invalid input`);
  });

  test('samples.ndjson cut off in its last line', async () => {
    const folder = await temp.copy();
    const text = await readFile(join(folder, 'samples.ndjson'), 'utf8');
    const lines = text.trimEnd().split('\n');
    await writeFile(join(folder, 'samples.ndjson'), text.trimEnd().slice(0, -20));
    const result = await zdd(['report', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `${join(folder, 'samples.ndjson')}, line ${lines.length}: the last line is cut off: the file is truncated`,
    );
  });

  test('samples.ndjson short of whole lines: the counts disagree with summary.json', async () => {
    const folder = await temp.copy();
    const lines = (await readFile(join(folder, 'samples.ndjson'), 'utf8')).trimEnd().split('\n');
    await writeFile(join(folder, 'samples.ndjson'), `${lines.slice(0, -1).join('\n')}\n`);
    const last = JSON.parse(lines.at(-1) ?? '{}') as { variant: string };
    const summary = await summaryOf(folder);
    const requests = summary.variants.find((variant) => variant.name === last.variant)?.requests ?? 0;
    const result = await zdd(['report', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `${join(folder, 'samples.ndjson')}: holds ${requests - 1} requests of ${last.variant}, but ${join(folder, 'summary.json')} counts ${requests}: one of the two is cut off or from another run`,
    );
  });

  test('samples.ndjson with a broken line and with a wrong field', async () => {
    const folder = await temp.copy();
    const lines = (await readFile(join(folder, 'samples.ndjson'), 'utf8')).split('\n');
    lines[9] = 'garbage';
    await writeFile(join(folder, 'samples.ndjson'), lines.join('\n'));
    const broken = await zdd(['report', folder]);
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toContain(`${join(folder, 'samples.ndjson')}, line 10: not a JSON object: \`garbage\``);
    lines[9] = (lines[10] ?? '').replace(/"error":(null|"\w+")/, '"error":"bad-gateway"');
    await writeFile(join(folder, 'samples.ndjson'), lines.join('\n'));
    const wrong = await zdd(['report', folder]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain(
      `${join(folder, 'samples.ndjson')}, line 10: \`error\`: expected null or one of refused`,
    );
  });

  test('events.json with an event that has no time', async () => {
    const folder = await temp.copy();
    const events = JSON.parse(await readFile(join(folder, 'events.json'), 'utf8')) as Array<Record<string, unknown>>;
    delete events[2]?.time;
    const text = `${JSON.stringify(events, null, 2)}\n`;
    await writeFile(join(folder, 'events.json'), text);
    // The third event's opening brace.
    const line = (text.split('\n').flatMap((row, index) => (row === '  {' ? [index + 1] : []))[2] ?? 0) as number;
    const result = await zdd(['report', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${join(folder, 'events.json')}, line ${line}: an event without \`time\``);
  });

  test('a .partial folder: an interrupted run', async () => {
    const folder = await temp.copy('2026-11-29T19-01-21-075Z.partial');
    await rm(join(folder, 'summary.json'));
    const result = await zdd(['report', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `zdd: ${folder}: an interrupted run: zdd stopped while it was writing these results`,
    );
    const named = await zdd(['report', folder.replace(/\.partial$/, '')]);
    expect(named.exitCode).toBe(2);
    expect(named.stderr).toContain(`does not exist, but ${folder} does`);
  });

  test('a .failed folder: the run failed before its verdict, with its error.txt', async () => {
    const folder = join(await temp.folder(), '2026-11-29T19-01-21-075Z.failed');
    await mkdir(folder);
    await writeFile(
      join(folder, 'error.txt'),
      'the variants did not become reachable (--timeout 30): zero-downtime-app: 0/2 ready\n',
    );
    await cp(join(RESULTS_FIXTURE, 'events.json'), join(folder, 'events.json'));
    const result = await zdd(['report', folder]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `zdd: ${folder}: this run failed before its verdict, so it has no figures to report: the variants did not become reachable (--timeout 30): zero-downtime-app: 0/2 ready`,
    );
  });

  test.each([
    [[], 'name a results folder (zdd report results/<timestamp>) or another tool’s results (--from FILE)'],
    [['x', '--from', 'y'], 'give a results folder or --from FILE, not both'],
    [['FOLDER', '--variant', 'default=a'], '--variant applies to --from'],
    [['FOLDER', '--format', 'xml'], '--format: expected one of table, markdown, json, got "xml"'],
  ])('bad flags %j', async (args, message) => {
    const folder = await temp.copy();
    const result = await zdd(['report', ...args.map((arg) => (arg === 'FOLDER' ? folder : arg))]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('zdd report --from: JMeter and k6 results of your own, the same table, verdict and report', () => {
  test.each([
    ['errors.jtl', 'JMeter 2.13 default columns, no header'],
    ['errors.header.jtl', 'with a header line'],
    ['errors.columns.jtl', 'JMeter 3.x–5.x default columns, tab-separated'],
  ])('%s (%s): one row per label, failures by kind', async (file) => {
    const out = await temp.folder();
    const result = await zdd([
      'report',
      '--from',
      join(JMETER, file),
      '--variant',
      'default=http-503',
      '--variant',
      'zero-downtime=ok',
      '--out',
      out,
      '--wide',
    ]);
    expect(result.exitCode, result.stderr).toBe(3); // 3 requests a label: figures, but too few to judge
    expect(boxed(result.stdout)).toMatch(/│ http-503\s+│ 3\s+│ [\d.]+\s+│ 100\.00 %.*│ 0\s+│ 0\s+│ 0\s+│ 3\s+│ 0\s+│/);
    expect(boxed(result.stdout)).toMatch(/│ ok\s+│ 3\s+│ [\d.]+\s+│ 0\.00 %/);
    expect(boxed(result.stdout)).toMatch(/│ reset\s+│ 3\s+│ [\d.]+\s+│ 100\.00 %\s+(│ [\d.]+\s+){7}│ 0\s+│ 3\s+│/);
    expect(boxed(result.stdout)).toMatch(/│ timeout\s+│ 3\s+│ 50\d\.\d\s+│ 100\.00 %.*│ 0\s+│ 0\s+│ 3\s+│/);
    expect(boxed(result.stdout)).toMatch(/│ refused\s+│ 3\s+│ [\d.]+\s+│ 100\.00 %\s+(│ [\d.]+\s+){7}│ 3\s+│/);
    expect(flat(result.stdout)).toMatch(
      /INCONCLUSIVE: .*ok \(reused connections\): 3 requests, too few to judge \(at least 100 per connection pattern; send more requests\).* ok failed 0 of 3 requests/,
    );
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.md', 'timeline.svg']);
  });

  test('a JMeter rollout with the events of zdd local events --json: rollouts, per-round figures, why the default variant failed', async () => {
    const out = await temp.folder();
    const result = await zdd([
      'report',
      '--from',
      join(JMETER, 'rollout.jtl'),
      '--events',
      join(JMETER, 'rollout.events.ndjson'),
      '--out',
      out,
      '--wide',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(boxed(result.stdout)).toMatch(
      /│ default-app\s+│ 258\s+│ [\d.]+\s+│ 12\.79 %.*│ 0\s+│ 1\s+│ 0\s+│ 32\s+│ 0\s+│/,
    );
    expect(boxed(result.stdout)).toMatch(/│ zero-downtime-app\s+│ 257\s+│ [\d.]+\s+│ 0\.00 %/);
    expect(boxed(result.stdout)).toMatch(/│ 1\s+│ default-app → default-app-2\s+│ completed/);
    expect(flat(result.stdout)).toContain('PASS: zero-downtime-app failed 0 of 257 requests');
    const markdown = await readFile(join(out, 'report.md'), 'utf8');
    expect(markdown).toMatch(
      /503s \(32 of 33 failed requests, \+0\.7 s to \+2\.8 s\) come from new pods the router sent requests to before they were ready: default-app-2-gwvxh joined at \+0\.3 s/,
    );
    expect(markdown).toContain('(no readinessProbe: a pod counts as ready as soon as its process runs)');
    expect(markdown).toMatch(
      /Reset connections \(1 of 33 failed requests, at \+0\.6 s\) start when the old pod default-app-1-hj867 gets SIGTERM/,
    );
    expect(markdown).toContain('| round | default-app failed | default-app longest outage (ms) |');
  });

  test('labels named otherwise: --workload says which workload of the events served each; without it, a note', async () => {
    const dir = await temp.folder();
    const jtl = join(dir, 'renamed.jtl');
    const text = await readFile(join(JMETER, 'rollout.jtl'), 'utf8');
    await writeFile(jtl, text.replaceAll(',zero-downtime-app,', ',new,').replaceAll(',default-app,', ',old,'));
    const base = ['report', '--from', jtl, '--variant', 'default=old', '--variant', 'zero-downtime=new'];
    const events = ['--events', join(JMETER, 'rollout.events.ndjson')];
    const mapped = await zdd([
      ...base,
      ...events,
      '--workload',
      'old=default-app',
      '--workload',
      'new=zero-downtime-app',
    ]);
    expect(mapped.exitCode, mapped.stderr).toBe(0);
    expect(boxed(mapped.stdout)).toMatch(/│ 1\s+│ default-app → default-app-2\s+│ completed/);
    expect(await readFile(join(dir, 'renamed-report', 'report.md'), 'utf8')).toContain(
      'come from new pods the router sent requests to before they were ready: default-app-2-gwvxh joined at +0.3 s',
    );
    const unmapped = await zdd([...base, ...events]);
    expect(unmapped.exitCode, unmapped.stderr).toBe(0);
    expect(flat(unmapped.stdout)).toContain(
      `note: ${join(JMETER, 'rollout.events.ndjson')} has no event of a workload named old: its timeline shows none (say which workload served old with --workload old=WORKLOAD)`,
    );
  });

  test('k6 --out json with the events: the same figures as k6 counted, per variant', async () => {
    const out = await temp.folder();
    const result = await zdd([
      'report',
      '--from',
      join(K6, 'rollout.ndjson'),
      '--events',
      join(K6, 'rollout.events.ndjson'),
      '--out',
      out,
      '--format',
      'json',
    ]);
    expect(result.exitCode, result.stderr).toBe(3); // a short run: too few requests a connection pattern to judge
    const data = JSON.parse(result.stdout) as {
      rows: Array<{ name: string; role: string; figures: { requests: number; failed: number } }>;
      verdict: { outcome: string };
      rounds: unknown[];
    };
    // k6's own count of the same run (its handleSummary data).
    const summary = JSON.parse(await readFile(join(K6, 'rollout.summary.json'), 'utf8')) as {
      metrics: Record<string, { values: { count?: number; passes?: number } }>;
    };
    for (const row of data.rows) {
      expect(row.figures.requests).toBe(summary.metrics[`http_reqs{variant:${row.name}}`]?.values.count);
      expect(row.figures.failed).toBe(summary.metrics[`http_req_failed{variant:${row.name}}`]?.values.passes);
    }
    expect(data.rows.map((row) => [row.name, row.role])).toEqual([
      ['default-app', 'default'],
      ['zero-downtime-app', 'zero-downtime'],
    ]);
    expect(data.verdict.outcome).toBe('inconclusive');
    expect(data.rounds).toHaveLength(1);
  });

  test.each([
    ['rollout.summary.json', 'values'],
    ['rollout.summary-export.json', 'flat'],
  ])('a k6 summary (%s, the %s shape): totals only, no timeline', async (file, shape) => {
    const out = await temp.folder();
    const result = await zdd(['report', '--from', join(K6, file), '--out', out, '--wide']);
    expect(result.exitCode, result.stderr).toBe(3); // 61 requests a variant: too few to judge
    expect(flat(result.stdout)).toContain(`k6 end-of-test summary (${shape} shape)`);
    expect(boxed(result.stdout)).toMatch(
      /│ default-app\s+│ 61\s+│ [\d.]+\s+│ 13\.11 %\s+│ 5\.1\s+(│ [\d.]+\s+){4}│ —\s+│ [\d.]+\s+│ —/,
    );
    expect(flat(result.stdout)).toMatch(/INCONCLUSIVE: .*too few to judge.* zero-downtime-app failed 0 of 61 requests/);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.md']);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('No timeline: the source holds totals only');
  });

  test('--rollout-at: the rounds from times given by hand; the zero-downtime variant over budget is a FAIL (exit 1)', async () => {
    const out = await temp.folder();
    const first = Number((await readFile(join(JMETER, 'rollout.jtl'), 'utf8')).split('\n')[1]?.split(',')[0]);
    const at = new Date(first + 5000).toISOString();
    const result = await zdd([
      'report',
      '--from',
      join(JMETER, 'rollout.jtl'),
      '--variant',
      'default=zero-downtime-app',
      '--variant',
      'zero-downtime=default-app',
      '--rollout-at',
      at,
      '--out',
      out,
    ]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(flat(result.stdout)).toContain('FAIL: default-app failed 33 of 258 requests');
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('| rollouts from | --rollout-at |');
  });

  test('no role for any label: the table, and an INCONCLUSIVE that says how to name them (exit 3)', async () => {
    const out = await temp.folder();
    const result = await zdd(['report', '--from', join(JMETER, 'errors.jtl'), '--out', out]);
    expect(result.exitCode).toBe(3);
    expect(flat(result.stdout)).toContain(
      'INCONCLUSIVE: no label is the zero-downtime variant: name it with --variant zero-downtime=LABEL',
    );
  });
});

describe('zdd report --from: malformed input: exit 2, the file and the line', () => {
  /** A copy of a real file with one edit; returns its path. */
  async function edited(source: string, edit: (text: string) => string): Promise<string> {
    const path = join(await temp.folder(), source.split('/').at(-1) ?? 'file');
    await writeFile(path, edit(await readFile(source, 'utf8')));
    return path;
  }
  const replaceLine = (text: string, number: number, line: (old: string) => string) =>
    text
      .split('\n')
      .map((old, index) => (index === number - 1 ? line(old) : old))
      .join('\n');

  test.each([
    [
      'a JMeter success field that is neither true nor false',
      join(JMETER, 'errors.jtl'),
      (text: string) => replaceLine(text, 5, (line) => line.replace(',false,', ',maybe,')),
      'line 5: success `maybe` is neither true nor false',
    ],
    [
      'a JMeter file cut off in its last line',
      join(JMETER, 'errors.jtl'),
      (text: string) => text.trimEnd().slice(0, text.trimEnd().lastIndexOf('\n') + 30),
      'default columns are at least 8; the last line is cut off: the file is truncated',
    ],
    [
      'a JMeter row with more fields than its header',
      join(JMETER, 'errors.header.jtl'),
      (text: string) => replaceLine(text, 4, (line) => `${line},extra`),
      'line 4: 13 fields where the header has 12',
    ],
    [
      'a JMeter header without success',
      join(JMETER, 'errors.header.jtl'),
      (text: string) => text.replace(',success,', ',ok,'),
      'line 1: the header line has no success column',
    ],
    [
      'JMeter timestamps written as dates',
      join(JMETER, 'errors.header.jtl'),
      (text: string) => replaceLine(text, 3, (line) => line.replace(/^\d+/, '2026/11/29 18:48:31.123')),
      'line 3: timeStamp `2026/11/29 18:48:31.123` is not in epoch milliseconds',
    ],
    [
      'JMeter results in XML',
      join(JMETER, 'errors.jtl'),
      () => '<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n',
      'line 1: JMeter results in XML: zdd reads the CSV format',
    ],
    [
      'a broken line in k6 --out json',
      join(K6, 'rollout.ndjson'),
      (text: string) => replaceLine(text, 50, () => '{"type":"Point","metric":'),
      'line 50: not JSON',
    ],
    [
      'a k6 point without its metric',
      join(K6, 'rollout.ndjson'),
      (text: string) => replaceLine(text, 60, (line) => line.replace(/"metric":"[^"]+",/, '')),
      'line 60: a Point without `metric` and `data`',
    ],
    [
      'a k6 summary cut off',
      join(K6, 'rollout.summary.json'),
      (text: string) => text.slice(0, 1500),
      `: ends in the middle of the JSON: the file is cut off`,
    ],
    [
      'a k6 summary without avg in a variant’s trend',
      join(K6, 'rollout.summary.json'),
      (text: string) => text.replace(/"avg": [\d.]+,/, ''),
      'no `avg` in metric `http_req_duration{variant:default-app}`',
    ],
  ])('%s', async (_title, source, edit, message) => {
    const file = await edited(source, edit);
    const result = await zdd(['report', '--from', file, '--out', await temp.folder()]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`zdd: ${file}`);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/, line \d+: /);
    expect(result.stdout).toBe('');
  });

  test('an events file with a broken line', async () => {
    const events = await edited(join(JMETER, 'rollout.events.ndjson'), (text) =>
      replaceLine(text, 7, () => '{"time": 17959781'),
    );
    const result = await zdd([
      'report',
      '--from',
      join(JMETER, 'rollout.jtl'),
      '--events',
      events,
      '--out',
      await temp.folder(),
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`zdd: ${events}, line 7: not a JSON object`);
  });

  test.each([
    [['--variant', 'blue=ok'], '--variant: expected default=LABEL or zero-downtime=LABEL, got "blue=ok"'],
    [
      ['--variant', 'default=nope'],
      `--variant default=nope: ${join(JMETER, 'errors.jtl')} has no such label or scenario`,
    ],
    [['--rollout-at', 'yesterday'], '--rollout-at: expected an ISO 8601 time'],
    [['--rollout-at', '2020-01-01T00:00:00Z'], '--rollout-at 2020-01-01T00:00:00Z: outside the requests in'],
    [
      ['--events', 'a.json', '--rollout-at', '2020-01-01T00:00:00Z'],
      '--events and --rollout-at both give the rollout times',
    ],
    [['--events', '/nonexistent/events.json'], '--events: cannot read /nonexistent/events.json: does not exist'],
  ])('bad flags %j', async (args, message) => {
    const result = await zdd(['report', '--from', join(JMETER, 'errors.jtl'), ...args, '--out', await temp.folder()]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test('--from a file that does not exist, or a folder', async () => {
    const missing = await zdd(['report', '--from', '/nonexistent/run.jtl']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('--from: cannot read /nonexistent/run.jtl: does not exist');
    const folder = await zdd(['report', '--from', RESULTS_FIXTURE]);
    expect(folder.exitCode).toBe(2);
    expect(folder.stderr).toContain(`--from: ${RESULTS_FIXTURE} is a folder; a results folder is read without --from`);
  });
});
