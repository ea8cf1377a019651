/**
 * Reads k6's `--out csv` output into the same `Sample`s as its `--out json`
 * output: each row is one point (metric_name, timestamp, metric_value, then
 * one column per system tag k6 keeps, then `extra_tags` and `metadata` as
 * `key=value&key=value`), handed to the `--out json` reader, which joins the
 * http_req_* points of one request by their order. Pure: `push` lines, then
 * `finish`.
 *
 * The format is grafana/k6's internal/output/csv (v1.8.1): the header is
 * `MakeHeader` (`metric_name,timestamp,metric_value,check,error,error_code,
 * expected_response,group,method,name,proto,scenario,service,status,subproto,
 * tls_version,url,extra_tags,metadata` with the default system tags; other
 * `--system-tags` give other columns, so columns are found by name), a row is
 * `SampleToRow`, written by Go's encoding/csv (a field with a comma, a quote or
 * a line break quoted, its quotes doubled). An empty tag column is a tag the
 * point does not have. Custom tags (e.g. `variant`) are in `extra_tags`,
 * metadata (e.g. `request`) in `metadata`; their values are not escaped, so a
 * value holding `&` or `=` cannot be read back exactly.
 *
 * Timestamps follow `timeFormat` (`--out csv=FILE,timeFormat=…`): `unix`
 * (the default: whole seconds), `unix_milli`, `unix_micro`, `unix_nano`,
 * `rfc3339`, `rfc3339_nano`; the number's digits tell which. As in `--out
 * json`, an http_req_* point's time is the end of its request. With whole
 * seconds the end of a request is known to the second only (k6 truncates), so
 * its start, the timeline and the longest outage are approximate: a warning says
 * so.
 */
import { InputFileError } from '../../input/input-file-error.js';
import { K6SampleReader, type K6Samples } from '../../load/k6/ndjson.js';
import type { LatencyMeasure } from '../../load/latency.js';
import { type CsvRecord, CsvRecords } from '../jmeter/csv-records.js';

/** The columns every k6 CSV starts with. */
const LEADING = ['metric_name', 'timestamp', 'metric_value'] as const;
/** The columns every k6 CSV ends with. */
const TRAILING = ['extra_tags', 'metadata'] as const;

type TimeUnit = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds' | 'rfc3339';

export class K6CsvReader {
  private readonly records: CsvRecords;
  private readonly points: K6SampleReader;
  private header: readonly string[] | undefined;
  /** The last row, handed on once the next one shows it was not the cut-off end of the file. */
  private pending: CsvRecord | undefined;
  private readonly units = new Set<TimeUnit>();
  private cutOffLine: number | undefined;

  constructor(
    private readonly file: string,
    options: { readonly latency?: LatencyMeasure } = {},
  ) {
    this.points = new K6SampleReader(options.latency === undefined ? {} : { latency: options.latency });
    this.records = new CsvRecords(',', (record) => this.record(record));
  }

  /** One line without its line break, and its 1-based number. */
  push(line: string, number: number): void {
    this.records.push(line, number);
  }

  /** `endsWithNewline` false: k6 stopped while writing the last row, which is skipped (a warning says so). */
  finish(endsWithNewline: boolean): K6Samples {
    const open = this.records.unterminatedAt();
    if (open !== undefined && endsWithNewline) {
      throw new InputFileError(this.file, 'a quoted field opens here and never closes: the file is cut off', open);
    }
    if (this.header === undefined) throw new InputFileError(this.file, 'has no header line');
    // Cut inside a quoted field, the cut row is still open and the pending one is whole; else the pending one is cut.
    if (open !== undefined) this.cutOffLine = open;
    if (this.pending !== undefined) {
      if (endsWithNewline || open !== undefined) this.row(this.pending);
      else this.cutOffLine = this.pending.line;
    }
    const result = this.points.finish();
    const warnings = [...result.warnings];
    if (this.cutOffLine !== undefined) {
      warnings.push(
        `line ${this.cutOffLine}, the last one, has no line break: k6 stopped while writing it, so it was skipped`,
      );
    }
    if (this.units.has('seconds')) {
      warnings.push(
        "the timestamps are whole seconds (k6's default timeFormat=unix): each request's start is known to the second only, so the timeline, the longest outage and TPS are approximate (k6 run --out csv=FILE,timeFormat=unix_milli keeps milliseconds)",
      );
    }
    return { ...result, warnings };
  }

