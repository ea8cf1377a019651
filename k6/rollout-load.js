/**
 * zdd's rollout load: the same open-model load on every target while the
 * variants are redeployed, one constant-arrival-rate scenario per target.
 *
 * zdd runs it (see src/load/k6/args.ts); it also runs on its own:
 *
 *   k6 run k6/rollout-load.js \
 *     -e TARGETS='[{"name":"default","url":"http://127.0.0.1:8080/"},{"name":"zero-downtime","url":"http://127.0.0.1:8081/"}]' \
 *     -e RATE=50 -e DURATION=30s
 *
 * Environment (-e NAME=value):
 *   TARGETS           required. JSON array of {"name", "url", "connection"?}; a name becomes the `variant` tag of
 *                     its requests. `connection`: "reused" (default; keep-alive connections, reused by the VU's
 *                     later requests) or "new" (a new connection per request: `Connection: close`); it becomes
 *                     the `connection` tag. The same name may appear once per connection pattern. `host`:
 *                     the Host header to send, when the URL is a router's address (optional).
 *   RATE              required. Requests per second per target (> 0; fractions down to 0.001/s).
 *   DURATION          how long each scenario starts requests, e.g. "30s". Default "120s" (zdd stops k6 earlier
 *                     through the REST API).
 *   TIMEOUT           per-request timeout, e.g. "10s" or "500ms". Default "10s".
 *   GATED             comma-separated target names whose error rate is a threshold (zdd gates only the
 *                     zero-downtime variant). Default: none.
 *   MAX_ERROR_RATE    the largest error rate (0..1) a gated target may have. Default 0.
 *   MAX_VUS           VUs per scenario. Default RATE × (TIMEOUT + 1 s): enough for every request to time out.
 *   PRE_ALLOCATED_VUS VUs initialised before the start. Default MAX_VUS for "new" targets, and for "reused"
 *                     ones RATE × 0.5 s + 1 (see REUSE_VUS below).
 *   SUMMARY_FILE      where handleSummary() writes the end-of-test data as JSON; without it, a short text
 *                     summary goes to stdout.
 *   SAMPLES           "log": each request also prints one `zdd-sample {…}` line on the console, and the summary
 *                     ends with a `zdd-summary {…}` line (this k6's http_reqs and dropped iterations): how zdd
 *                     reads the runners the k6-operator starts, from their pods' logs (run them with
 *                     --log-format=raw). Default: none (zdd reads --out json).
 *
 * No remote imports (jslib): zdd runs where there is no internet.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';

const TARGETS = parseTargets(__ENV.TARGETS);
const RATE = parseRate(__ENV.RATE);
const DURATION = __ENV.DURATION || '120s';
const TIMEOUT = __ENV.TIMEOUT || '10s';
const TIMEOUT_MS = parseDurationMs('TIMEOUT', TIMEOUT);
const GATED = (__ENV.GATED || '')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
const MAX_ERROR_RATE = parseErrorRate(__ENV.MAX_ERROR_RATE || '0');
const LOG_SAMPLES = __ENV.SAMPLES === 'log';
// Enough VUs for every request to hang until its timeout (a dead target) without one being dropped, all
// initialised up front: k6 drops the iterations that find no free VU while it initialises another one (a run
// against a hanging server at 20/s with 20 pre-allocated VUs dropped 21 of 77 iterations in 4 s). Each VU
// costs about 250 kB (1100 VUs: ~280 MB resident).
const MAX_VUS = parseCount('MAX_VUS', __ENV.MAX_VUS, Math.ceil(RATE * (TIMEOUT_MS / 1000 + 1)));
const PRE_ALLOCATED_VUS = Math.min(MAX_VUS, parseCount('PRE_ALLOCATED_VUS', __ENV.PRE_ALLOCATED_VUS, MAX_VUS));
// Each VU has its own connection pool, and k6 hands iterations to its ready VUs in turn: with MAX_VUS of them a
// VU (and its keep-alive connection) would serve a request only every TIMEOUT + 1 s, and most "reused" requests
// would open a connection. Half a second's worth of VUs keeps each connection busy; k6 adds VUs (up to
// MAX_VUS) when responses slow down, dropping the iterations that find none ready meanwhile — counted in
// dropped_iterations, which zdd reports.
const REUSE_VUS = Math.min(
  MAX_VUS,
  parseCount('PRE_ALLOCATED_VUS', __ENV.PRE_ALLOCATED_VUS, Math.ceil(RATE * 0.5) + 1),
);
for (const name of GATED) {
  if (!TARGETS.some((target) => target.name === name)) {
    throw new Error(`GATED names ${JSON.stringify(name)}, which is not a target in TARGETS`);
  }
}

export const options = {
  // No cookie is ever sent back (e.g. a router's sticky-session cookie), as with the built-in generator,
  // which has no cookie jar: each iteration is one request, and k6 empties the VU's cookie jar at the start
  // of every iteration unless noCookiesReset is true. Set explicitly because it is what keeps requests
  // independent (zdd also removes K6_* variables such as K6_NO_COOKIES_RESET from k6's environment).
  // `jar: new http.CookieJar()` per request would do the same with a jar per request; `jar: null` would
  // not: k6 then uses the VU's jar.
  noCookiesReset: false,
  // Follow no redirect: a 3xx is the response (the built-in generator does the same).
  maxRedirects: 0,
  // The body is read to its end (full latency, connection reuse) but not kept: saves memory.
  discardResponseBodies: true,
  // The trend columns the summary (and src/load/k6/summary.ts) reads.
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  scenarios: Object.fromEntries(TARGETS.map((target) => [scenarioName(target), scenario(target)])),
  thresholds: Object.fromEntries(TARGETS.flatMap(thresholds)),
};

/** One open-model scenario: a new request every 1/RATE s, whether or not earlier ones have finished. */
function scenario(target) {
  return {
    // Open model: iterations start on a fixed schedule; when no VU is free the iteration is dropped (and
    // counted in dropped_iterations), it never waits for a VU (no coordinated omission).
    executor: 'constant-arrival-rate',
    // One exported function shared by every target; the target comes from the scenario's env and tags.
    exec: 'request',
    // RATE iterations per timeUnit. `rate` is an integer: a fractional RATE becomes RATE × 1000 per 1000 s.
    rate: Number.isInteger(RATE) ? RATE : Math.round(RATE * 1000),
    timeUnit: Number.isInteger(RATE) ? '1s' : '1000s',
    // How long iterations are started.
    duration: DURATION,
    // VUs initialised before the start, and the most k6 may add when requests are slow.
    preAllocatedVUs: target.connection === 'reused' ? REUSE_VUS : PRE_ALLOCATED_VUS,
    maxVUs: MAX_VUS,
    // After `duration`, requests in flight may run to their timeout instead of being cut off.
    gracefulStop: `${TIMEOUT_MS + 1000}ms`,
    // Every metric of this scenario carries the target's name and connection pattern, so sub-metrics can
    // select them.
    tags: { variant: target.name, connection: target.connection },
    // __ENV.TARGET_URL, __ENV.CONNECTION, __ENV.TARGET_HOST and __ENV.TARGET_NAME in this scenario's VUs.
    env: {
      TARGET_URL: target.url,
      CONNECTION: target.connection,
      TARGET_HOST: target.host || '',
      TARGET_NAME: target.name,
    },
  };
}

