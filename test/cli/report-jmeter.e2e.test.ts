import { readdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { zdd } from '../helpers/cli.js';
import { findJMeter, JMETER_INSTALL, runJMeter } from '../helpers/jmeter.js';
import { tempFolders } from '../helpers/report-fixtures.js';
import { boxed, flat } from '../helpers/terminal-text.js';

/**
 * Real JMeter (Debian's 2.13) against two tiny servers on 127.0.0.1, then `zdd report --from` on what it wrote:
 * zdd must count what the servers saw.
 */
const temp = tempFolders();
const skip = findJMeter() === undefined;
const PLAN = fileURLToPath(new URL('../fixtures/importers/rollout.jmx', import.meta.url));

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** A server that answers 503 to every `every`-th request (never when 0) and counts what it answered. */
async function server(every: number): Promise<{ port: number; counts: { requests: number; unavailable: number } }> {
  const counts = { requests: 0, unavailable: 0 };
  const instance = http.createServer((_request, response) => {
    counts.requests++;
    if (every > 0 && counts.requests % every === 0) {
      counts.unavailable++;
      response.statusCode = 503;
    }
    response.end('ok');
  });
  servers.push(instance);
  await new Promise<void>((resolve) => instance.listen(0, '127.0.0.1', resolve));
  return { port: (instance.address() as AddressInfo).port, counts };
}

describe('zdd report --from a JMeter file written here', () => {
  test.skipIf(skip)(
    `the table counts what the servers answered; the verdict judges the zero-downtime label ${skip ? `(skipped: JMeter is not installed: ${JMETER_INSTALL})` : ''}`,
    async () => {
      const dir = await temp.folder();
      const defaults = await server(4);
      const zeroDowntime = await server(0);
      const results = join(dir, 'run.jtl');
      await runJMeter({
        plan: PLAN,
        results,
        log: join(dir, 'jmeter.log'),
        properties: {
          default_port: defaults.port,
          zero_downtime_port: zeroDowntime.port,
          // At least the 100 requests a label that a verdict needs (one every 20 ms or so for 5 s).
          threads: 1,
          duration: 5,
          pause: 20,
        },
      });
      const result = await zdd(['report', '--from', results, '--wide']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(zeroDowntime.counts.requests).toBeGreaterThanOrEqual(100);
      const { requests, unavailable } = defaults.counts;
      expect(boxed(result.stdout)).toMatch(
        new RegExp(
          `│ default-app\\s+│ ${requests}\\s+│ [\\d.]+\\s+│ ${((unavailable / requests) * 100).toFixed(2)} %.*│ ${unavailable}\\s+│ 0\\s+│`,
        ),
      );
      expect(boxed(result.stdout)).toMatch(
        new RegExp(`│ zero-downtime-app\\s+│ ${zeroDowntime.counts.requests}\\s+│ [\\d.]+\\s+│ 0\\.00 %`),
      );
      expect(flat(result.stdout)).toContain(
        `PASS: zero-downtime-app failed 0 of ${zeroDowntime.counts.requests} requests`,
      );
      expect((await readdir(join(dir, 'run-report'))).sort()).toEqual(['report.html', 'report.md', 'timeline.svg']);
    },
  );
});
