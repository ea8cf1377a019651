#!/bin/sh
# shutdown.js without Node.js's start-up: the local cluster runs this one in the preStop hooks of its built-in
# images, because starting Node.js takes tens of milliseconds that zdd's --time-scale cannot shorten (at 0.1
# they would stretch a 1 s preStop sleep by half). The same protocol: SIGUSR2 to the server whose PID is in
# PID_FILE, then wait until it has exited, at most SHUTDOWN_TIMEOUT_MS.
pid_file="${PID_FILE:-/tmp/zdd-sample-app.pid}"
timeout_ms="${SHUTDOWN_TIMEOUT_MS:-30000}"

if ! pid=$(cat "$pid_file" 2>/dev/null); then
  echo "zdd-sample-app shutdown: cannot read PID file $pid_file: is the server running?" >&2
  exit 1
fi
case "$pid" in
  '' | *[!0-9]*)
    echo "zdd-sample-app shutdown: PID file $pid_file holds no PID: $pid" >&2
    exit 1
    ;;
esac
if ! kill -USR2 "$pid" 2>/dev/null; then
  echo "zdd-sample-app shutdown: server (pid $pid) is not running" >&2
  exit 0
fi
waited=0
while kill -0 "$pid" 2>/dev/null; do
  if [ "$waited" -ge "$timeout_ms" ]; then
    echo "zdd-sample-app shutdown: server (pid $pid) still running after $timeout_ms ms" >&2
    exit 1
  fi
  sleep 0.01
  waited=$((waited + 10))
done
