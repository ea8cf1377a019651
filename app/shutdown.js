// Graceful shutdown, the counterpart of Tomcat's shutdown.sh: a preStop hook runs
// `node /opt/app-root/src/shutdown.js`, which asks the server to drain (SIGUSR2) and returns only once
// the server has exited, so that the kubelet's SIGTERM afterwards finds nothing left to drop.
import { readFileSync } from 'node:fs';

const PID_FILE = process.env.PID_FILE || '/tmp/zdd-sample-app.pid';
const SHUTDOWN_TIMEOUT_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS || 30000);
const POLL_MS = 50;

function fail(message) {
  console.error(`zdd-sample-app shutdown: ${message}`);
  process.exit(1);
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return error.code === 'EPERM';
  }
}

let text;
try {
  text = readFileSync(PID_FILE, 'utf8');
} catch (error) {
  fail(`cannot read PID file ${PID_FILE} (${error.code ?? error.message}): is the server running?`);
}
const pid = Number(text.trim());
if (!Number.isInteger(pid) || pid <= 0) fail(`PID file ${PID_FILE} holds no PID: ${JSON.stringify(text)}`);
if (!Number.isFinite(SHUTDOWN_TIMEOUT_MS) || SHUTDOWN_TIMEOUT_MS < 0) fail('SHUTDOWN_TIMEOUT_MS must be >= 0');

try {
  process.kill(pid, 'SIGUSR2');
} catch (error) {
  if (error.code !== 'ESRCH') fail(`cannot signal server (pid ${pid}): ${error.message}`);
  // Already gone: what we wanted.
  console.error(`zdd-sample-app shutdown: server (pid ${pid}) is not running`);
  process.exit(0);
}

const deadline = Date.now() + SHUTDOWN_TIMEOUT_MS;
const timer = setInterval(() => {
  if (!isRunning(pid)) {
    clearInterval(timer);
    process.exit(0);
  }
  if (Date.now() >= deadline) fail(`server (pid ${pid}) still running after ${SHUTDOWN_TIMEOUT_MS} ms`);
}, POLL_MS);