/**
 * Per-target thresholds. k6 reports a sub-metric such as `http_req_failed{variant:x}` in the summary only
 * when a threshold is declared on it, so every variant gets always-true ones (`rate>=0`, `max>=0`,
 * `count>=0`), and each connection pattern of a gated variant the real one on its error rate: every pattern
 * must stay within the budget on its own.
 */
function thresholds(target) {
  const variant = `{variant:${target.name}}`;
  const pattern = `{variant:${target.name},connection:${target.connection}}`;
  const gated = GATED.includes(target.name);
  return [
    [`http_req_failed${variant}`, ['rate>=0']],
    [`http_reqs${variant}`, ['count>=0']],
    [`http_req_duration${variant}`, ['max>=0']],
    [`http_req_failed${pattern}`, gated ? [`rate<=${MAX_ERROR_RATE}`] : ['rate>=0']],
    // Dropped iterations carry the scenario tag only (not the scenario's own tags).
    [`dropped_iterations{scenario:${scenarioName(target)}}`, ['count>=0']],
  ];
}

/**
 * One request to this scenario's target. zdd reads the per-request points of `--out json`; two metadata
 * entries (metadata is written to the JSON output but, unlike tags, creates no metric series) go with them:
 * `request` (the iteration's number in its scenario) on every point of the request, and `pod` (the `x-pod`
 * response header) on the check's point, so that the pod can be joined to the request.
 */
export function request() {
  const metadata = exec.vu.metrics.metadata;
  metadata.request = String(exec.scenario.iterationInTest);
  // Go's HTTP client closes a connection after a request that asks for it, and a VU of this scenario then has
  // no idle connection to reuse: every request opens its own.
  const headers = __ENV.CONNECTION === 'new' ? { Connection: 'close' } : {};
  // A router's address in the URL and the route's host in the Host header, as `curl --resolve` does.
  if (__ENV.TARGET_HOST) headers.Host = __ENV.TARGET_HOST;
  const response = http.get(__ENV.TARGET_URL, { timeout: TIMEOUT, headers });
  // Response header names are canonicalised by Go: "x-pod" arrives as "X-Pod".
  const pod = response.headers['X-Pod'];
  if (pod) metadata.pod = pod;
  check(response, {
    // What http_req_failed counts as a success too (k6's default expected statuses are 200-399).
    'status is 2xx or 3xx': (r) => r.status >= 200 && r.status < 400,
  });
  delete metadata.pod;
  delete metadata.request;
  if (LOG_SAMPLES) logSample(response, pod);
}

/**
 * The request as one console line (src/load/k6-operator/runner-log.ts reads it): what the `--out json` points
 * give (src/load/k6/ndjson.ts), in a few dozen bytes instead of a dozen points, so that a pod's log holds it all.
 * `end` is when the response was read (k6's own end time of the request is a few microseconds earlier).
 */
