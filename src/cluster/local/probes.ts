import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { canConnect } from '../../runtime/can-connect.js';
import type { HandlerSpec, ProbeSpec } from './objects.js';

/** What a probe or hook needs from its pod. */
export interface PodContext {
  /** The loopback port of a container port (number or name), if the container exposes it. */
  hostPort(port: number | string): number | undefined;
  /** Runs an exec command in the pod (mapped to a local command); resolves with the exit code. */
  exec(command: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<number | null>;
}

/** One probe attempt; true on success. HTTP: 200–399 within the timeout. */
export async function probeOnce(
  spec: ProbeSpec | HandlerSpec,
  pod: PodContext,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  if (spec.httpGet) {
    const port = pod.hostPort(spec.httpGet.port);
    if (port === undefined) return false;
    return httpGet(port, spec.httpGet.path, timeoutMs, spec.httpGet.scheme === 'HTTPS');
  }
  if ('tcpSocket' in spec && spec.tcpSocket) {
    const port = pod.hostPort(spec.tcpSocket.port);
    return port === undefined ? false : canConnect('127.0.0.1', port, timeoutMs);
  }
  if (spec.exec) return (await pod.exec(spec.exec.command, timeoutMs, signal)) === 0;
  return false;
}

function httpGet(port: number, path: string, timeoutMs: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    // The kubelet does not verify the certificate of an HTTPS probe.
    const send = tls ? httpsRequest : request;
    const options = {
      host: '127.0.0.1',
      port,
      path,
      method: 'GET',
      agent: false,
      timeout: timeoutMs,
      rejectUnauthorized: false,
    };
    const req = send(options, (res) => {
      res.resume();
      res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('probe timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Resolves with the exit code of `child` (null when killed by a signal). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
}

/** Kubelet probe bookkeeping: consecutive successes and failures against the thresholds. */
export class ProbeState {
  private successes = 0;
  private failures = 0;

  constructor(
    private readonly spec: Pick<ProbeSpec, 'successThreshold' | 'failureThreshold'>,
    public passing: boolean,
  ) {}

  /** Records a result; returns true when `passing` changed. */
  record(ok: boolean): boolean {
    if (ok) {
      this.failures = 0;
      this.successes += 1;
      if (!this.passing && this.successes >= this.spec.successThreshold) return this.flip(true);
    } else {
      this.successes = 0;
      this.failures += 1;
      if (this.passing && this.failures >= this.spec.failureThreshold) return this.flip(false);
    }
    return false;
  }

  private flip(passing: boolean): boolean {
    this.passing = passing;
    return true;
  }
}
