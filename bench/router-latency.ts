/**
 * The router's added latency: the same open-model load (500 req/s) straight to
 * a pod and through the router, in one run; figures are the differences of
 * the medians and p99s. Target: ≤ 0.5 ms added at the median.
 *
 *   npm run bench
 */
import { createServer, type Server } from 'node:http';
import { BuiltinRouter } from '../src/cluster/router/builtin-router.js';
import { OPENSHIFT_ROUTER_TIMINGS, type RouterBackend } from '../src/cluster/router/router.js';
import { runOpenModel } from '../src/load/open-model.js';
import { percentile } from '../src/load/summary.js';
import { ProcessSupervisor } from '../src/runtime/processes.js';
import { makeTempDir } from '../src/runtime/temp-dir.js';

const RATE = 500;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4000);
const ROUNDS = 3;

async function pod(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-pod': 'bench-pod' });
    res.end('{"pod":"bench-pod"}');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

async function latencies(url: string): Promise<number[]> {
  const { samples } = await runOpenModel({ targets: [{ name: 'bench', url }], rate: RATE, durationMs: DURATION_MS });
  const failed = samples.filter((sample) => sample.error !== undefined).length;
  if (failed > 0) throw new Error(`${failed} requests failed against ${url}`);
  return samples.map((sample) => sample.latencyMs).sort((a, b) => a - b);
}

async function routerUrl(router: RouterBackend, port: number): Promise<string> {
  const ports = await router.start(['bench']);
  await router.apply(new Map([['bench', [{ id: 'bench-pod', host: '127.0.0.1', port }]]]));
  return `http://127.0.0.1:${ports.get('bench')}/`;
}

const target = await pod();
const direct = `http://127.0.0.1:${target.port}/`;
const routers: Array<{ name: string; router: RouterBackend }> = [
  { name: 'builtin', router: new BuiltinRouter({ timings: OPENSHIFT_ROUTER_TIMINGS }) },
];
const supervisor = new ProcessSupervisor();
const haproxyDir = makeTempDir('bench-haproxy');
const { HaproxyRouter } = await import('../src/cluster/router/haproxy-router.js');
if (await HaproxyRouter.available()) {
  routers.push({
    name: 'haproxy',
    router: new HaproxyRouter({
      supervisor,
      timings: OPENSHIFT_ROUTER_TIMINGS,
      workDir: haproxyDir.path,
    }),
  });
} else {
  console.log('haproxy: not installed, skipped (apt-get install haproxy)');
}
const nginxDir = makeTempDir('bench-nginx');
const { NginxRouter } = await import('../src/cluster/router/nginx-router.js');
if (await NginxRouter.available()) {
  routers.push({
    name: 'nginx',
    router: new NginxRouter({ supervisor, timings: OPENSHIFT_ROUTER_TIMINGS, workDir: nginxDir.path }),
  });
} else {
  console.log('nginx: not installed, skipped (apt-get install nginx)');
}
try {
  const urls = await Promise.all(
    routers.map(async ({ name, router }) => ({ name, url: await routerUrl(router, target.port) })),
  );
  console.log(
    `router added latency, ${RATE} req/s open model, ${ROUNDS} rounds of ${DURATION_MS} ms each (direct, then each router)`,
  );
  const rows: Record<string, { median: number[]; p99: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const base = await latencies(direct);
    for (const { name, url } of urls) {
      const via = await latencies(url);
      rows[name] ??= { median: [], p99: [] };
      rows[name].median.push(percentile(via, 50) - percentile(base, 50));
      rows[name].p99.push(percentile(via, 99) - percentile(base, 99));
    }
  }
  const middle = (values: readonly number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const builtinMedian = middle(rows.builtin?.median ?? []);
  for (const [name, row] of Object.entries(rows)) {
    const median = middle(row.median);
    const p99 = middle(row.p99);
    const verdict = median <= 0.5 ? 'meets' : 'misses';
    // The real proxies against the emulation, measured in the same run on the same machine.
    const ratio = name === 'builtin' ? '' : `, ${(median / builtinMedian).toFixed(2)}× the builtin's`;
    console.log(
      `${name.padEnd(8)} added median ${median.toFixed(3)} ms (target ≤ 0.5 ms: ${verdict}, ${(median / 0.5).toFixed(2)}× the budget${ratio}), added p99 ${p99.toFixed(3)} ms`,
    );
  }
} finally {
  for (const { router } of routers) await router.stop();
  supervisor.close();
  haproxyDir.remove();
  nginxDir.remove();
  target.server.close();
  target.server.closeAllConnections();
}
