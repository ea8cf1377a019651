// The zdd sample app: an HTTP server that behaves like a servlet container during a rollout.
// Phases: booting (port closed) → warmup (every request WARMUP_STATUS, 503 by default) → serving (200)
// → stopping → exited.
// Plain Node.js built-ins only, so that it runs in any Node.js image and as a local process.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';

/** A non-negative integer from the environment, or the default. */
function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`zdd-sample-app: ${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return value;
}

const PORT = intFromEnv('PORT', 8080);
const HOST = process.env.HOST || '0.0.0.0';
const STARTUP_DELAY_MS = intFromEnv('STARTUP_DELAY_MS', 2000);
const WARMUP_MS = intFromEnv('WARMUP_MS', 6000);
const WARMUP_STATUS = intFromEnv('WARMUP_STATUS', 503);
const RESPONSE_DELAY_MS = intFromEnv('RESPONSE_DELAY_MS', 0);
const SHUTDOWN_TIMEOUT_MS = intFromEnv('SHUTDOWN_TIMEOUT_MS', 30000);
const POD_NAME = process.env.POD_NAME || hostname();
const VERSION = process.env.VERSION || '1';
const PID_FILE = process.env.PID_FILE || '/tmp/zdd-sample-app.pid';

// An error status, or a client could not tell the warm-up from serving.
if (WARMUP_STATUS < 400 || WARMUP_STATUS > 599) {
  console.error(`zdd-sample-app: WARMUP_STATUS must be an HTTP error status from 400 to 599, got ${WARMUP_STATUS}`);
  process.exit(1);
}
// 503: the app says it is not available yet. 404: a servlet container whose webapp is not deployed yet
// answers for a path no deployed context maps.
const WARMUP_BODY = WARMUP_STATUS === 404 ? 'not found: the webapp is not deployed yet\n' : 'warming up\n';

let phase = 'booting';
let warmupTimer;

function log(message) {
  console.log(`zdd-sample-app pod=${POD_NAME} ${message}`);
}

function enter(next, detail = '') {
  phase = next;
  log(`phase=${next}${detail ? ` ${detail}` : ''}`);
}

// The PID file lets shutdown.js (the preStop hook) find this process, as Tomcat's CATALINA_PID does.
try {
  writeFileSync(PID_FILE, `${process.pid}\n`);
} catch (error) {
  log(`cannot write PID file ${PID_FILE}: ${error.message}`);
}

function removePidFile() {
  try {
    // Only our own: another instance may have taken the file over since.
    if (readFileSync(PID_FILE, 'utf8').trim() === String(process.pid)) unlinkSync(PID_FILE);
  } catch {
    // Missing or unreadable: nothing to clean up.
  }
}

function exit(code) {
  removePidFile();
  enter('exited', `code=${code}`);
  process.exit(code);
}

function send(response, status, contentType, body) {
  const headers = {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-pod': POD_NAME,
    'x-app-phase': phase,
  };
  // Once stopping, tell the client (or router) not to reuse this connection: it is about to go away.
  if (phase === 'stopping') headers.connection = 'close';
  response.writeHead(status, headers);
  response.end(body);
}

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (phase === 'warmup') {
    send(response, WARMUP_STATUS, 'text/plain', WARMUP_BODY);
  } else if (path === '/healthz') {
    // Only a serving app is ready: 503 while stopping too, so a probe takes the pod out.
    if (phase === 'serving') send(response, 200, 'text/plain', 'ok\n');
    else send(response, 503, 'text/plain', `${phase}\n`);
  } else {
    const body = `${JSON.stringify({ pod: POD_NAME, version: VERSION, path })}\n`;
    // The delay keeps requests in flight, the ones a careless shutdown drops.
    setTimeout(() => send(response, 200, 'application/json', body), RESPONSE_DELAY_MS);
  }
});

// Idle keep-alive connections stay open longer than any router in front keeps one unused (zdd's built-in
// router: 2 s; nginx's upstream keepalive: 60 s), so the router is the one that closes them: closing from this
// side races with a request the router is sending on the connection (Node's default here is 5 s).
server.keepAliveTimeout = 65_000;

server.on('error', (error) => {
  log(`server error: ${error.message}`);
  exit(1);
});

// The phases are timed from the process start (performance.now() counts from it), so that
// Node's own start-up is part of the boot phase rather than added to it.
const bootTimer = setTimeout(
  () => {
    server.listen(PORT, HOST, () => {
      // Listening starts the warm-up: the port is open, the app is not deployed yet.
      phase = 'warmup';
      log(`phase=listening port=${server.address().port} host=${HOST}`);
      warmupTimer = setTimeout(() => enter('serving'), Math.max(0, STARTUP_DELAY_MS + WARMUP_MS - performance.now()));
    });
  },
  Math.max(0, STARTUP_DELAY_MS - performance.now()),
);

function stop(reason) {
  if (phase === 'stopping' || phase === 'exited') return; // the kubelet's SIGTERM after the preStop hook lands here
  if (phase === 'booting') {
    // Nothing listens yet: nothing to drain.
    clearTimeout(bootTimer);
    enter('stopping', `reason=${reason}`);
    exit(0);
    return;
  }
  clearTimeout(warmupTimer);
  enter('stopping', `reason=${reason}`);
  // Stop accepting, drop idle keep-alive connections; in-flight requests finish with `Connection: close`.
  server.close(() => exit(0));
  server.closeIdleConnections();
  setTimeout(() => {
    log(`shutdown timeout after ${SHUTDOWN_TIMEOUT_MS} ms: closing all connections`);
    server.closeAllConnections();
    exit(0);
  }, SHUTDOWN_TIMEOUT_MS);
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGUSR2', () => stop('shutdown-command'));

enter('booting', `pid=${process.pid}`);
