import { cutText, UsageError } from '../runtime/errors.js';

/** Checks on numeric flag values; each error names the flag, the rule and the value. */

export function positive(flag: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`${flag}: expected a number > 0, got ${value}`);
  return value;
}

export function atLeast(flag: string, value: number, min: number): number {
  if (!(value >= min) || !Number.isFinite(value))
    throw new UsageError(`${flag}: expected a number ≥ ${min}, got ${value}`);
  return value;
}

export function integer(flag: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`${flag}: expected an integer ≥ ${min}, got ${value}`);
  return value;
}

export function percent(flag: string, value: number): number {
  if (!(value >= 0 && value <= 100)) throw new UsageError(`${flag}: expected a percentage from 0 to 100, got ${value}`);
  return value;
}

export function port(flag: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new UsageError(`${flag}: expected a port number from 1 to 65535, got ${value}`);
  }
  return value;
}

const HOST_AND_PORT = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d+)$/;

/** Whether `text` is `HOST:PORT` as `hostAndPort` takes it (for values of a file rather than a flag). */
export function isHostAndPort(text: string): boolean {
  const port = Number(HOST_AND_PORT.exec(text)?.[2]);
  return port >= 1 && port <= 65535;
}

/** `HOST:PORT`: a host name, an IPv4 address or an IPv6 one in brackets, and a port from 1 to 65535. */
export function hostAndPort(flag: string, text: string): string {
  const match = HOST_AND_PORT.exec(text);
  if (!match) throw new UsageError(`${flag}: expected HOST:PORT, got ${JSON.stringify(cutText(text))}`);
  checkPortIn(flag, text, match[2] ?? '');
  return text;
}

/** The port an `http://HOST:PORT/` URL names (as typed: `new URL` refuses one above 65535), checked like `port`. */
export function urlPort(flag: string, url: string): void {
  const typed = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@]*@)?(?:\[[^\]]*\]|[^/:?#]*):(\d+)(?:[/?#]|$)/i.exec(url)?.[1];
  if (typed !== undefined) checkPortIn(flag, url, typed);
}

function checkPortIn(flag: string, text: string, digits: string): void {
  const value = Number(digits);
  if (value < 1 || value > 65535) {
    throw new UsageError(`${flag}: the port in ${JSON.stringify(cutText(text))} must be from 1 to 65535`);
  }
}
