import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jmeterErrorKind } from '../../src/importers/jmeter/error-kind.js';
import { JtlReader } from '../../src/importers/jmeter/jtl-reader.js';
import { summarizeTarget } from '../../src/load/summary.js';
import { JMETER } from '../helpers/report-fixtures.js';

function read(text: string, file = 'run.jtl') {
  const reader = new JtlReader(file);
  text.split('\n').forEach((line, index) => {
    reader.push(line, index + 1);
  });
  return reader.finish(text.endsWith('\n'));
}

const fixture = (name: string) => readFileSync(join(JMETER, name), 'utf8');

describe('JtlReader: JMeter CSV results as samples, one target per label', () => {
  test('the same run read from JMeter 2.13’s default columns, with a header, and with 3.x–5.x columns tab-separated', () => {
    const figures = (name: string) => {
      const { samples, labels } = read(fixture(name));
      return labels.map((label) => {
        const summary = summarizeTarget(samples.filter((sample) => sample.target === label));
        return [label, summary.requests, summary.failed, summary.byKind];
      });
    };
    const kinds = (kind: string) => ({
      refused: 0,
      reset: 0,
      timeout: 0,
      http_5xx: 0,
      http_4xx: 0,
      other: 0,
      ...(kind && { [kind]: 3 }),
    });
    const expected = [
      ['ok', 3, 0, kinds('')],
      ['http-503', 3, 3, kinds('http_5xx')],
      ['reset', 3, 3, kinds('reset')],
      ['timeout', 3, 3, kinds('timeout')],
      ['refused', 3, 3, kinds('refused')],
    ];
    expect(figures('errors.jtl')).toEqual(expected);
    expect(figures('errors.header.jtl')).toEqual(expected);
    expect(figures('errors.columns.jtl')).toEqual(expected);
    expect(read(fixture('errors.columns.jtl'))).toMatchObject({ hasHeader: true, delimiter: '\t' });
    expect(read(fixture('errors.jtl'))).toMatchObject({ hasHeader: false, delimiter: ',' });
  });

  test('a row: its start (timeStamp), its elapsed time, its status; failures by JMeter’s success field', () => {
    const { samples } = read(fixture('errors.jtl'));
    const first = fixture('errors.jtl').split('\n')[0]?.split(',') ?? [];
    expect(samples[0]).toEqual({
      target: 'ok',
      epochMs: Number(first[0]),
      startMs: 0,
      scheduledMs: 0,
      latencyMs: Number(first[1]),
      status: 200,
    });
    expect(samples[1]).toMatchObject({ target: 'http-503', status: 503, error: 'http_5xx' });
    expect(samples[2]).toMatchObject({ target: 'reset', status: 0, error: 'reset' });
  });

  test('quoted fields: a delimiter, a quote and a line break inside a field', () => {
    const text = [
      'timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage',
      '1000,5,"a, b",200,OK,t 1-1,text,true,',
      '1010,7,"say ""hi""",500,"multi',
      'line",t 1-1,text,false,"x"',
      '',
    ].join('\n');
    const { samples, labels } = read(text);
    expect(labels).toEqual(['a, b', 'say "hi"']);
    expect(samples[1]).toMatchObject({ epochMs: 1010, latencyMs: 7, status: 500, error: 'http_5xx' });
  });

  test('an assertion that failed a 200 is a failure of kind other', () => {
    const text =
      'timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success\n1,2,x,200,OK,t,text,false\n';
    expect(read(text).samples[0]).toMatchObject({ status: 200, error: 'other' });
  });

  test.each([
    [
      '1,2,x,200,OK,t,text,true\n2,3,x,200,OK,t,text',
      'run.jtl, line 2: 7 fields where JMeter’s default columns are at least 8; the last line is cut off: the file is truncated',
    ],
    ['1,2,x,200,OK,t,text,yes\n', 'run.jtl, line 1: success `yes` is neither true nor false'],
    ['1,two,x,200,OK,t,text,true\n', 'run.jtl, line 1: elapsed `two` is not a number of milliseconds'],
    ['timeStamp,elapsed,label\n1,2,x\n', 'run.jtl, line 1: the header line has no success column'],
    ['timeStamp,elapsed,label,success\n', 'run.jtl: has a header line but no results'],
    ['1,2,"x,200,OK,t,text,true\n', 'run.jtl, line 1: a quoted field opens here and never closes: the file is cut off'],
    ['label,elapsed\nx,1\n', 'run.jtl, line 1: neither a JMeter CSV header'],
  ])('%j: %s', (text, message) => {
    expect(() => read(text)).toThrow(message);
  });
});

describe('jmeterErrorKind: what JMeter wrote for a failed request', () => {
  test.each([
    ['503', 'Service Unavailable', 'http_5xx'],
    ['404', 'Not Found', 'http_4xx'],
    ['200', 'OK', 'other'],
    ['Non HTTP response code: java.net.ConnectException', 'Non HTTP response message: Connection refused', 'refused'],
    ['Non HTTP response code: java.net.SocketException', 'Non HTTP response message: Connection reset', 'reset'],
    [
      'Non HTTP response code: org.apache.http.NoHttpResponseException',
      'Non HTTP response message: 127.0.0.1:42743 failed to respond',
      'reset',
    ],
    ['Non HTTP response code: java.net.SocketTimeoutException', 'Non HTTP response message: Read timed out', 'timeout'],
    [
      'Non HTTP response code: org.apache.http.conn.ConnectTimeoutException',
      'Non HTTP response message: Connect to x timed out',
      'timeout',
    ],
    ['Non HTTP response code: java.net.UnknownHostException', 'Non HTTP response message: nope', 'other'],
  ])('%s / %s → %s', (code, message, kind) => {
    expect(jmeterErrorKind(code, message)).toBe(kind);
  });
});
