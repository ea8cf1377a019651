import { createServer, request, type Server } from 'node:http';
import type { LocalCluster } from '../../cluster/local/local-cluster.js';
import type { RolloutResult } from '../../cluster/rollout-result.js';
import { SetupError, UsageError } from '../../runtime/errors.js';

/**
 * The small HTTP API `zdd local up` serves on 127.0.0.1 so that other
 * terminals can drive the cluster: `zdd local rollout` and `zdd local events`.
 *   GET  /status                        routes and workloads
 *   POST /rollout?workload=A&workload=B  rolls them out at the same moment (every name checked first);
 *                                        answers with one result each when all completed or failed
 *   POST /rollout/<name>                 the same for one workload
 *   GET  /events?since=N                 events from index N on
 */
export const DEFAULT_CONTROL_PORT = 7878;

/** A rollout can take minutes; the control API answers `POST /rollout` when it has ended. */
const ROLLOUT_TIMEOUT_MS = 30 * 60 * 1000;

export function serveControl(cluster: LocalCluster, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    if (req.method === 'GET' && url.pathname === '/status') {
      return reply(200, {
        routes: cluster.listRoutes(),
        workloads: cluster.listWorkloads().map((name) => ({
          name,
          pods: cluster.pods(name).map((pod) => ({
            name: pod.name,
            phase: pod.phase,
            ready: pod.ready,
            pid: pod.pid,
            port: pod.endpointPort,
          })),
        })),
        processes: cluster.processIds,
      });
    }
    if (req.method === 'GET' && url.pathname === '/events') {
      const since = Number(url.searchParams.get('since') ?? 0);
      return reply(200, cluster.events.all().slice(Number.isInteger(since) && since > 0 ? since : 0));
    }
    const rollout = /^\/rollout(?:\/([^/]*))?$/.exec(url.pathname);
    if (req.method === 'POST' && rollout) {
      const one = rollout[1] === undefined || rollout[1] === '' ? undefined : safeDecode(rollout[1]);
      const names = one === undefined ? url.searchParams.getAll('workload') : [one];
      if (names.length === 0 || names.includes('')) {
        return reply(400, {
          error: `the workload to roll out is missing: POST /rollout/<workload>; the local cluster runs ${cluster.listWorkloads().join(', ') || 'none'}`,
        });
      }
      let rollouts: Promise<RolloutResult>[];
      try {
        rollouts = cluster.rolloutAll(names);
      } catch (error) {
        return reply(400, { error: error instanceof Error ? error.message : String(error) });
      }
      Promise.all(rollouts)
        .then((results) => reply(200, one === undefined ? results : results[0]))
        .catch((error: unknown) => reply(500, { error: error instanceof Error ? error.message : String(error) }));
      return;
    }
    reply(404, {
      error: `no such endpoint: ${req.method} ${url.pathname}; the control API of "zdd local up" has GET /status, POST /rollout/<workload> and GET /events?since=N`,
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          error.code === 'EADDRINUSE'
            ? `--control-port: 127.0.0.1:${port} is in use (is another "zdd local up" running?); choose another port`
            : `--control-port: cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A path segment as sent; one that is not valid percent-encoding is taken as typed. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Calls the control API of a running `zdd local up`. */
export function callControl<T>(port: number, method: 'GET' | 'POST', path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        let body: (T & { error?: string }) | undefined;
        try {
          body = JSON.parse(text) as T & { error?: string };
        } catch {
          body = undefined;
        }
        const isControlApi = res.headers['content-type'] === 'application/json' && body !== undefined;
        if (!isControlApi) {
          reject(
            new SetupError(
              `something answers on 127.0.0.1:${port} (HTTP ${res.statusCode}), but it is not the control API of "zdd local up"; pass the --control-port that "zdd local up" uses`,
            ),
          );
        } else if ((res.statusCode ?? 500) >= 500) {
          // The cluster failed, not the request.
          reject(new SetupError(`the local cluster failed: ${body?.error ?? `HTTP ${res.statusCode}`}`));
        } else if ((res.statusCode ?? 500) >= 400) {
          reject(new UsageError(body?.error ?? `HTTP ${res.statusCode}`));
        } else resolve(body as T);
      });
    });
    req.setTimeout(method === 'GET' ? 10_000 : ROLLOUT_TIMEOUT_MS, () =>
      req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new SetupError(
          error.code === 'ECONNREFUSED'
            ? `no local cluster answers on 127.0.0.1:${port}; start one with "zdd local up" (or pass its --control-port)`
            : error.code === 'ETIMEDOUT' || error.code === 'ECONNRESET' || error.code?.startsWith('HPE_')
              ? `something on 127.0.0.1:${port} does not answer as the control API of "zdd local up" does (${error.code}); pass the --control-port that "zdd local up" uses`
              : `cannot reach the local cluster on 127.0.0.1:${port}: ${error.code ?? error.message}`,
        ),
      ),
    );
    req.end();
  });
}