  private record(record: CsvRecord): void {
    if (this.header === undefined) {
      this.header = this.headerOf(record);
      return;
    }
    if (this.pending !== undefined) this.row(this.pending);
    this.pending = record;
  }

  private headerOf(record: CsvRecord): readonly string[] {
    const { fields, line } = record;
    const starts = LEADING.every((name, index) => fields[index] === name);
    const ends = TRAILING.every((name, index) => fields[fields.length - TRAILING.length + index] === name);
    if (!starts || !ends || fields.length < LEADING.length + TRAILING.length) {
      throw new InputFileError(
        this.file,
        `not the header of k6's --out csv output (${LEADING.join(',')},<tags>,${TRAILING.join(',')}): ${quote(fields.join(','))}`,
        line,
      );
    }
    if (!fields.includes('scenario')) {
      throw new InputFileError(
        this.file,
        "the header has no scenario column (k6 run with --system-tags that leave it out): zdd tells k6's scenarios apart by it",
        line,
      );
    }
    return fields;
  }

  private row({ fields, line }: CsvRecord): void {
    const header = this.header as readonly string[];
    if (fields.length !== header.length) {
      throw new InputFileError(this.file, `${fields.length} fields where the header has ${header.length}`, line);
    }
    const [metric = '', timestamp = '', value = ''] = fields;
    const number = Number(value);
    if (value === '' || !Number.isFinite(number)) {
      throw new InputFileError(this.file, `metric_value ${quote(value)} is not a number`, line);
    }
    const time = this.timeText(timestamp, line);
    const tags: Record<string, string> = {};
    for (let index = LEADING.length; index < header.length - TRAILING.length; index++) {
      const field = fields[index] ?? '';
      if (field !== '') tags[header[index] as string] = field;
    }
    Object.assign(tags, pairs(fields[header.length - 2] ?? ''));
    const metadata = pairs(fields[header.length - 1] ?? '');
    this.points.pushPoint(metric, { time, value: number, tags, metadata }, line);
  }

  /** A timestamp as the RFC 3339 text `--out json` writes, sub-second digits kept. */
  private timeText(timestamp: string, line: number): string {
    if (/^\d+$/.test(timestamp)) {
      const digits = timestamp.length;
      // 2001 to 2286 in seconds has 10 digits; milli-, micro- and nanoseconds add 3 each.
      const [unit, fraction]: [TimeUnit, number] =
        digits <= 11
          ? ['seconds', 0]
          : digits <= 14
            ? ['milliseconds', 3]
            : digits <= 17
              ? ['microseconds', 6]
              : ['nanoseconds', 9];
      this.units.add(unit);
      const seconds = fraction === 0 ? timestamp : timestamp.slice(0, -fraction);
      const date = new Date(Number(seconds) * 1000);
      if (Number.isFinite(date.getTime())) {
        const sub = fraction === 0 ? '' : `.${timestamp.slice(-fraction)}`;
        return `${date.toISOString().slice(0, 19)}${sub}Z`;
      }
    } else if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(timestamp)) {
      this.units.add('rfc3339');
      return timestamp;
    }
    throw new InputFileError(
      this.file,
      `timestamp ${quote(timestamp)} is neither a Unix time (k6's timeFormat unix, unix_milli, unix_micro, unix_nano) nor RFC 3339`,
      line,
    );
  }
}

/** `a=1&b=2` → { a: '1', b: '2' } (k6 writes extra_tags and metadata so, unescaped). */
function pairs(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  if (text === '') return result;
  for (const pair of text.split('&')) {
    const split = pair.indexOf('=');
    if (split > 0) result[pair.slice(0, split)] = pair.slice(split + 1);
  }
  return result;
}

function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return `\`${shown}\``;
}
