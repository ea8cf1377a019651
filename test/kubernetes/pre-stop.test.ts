import { describe, expect, test } from 'vitest';
import { execSleepOf, preStopSleep, scriptSleepSeconds } from '../../src/kubernetes/pre-stop.js';
import { resolvePreStop } from '../../src/manifests/pre-stop.js';

describe('preStop delays', () => {
  test.each([
    [['/bin/sh', '-c', 'sleep 10; /opt/jws-5.3/tomcat/bin/shutdown.sh'], 10, 'shell'],
    [['sh', '-ec', 'sleep 2 && sleep 3s'], 5, 'shell'],
    [['/usr/bin/env', 'bash', '-c', 'exec sleep 1m'], 60, 'shell'],
    [['/bin/sleep', '7.5'], 7.5, 'binary'],
    [['/busybox/sh', '-c', 'sleep 10'], 10, 'shell'],
  ] as const)('%j sleeps %d s', (command, seconds, how) => {
    expect(execSleepOf(command)).toEqual({ seconds, how });
  });

  test('a sleep in the background or none at all is no delay', () => {
    expect(scriptSleepSeconds('sleep 30 & kill 1')).toBeUndefined();
    expect(execSleepOf(['nginx', '-s', 'quit'])).toBeUndefined();
    expect(execSleepOf(['/bin/sh', '-c', 'kill -TERM 1'])).toBeUndefined();
  });
});

describe('preStopSleep', () => {
  test('the native sleep action, exec sleep alone or through a shell with what runs after it', () => {
    expect(preStopSleep({ sleep: { seconds: 5 } })).toEqual({ how: 'native', seconds: 5 });
    expect(preStopSleep({ exec: { command: ['sleep', '5'] } })).toEqual({
      how: 'binary',
      seconds: 5,
      after: undefined,
    });
    expect(preStopSleep({ exec: { command: ['/bin/sh', '-c', 'sleep 5 && nginx -s quit'] } })).toEqual({
      how: 'shell',
      seconds: 5,
      after: 'nginx -s quit',
    });
  });

  test('anything else is unknown; no hook is undefined', () => {
    expect(preStopSleep(undefined)).toBeUndefined();
    expect(preStopSleep({ exec: { command: ['/bin/sh', '-c', 'kill 1'] } })).toEqual({
      how: 'unknown',
      command: 'kill 1',
    });
    expect(preStopSleep({ httpGet: { path: '/drain', port: 8080 } })).toEqual({
      how: 'unknown',
      command: 'GET /drain',
    });
  });

  test('the hook zdd generates reads back as its sleep and shutdown command', () => {
    const { handler } = resolvePreStop({ sleepSeconds: 12, shutdownCommand: 'kill -QUIT 1' });
    expect(preStopSleep(handler)).toEqual({ how: 'shell', seconds: 12, after: 'kill -QUIT 1' });
    const native = resolvePreStop({ action: 'sleep', sleepSeconds: 3 });
    expect(native.handler).toBeUndefined();
  });
});
