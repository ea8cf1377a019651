/**
 * Reads a JMeter results file in CSV (`.jtl`, JMeter's default output format)
 * into `Sample`s, one per row, the row's `label` as its target. Pure: `push`
 * lines, then `finish`.
 *
 * Columns: by the header line when there is one (JMeter 3.0 onwards writes it
 * by default; 2.x with `jmeter.save.saveservice.print_field_names=true`), else
 * JMeter's default columns, whose first eight have the same order in 2.13
 * through 5.x: timeStamp, elapsed, label, responseCode, responseMessage,
 * threadName, dataType, success (2.13 then writes bytes, grpThreads,
 * allThreads, Latency; 5.x failureMessage, bytes, sentBytes, grpThreads,
 * allThreads, URL, Latency, IdleTime, Connect). The delimiter is the
 * character that follows the first field (`,` by default; `\t` and others with
 * `jmeter.save.saveservice.default_delimiter`).
 *
 * A row: `timeStamp` epoch ms (JMeter's default `timestamp_format=ms`) is the
 * request's start (JMeter's own jmeter.properties sets
 * `sampleresult.timestamp.start=true`), `elapsed` its time to the last byte
 * (connecting included), `success` whether JMeter counted it as passed (its
 * Error % counts the others; an assertion may fail a 200), `responseCode` the
 * HTTP status or, without a response, the Java exception (see
 * error-kind.ts). Every problem names the file and the line.
 */

import { MAX_INPUT_BYTES, MAX_INPUT_TEXT } from '../../input/input-file.js';
import { InputFileError } from '../../input/input-file-error.js';
import type { LatencyMeasure } from '../../load/latency.js';
import type { Sample } from '../../load/sample.js';
import { UsageError } from '../../runtime/errors.js';
import { type CsvRecord, CsvRecords } from './csv-records.js';
import { jmeterErrorKind, jmeterStatus } from './error-kind.js';

/** JMeter's default columns up to `success`, the same from 2.13 to 5.x. */
export const DEFAULT_COLUMNS = [
  'timeStamp',
  'elapsed',
  'label',
  'responseCode',
  'responseMessage',
  'threadName',
  'dataType',
  'success',
] as const;

/** The columns zdd needs; `responseCode` and `responseMessage` only say why a sample failed. */
const REQUIRED = ['timeStamp', 'elapsed', 'label', 'success'] as const;

interface Columns {
  readonly timeStamp: number;
  readonly elapsed: number;
  readonly label: number;
  readonly success: number;
  readonly responseCode?: number;
  readonly responseMessage?: number;
  /** `Connect` (ms to open the connection, JMeter ≥ 2.13 with `jmeter.save.saveservice.connect_time=true`). */
  readonly connect?: number;
  /** Fields per row: the header's count, or at least 8 without a header. */
  readonly count?: number;
}

export interface JtlSamples {
  readonly samples: Sample[];
  /** Labels in the order they first appear. */
  readonly labels: string[];
  readonly hasHeader: boolean;
  readonly delimiter: string;
}

export class JtlReader {
  private records: CsvRecords | undefined;
  private columns: Columns | undefined;
  private hasHeader = false;
  private delimiter = ',';
  private readonly samples: Sample[] = [];
  private readonly labels = new Map<string, number>();
  /** The last record, checked only once it is known not to be a cut-off last line. */
  private pending: CsvRecord | undefined;
  /** Characters of the record a quoted field holds open across lines. */
  private openChars = 0;

  /**
   * `latency`: `total` reads `elapsed` as it is (connecting included); `duration` takes the `Connect` column
   * out of it (the request then starts once connected), and needs that column. @default 'total'
   */
  constructor(
    private readonly file: string,
    private readonly latency: LatencyMeasure = 'total',
  ) {}

  push(line: string, number: number): void {
    if (this.records === undefined) {
      if (line.trim() === '') return;
      this.start(line, number);
    }
    this.records?.push(line, number);
    // A quoted field that never closes gathers the lines after it into one record: bounded like one line.
    const open = this.records?.unterminatedAt();
    this.openChars = open === undefined ? 0 : this.openChars + line.length + 1;
    if (open !== undefined && this.openChars > MAX_INPUT_BYTES) {
      throw new InputFileError(
        this.file,
        `a quoted field opens here and runs on for more than ${MAX_INPUT_TEXT}: its closing quote is missing`,
        open,
      );
    }
  }

  /** `endsWithNewline` false: the last row may have been cut off while JMeter wrote it. */
  finish(endsWithNewline: boolean): JtlSamples {
    const open = this.records?.unterminatedAt();
    if (open !== undefined) {
      throw new InputFileError(this.file, 'a quoted field opens here and never closes: the file is cut off', open);
    }
    if (this.pending) this.row(this.pending, !endsWithNewline);
    if (this.samples.length === 0) {
      throw new InputFileError(this.file, this.hasHeader ? 'has a header line but no results' : 'is empty');
    }
    const first = this.samples.reduce((min, sample) => Math.min(min, sample.epochMs), Number.POSITIVE_INFINITY);
    return {
      samples: this.samples.map((sample) => ({
        ...sample,
        startMs: sample.epochMs - first,
        scheduledMs: sample.epochMs - first,
      })),
      labels: [...this.labels.keys()],
      hasHeader: this.hasHeader,
      delimiter: this.delimiter,
    };
  }

