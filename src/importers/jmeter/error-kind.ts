/**
 * The error kind of a failed JMeter sample, from its `responseCode` and
 * `responseMessage`. An HTTP status says it; a request that got no response has
 * "Non HTTP response code: <Java exception>" and "Non HTTP response message:
 * <its message>" (HTTPSamplerBase.errorResult), e.g. java.net.ConnectException
 * "Connection refused", java.net.SocketException "Connection reset",
 * org.apache.http.NoHttpResponseException "<host> failed to respond" (the
 * server closed a kept-alive connection without answering),
 * java.net.SocketTimeoutException "Read timed out". Pure.
 */
import { classifyStatus, type ErrorKind } from '../../load/sample.js';

export function jmeterErrorKind(responseCode: string, responseMessage: string): ErrorKind {
  const status = Number(responseCode);
  if (/^\d{3}$/.test(responseCode)) return classifyStatus(status) ?? 'other';
  const text = `${responseCode} ${responseMessage}`;
  if (/ConnectException|Connection refused/i.test(text)) return 'refused';
  if (/TimeoutException|timed out/i.test(text)) return 'timeout';
  if (
    /NoHttpResponseException|failed to respond|Connection reset|Broken pipe|SocketException|Premature end|EOFException/i.test(
      text,
    )
  ) {
    return 'reset';
  }
  return 'other';
}

/** The HTTP status of a sample: its code when numeric, else 0 (no response). */
export function jmeterStatus(responseCode: string): number {
  return /^\d{3}$/.test(responseCode) ? Number(responseCode) : 0;
}
