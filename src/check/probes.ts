import { HTTP_GET_DEFAULTS, PROBE_DEFAULTS } from '../kubernetes/defaults.js';
import type { FieldPath } from '../kubernetes/object.js';
import type { Fields } from './fields.js';

/** A port as a probe or a Service names it: a number, or the name of a container port. */
export type PortReference = number | string;

/** What a probe does, with the API's defaults filled in. */
export type ProbeAction =
  | {
      readonly type: 'httpGet';
      readonly port: PortReference | undefined;
      readonly path: string;
      readonly scheme: string;
      readonly host: string;
      readonly headers: string;
    }
  | { readonly type: 'tcpSocket'; readonly port: PortReference | undefined; readonly host: string }
  | { readonly type: 'grpc'; readonly port: number | undefined; readonly service: string }
  | { readonly type: 'exec'; readonly command: readonly string[] }
  | { readonly type: 'none' };

/** A probe as the kubelet runs it: every timing filled in with its default. */
export interface Probe {
  readonly action: ProbeAction;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  /** Where it is written. */
  readonly path: FieldPath;
}

/** The probe written at `fields`, defaulted; undefined when there is none. */
export function readProbe(fields: Fields): Probe | undefined {
  if (fields.record([]) === undefined) return undefined;
  return {
    action: readAction(fields),
    initialDelaySeconds: fields.integer(['initialDelaySeconds'], PROBE_DEFAULTS.initialDelaySeconds),
    periodSeconds: fields.integer(['periodSeconds'], PROBE_DEFAULTS.periodSeconds, 1),
    timeoutSeconds: fields.integer(['timeoutSeconds'], PROBE_DEFAULTS.timeoutSeconds, 1),
    successThreshold: fields.integer(['successThreshold'], PROBE_DEFAULTS.successThreshold, 1),
    failureThreshold: fields.integer(['failureThreshold'], PROBE_DEFAULTS.failureThreshold, 1),
    path: fields.path(),
  };
}

function readAction(fields: Fields): ProbeAction {
  if (fields.has(['httpGet'])) {
    const headers = fields
      .list(['httpGet', 'httpHeaders'])
      .map((header) => JSON.stringify(header))
      .join(',');
    return {
      type: 'httpGet',
      port: fields.intOrString(['httpGet', 'port']),
      path: fields.string(['httpGet', 'path']) || HTTP_GET_DEFAULTS.path,
      scheme: fields.string(['httpGet', 'scheme']) || HTTP_GET_DEFAULTS.scheme,
      host: fields.string(['httpGet', 'host']) ?? '',
      headers,
    };
  }
  if (fields.has(['tcpSocket'])) {
    return {
      type: 'tcpSocket',
      port: fields.intOrString(['tcpSocket', 'port']),
      host: fields.string(['tcpSocket', 'host']) ?? '',
    };
  }
  if (fields.has(['grpc'])) {
    return {
      type: 'grpc',
      port: fields.optionalInteger(['grpc', 'port'], 1),
      service: fields.string(['grpc', 'service']) ?? '',
    };
  }
  if (fields.has(['exec'])) {
    return { type: 'exec', command: fields.list(['exec', 'command']).map(String) };
  }
  return { type: 'none' };
}

/** The port a probe action connects to, if it has one. */
export function probePort(action: ProbeAction): PortReference | undefined {
  return action.type === 'httpGet' || action.type === 'tcpSocket' || action.type === 'grpc' ? action.port : undefined;
}

/**
 * Whether two probes do the same thing on the same schedule once defaulted:
 * `port: http` and `port: 8080` are the same when the container names 8080
 * `http`, and a left-out `periodSeconds` is the same as `periodSeconds: 10`.
 */
export function sameProbe(a: Probe, b: Probe, resolvePort: (port: PortReference) => PortReference): boolean {
  const key = (probe: Probe) => {
    const port = probePort(probe.action);
    const action = port === undefined ? probe.action : { ...probe.action, port: resolvePort(port) };
    const { path: _where, ...timings } = probe;
    return JSON.stringify({ ...timings, action });
  };
  return key(a) === key(b);
}

/** A short description: `httpGet /healthz on port 8080`. */
export function describeProbeAction(action: ProbeAction): string {
  switch (action.type) {
    case 'httpGet':
      return `httpGet ${action.path} on port ${String(action.port)}`;
    case 'tcpSocket':
      return `tcpSocket on port ${String(action.port)}`;
    case 'grpc':
      return `grpc on port ${String(action.port)}`;
    case 'exec':
      return `exec ${JSON.stringify(action.command.join(' '))}`;
    case 'none':
      return 'no action';
  }
}