  /** The first line decides: a header, or JMeter's default columns without one. */
  private start(line: string, number: number): void {
    if (line.startsWith('<?xml') || line.startsWith('<testResults')) {
      throw new InputFileError(
        this.file,
        'JMeter results in XML: zdd reads the CSV format (jmeter.save.saveservice.output_format=csv, JMeter’s default)',
        number,
      );
    }
    const header = /^"?timeStamp"?([^\w"])/.exec(line);
    if (header) {
      this.hasHeader = true;
      this.delimiter = header[1] as string;
    } else {
      const delimiter = /^\d+([^\d])/.exec(line)?.[1];
      if (delimiter === undefined) {
        throw new InputFileError(
          this.file,
          `neither a JMeter CSV header (timeStamp,elapsed,label,…) nor a row of JMeter’s default columns starting with timeStamp in epoch milliseconds: ${quote(line)}`,
          number,
        );
      }
      if (delimiter === '/' || delimiter === '-' || delimiter === ':' || delimiter === ' ' || delimiter === '.') {
        throw new InputFileError(
          this.file,
          `timeStamp ${quote(line.split(/[,\t;|]/)[0] ?? line)} is not in epoch milliseconds: zdd reads JMeter’s default jmeter.save.saveservice.timestamp_format=ms`,
          number,
        );
      }
      this.delimiter = delimiter;
      this.refuseDuration('has no header line, so no column is known to be Connect');
      this.columns = {
        timeStamp: 0,
        elapsed: 1,
        label: 2,
        responseCode: 3,
        responseMessage: 4,
        success: 7,
      };
    }
    this.records = new CsvRecords(this.delimiter, (record) => this.record(record));
  }

  private record(record: CsvRecord): void {
    if (this.columns === undefined) {
      this.columns = this.headerColumns(record);
      return;
    }
    // A row is checked when the next one comes: the last may be a cut-off line, which is said as such.
    if (this.pending) this.row(this.pending, false);
    this.pending = record;
  }

  private headerColumns(record: CsvRecord): Columns {
    const index = (name: string) => {
      const found = record.fields.indexOf(name);
      return found === -1 ? undefined : found;
    };
    const missing = REQUIRED.filter((name) => index(name) === undefined);
    if (missing.length > 0) {
      throw new InputFileError(
        this.file,
        `the header line has no ${missing.join(', ')} column${missing.length === 1 ? '' : 's'} (zdd needs ${REQUIRED.join(', ')}; it has ${record.fields.join(', ')})`,
        record.line,
      );
    }
    const responseCode = index('responseCode');
    const responseMessage = index('responseMessage');
    const connect = index('Connect');
    if (connect === undefined) this.refuseDuration('has no Connect column');
    return {
      timeStamp: index('timeStamp') as number,
      elapsed: index('elapsed') as number,
      label: index('label') as number,
      success: index('success') as number,
      ...(responseCode !== undefined && { responseCode }),
      ...(responseMessage !== undefined && { responseMessage }),
      ...(connect !== undefined && { connect }),
      count: record.fields.length,
    };
  }

  /** `--latency duration` takes connecting out of `elapsed`: it needs the file's Connect column. */
  private refuseDuration(why: string): void {
    if (this.latency !== 'duration') return;
    throw new UsageError(
      `--latency duration: ${this.file} ${why}: the time to connect cannot be taken out of elapsed (JMeter writes Connect with a header line and jmeter.save.saveservice.connect_time=true); --latency total reads elapsed as it is`,
    );
  }

  private row(record: CsvRecord, mayBeCutOff: boolean): void {
    const columns = this.columns as Columns;
    const { fields, line } = record;
    const fail = (problem: string) => {
      throw new InputFileError(
        this.file,
        mayBeCutOff ? `${problem}; the last line is cut off: the file is truncated` : problem,
        line,
      );
    };
    const expected = columns.count ?? DEFAULT_COLUMNS.length;
    if (columns.count !== undefined ? fields.length !== expected : fields.length < expected) {
      fail(
        `${fields.length} field${fields.length === 1 ? '' : 's'} where ${columns.count !== undefined ? 'the header has' : 'JMeter’s default columns are at least'} ${expected}`,
      );
    }
    const field = (index: number | undefined) => (index === undefined ? '' : (fields[index] ?? ''));
    const timeStamp = field(columns.timeStamp);
    if (!/^\d+$/.test(timeStamp)) {
      fail(
        `timeStamp ${quote(timeStamp)} is not in epoch milliseconds (jmeter.save.saveservice.timestamp_format=ms, JMeter’s default)`,
      );
    }
    const elapsed = field(columns.elapsed);
    if (!/^\d+$/.test(elapsed)) fail(`elapsed ${quote(elapsed)} is not a number of milliseconds`);
    const success = field(columns.success).toLowerCase();
    if (success !== 'true' && success !== 'false')
      fail(`success ${quote(field(columns.success))} is neither true nor false`);
    let connectMs = 0;
    if (this.latency === 'duration') {
      const connect = field(columns.connect);
      if (!/^\d+$/.test(connect)) fail(`Connect ${quote(connect)} is not a number of milliseconds`);
      // Connecting may have failed after elapsed was taken: never a negative latency.
      connectMs = Math.min(Number(connect), Number(elapsed));
    }
    const label = field(columns.label);
    if (!this.labels.has(label)) this.labels.set(label, this.labels.size);
    const code = field(columns.responseCode);
    this.samples.push({
      target: label,
      scheduledMs: 0,
      startMs: 0,
      epochMs: Number(timeStamp) + connectMs,
      latencyMs: Number(elapsed) - connectMs,
      status: jmeterStatus(code),
      ...(success === 'false' && { error: jmeterErrorKind(code, field(columns.responseMessage)) }),
    });
  }
}

function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return `\`${shown}\``;
}