function logSample(response, pod) {
  const sample = {
    t: __ENV.TARGET_NAME,
    c: __ENV.CONNECTION,
    i: exec.scenario.iterationInTest,
    end: Date.now(),
    b: response.timings.blocked,
    d: response.timings.duration,
    s: response.status,
  };
  if (response.error_code) sample.ec = response.error_code;
  if (response.error) sample.e = response.error;
  if (pod) sample.p = pod;
  console.log(`zdd-sample ${JSON.stringify(sample)}`);
}

/** The end-of-test data as JSON for zdd, or a short text summary when run by hand. */
export function handleSummary(data) {
  if (__ENV.SUMMARY_FILE) return { [__ENV.SUMMARY_FILE]: JSON.stringify(data) };
  if (LOG_SAMPLES) return { stdout: `${textSummary(data)}zdd-summary ${JSON.stringify(logSummary(data))}\n` };
  return { stdout: textSummary(data) };
}

/** What zdd checks the logged samples against: every request this k6 made, and the iterations it dropped. */
function logSummary(data) {
  const metrics = data.metrics || {};
  const dropped = {};
  for (const target of TARGETS) {
    dropped[scenarioName(target)] = value(metrics[`dropped_iterations{scenario:${scenarioName(target)}}`], 'count');
  }
  return { httpReqs: value(metrics.http_reqs, 'count'), dropped };
}

function textSummary(data) {
  const metrics = data.metrics || {};
  const lines = ['', 'zdd rollout load'];
  for (const target of TARGETS) {
    const pattern = `{variant:${target.name},connection:${target.connection}}`;
    const failedMetric = metrics[`http_req_failed${pattern}`];
    const failed = value(failedMetric, 'passes');
    const requests = failed + value(failedMetric, 'fails');
    const dropped = value(metrics[`dropped_iterations{scenario:${scenarioName(target)}}`], 'count');
    const gate = thresholdsFailed(failedMetric) ? '  ✗ over the error-rate threshold' : '';
    lines.push(
      `  ${target.name} (${target.connection} connections): ${requests} requests, ${failed} failed ` +
        `(${((requests === 0 ? 0 : failed / requests) * 100).toFixed(2)}%), ${dropped} dropped iterations${gate}`,
    );
  }
  return `${lines.join('\n')}\n\n`;
}

function value(metric, key) {
  return metric?.values?.[key] ?? 0;
}

function thresholdsFailed(metric) {
  return Object.values(metric?.thresholds || {}).some((threshold) => threshold.ok === false);
}

/** `load_<name>_<connection>` with every character k6 does not allow in a scenario name replaced by `_`. */
function scenarioName(target) {
  return `load_${target.name.replace(/[^0-9A-Za-z_]/g, '_')}_${target.connection}`;
}

function parseTargets(text) {
  if (!text) throw new Error('TARGETS is required: -e TARGETS=\'[{"name":"default","url":"http://127.0.0.1:8080/"}]\'');
  let targets;
  try {
    targets = JSON.parse(text);
  } catch (error) {
    throw new Error(`TARGETS is not JSON: ${error.message}`);
  }
  if (!Array.isArray(targets) || targets.length === 0) throw new Error('TARGETS must be a non-empty JSON array');
  const scenarios = new Set();
  for (const target of targets) {
    if (typeof target?.name !== 'string' || target.name === '' || typeof target.url !== 'string') {
      throw new Error(`every target needs a "name" and a "url", got ${JSON.stringify(target)}`);
    }
    target.connection = target.connection ?? 'reused';
    if (target.connection !== 'reused' && target.connection !== 'new') {
      throw new Error(`a target's "connection" must be "reused" or "new", got ${JSON.stringify(target.connection)}`);
    }
    if (scenarios.has(scenarioName(target))) {
      throw new Error(`two targets share the scenario name ${scenarioName(target)}`);
    }
    scenarios.add(scenarioName(target));
  }
  return targets;
}

function parseRate(text) {
  const rate = Number(text);
  if (!text || !Number.isFinite(rate) || rate <= 0 || Math.abs(rate * 1000 - Math.round(rate * 1000)) > 1e-6) {
    throw new Error(`RATE must be a number of requests per second > 0 with at most 3 decimals, got ${text}`);
  }
  return rate;
}

function parseErrorRate(text) {
  const rate = Number(text);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`MAX_ERROR_RATE must be 0..1, got ${text}`);
  return rate;
}

function parseCount(name, text, fallback) {
  if (text === undefined || text === '') return Math.max(1, fallback);
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${name} must be an integer >= 1, got ${text}`);
  return count;
}

/** "10s", "500ms", "1.5s", "2m" or a plain number of ms (what k6 accepts for a request timeout). */
function parseDurationMs(name, text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(text).trim());
  if (!match) throw new Error(`${name} must be a duration such as "10s" or "500ms", got ${text}`);
  const factor = { ms: 1, s: 1000, m: 60000 }[match[2] || 'ms'];
  return Number(match[1]) * factor;
}
