import { LoadOptionError } from './errors.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A load target's URL: http:// on the loopback interface, unless `allowRemote`
 * (a real cluster's routes, which the user named with --target cluster).
 */
export function checkTargetUrl(option: string, value: unknown, allowRemote = false): void {
  const rule = allowRemote ? 'an http:// URL' : 'an http:// URL on 127.0.0.1, localhost or [::1]';
  if (typeof value !== 'string' || !URL.canParse(value)) throw new LoadOptionError(option, rule, value);
  const url = new URL(value);
  if (url.protocol !== 'http:') throw new LoadOptionError(option, rule, value);
  if (!allowRemote && !LOOPBACK_HOSTS.has(url.hostname)) throw new LoadOptionError(option, rule, value);
}

/** A Host header value: a host name or address, with an optional port. */
export function checkHostHeader(option: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(value)) {
    throw new LoadOptionError(option, 'a host name, optionally with :port', value);
  }
}
