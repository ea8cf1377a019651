import { afterEach, expect, test } from 'vitest';
import { podTemplateSchema } from '../../src/cluster/local/objects.js';
import { Pod } from '../../src/cluster/local/pod.js';
import { EventLog } from '../../src/runtime/events.js';
import { ProcessSupervisor } from '../../src/runtime/processes.js';
import { makeTempDir, type TempDir } from '../../src/runtime/temp-dir.js';
import { Timing } from '../../src/runtime/timing.js';
import {
  apiPodStatus,
  apiTime,
  ConditionClock,
  type PodReport,
  parseExit,
  terminated,
} from '../../src/testbed/pod-status.js';
import { until } from '../helpers/wait.js';

const T0 = Date.parse('2026-11-29T10:00:00.000Z');

const running: PodReport = {
  phase: 'Running',
  podIP: '10.244.0.2',
  hostIP: '127.0.0.1',
  startTime: T0,
  ready: true,
  container: {
    name: 'app',
    image: 'zdd-sample-app:latest',
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: T0 + 20 } },
    containerId: 'zdd://4242',
  },
  scheduled: { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-11-29T09:59:59Z' },
};

test('a running, ready pod: the kubelet’s conditions, its address, the container running', () => {
  expect(apiPodStatus(running, new ConditionClock(), T0 + 8000)).toEqual({
    phase: 'Running',
    conditions: [
      {
        type: 'PodReadyToStartContainers',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-11-29T10:00:08Z',
      },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-29T10:00:08Z' },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-29T10:00:08Z' },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-29T10:00:08Z' },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-11-29T09:59:59Z' },
    ],
    hostIP: '127.0.0.1',
    hostIPs: [{ ip: '127.0.0.1' }],
    podIP: '10.244.0.2',
    podIPs: [{ ip: '10.244.0.2' }],
    startTime: '2026-11-29T10:00:00Z',
    containerStatuses: [
      {
        name: 'app',
        image: 'zdd-sample-app:latest',
        imageID: '',
        containerID: 'zdd://4242',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: '2026-11-29T10:00:00Z' } },
        lastState: {},
      },
    ],
  });
});

test('Ready keeps its lastTransitionTime while it stays, and takes a new one when it flips, with the kubelet’s reason', () => {
  const clock = new ConditionClock();
  const ready = (status: Record<string, unknown>) =>
    (status.conditions as Array<{ type: string }>).find((condition) => condition.type === 'Ready');
  apiPodStatus({ ...running, ready: false }, clock, T0);
  expect(ready(apiPodStatus({ ...running, ready: false }, clock, T0 + 5000))).toEqual({
    type: 'Ready',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: '2026-11-29T10:00:00Z',
    reason: 'ContainersNotReady',
    message: 'containers with unready status: [app]',
  });
  expect(ready(apiPodStatus(running, clock, T0 + 9000))).toMatchObject({
    status: 'True',
    lastTransitionTime: '2026-11-29T10:00:09Z',
  });
});

test('a container that exited waits for its restart with the exit in lastState; a pod that cannot pull waits without an address', () => {
  const crashed = apiPodStatus(
    {
      ...running,
      ready: false,
      container: {
        ...running.container,
        ready: false,
        started: false,
        restartCount: 1,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } },
        lastState: terminated({ code: 3 }, { startedAt: T0, finishedAt: T0 + 1000 }),
      },
    },
    new ConditionClock(),
    T0 + 2000,
  );
  expect(crashed.containerStatuses).toMatchObject([
    {
      restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } },
      lastState: {
        terminated: {
          exitCode: 3,
          reason: 'Error',
          startedAt: '2026-11-29T10:00:00Z',
          finishedAt: '2026-11-29T10:00:01Z',
        },
      },
    },
  ]);
  const { podIP, ...withoutAddress } = running;
  const pulling = apiPodStatus(
    {
      ...withoutAddress,
      phase: 'Pending',
      ready: false,
      container: { ...running.container, state: { waiting: { reason: 'ErrImagePull', message: 'no' } } },
    },
    new ConditionClock(),
    T0,
  );
  expect(podIP).toBe('10.244.0.2');
  expect(pulling).not.toHaveProperty('podIP');
  expect(pulling.phase).toBe('Pending');
  expect((pulling.conditions as Array<{ type: string; status: string }>)[0]).toMatchObject({
    type: 'PodReadyToStartContainers',
    status: 'False',
  });
});

test('exit codes as the kubelet reports them: a signal is 128 + its number', () => {
  expect(terminated({ code: 0 }, { finishedAt: T0 })).toEqual({ exitCode: 0, reason: 'Completed', finishedAt: T0 });
  expect(terminated({ signal: 'SIGKILL' }, { finishedAt: T0 }).exitCode).toBe(137);
  expect(terminated({ signal: 'SIGTERM' }, { finishedAt: T0 })).toMatchObject({ exitCode: 143, reason: 'Error' });
  expect(apiTime(T0 + 999)).toBe('2026-11-29T10:00:00Z');
});

let supervisor: ProcessSupervisor | undefined;
let dir: TempDir | undefined;
afterEach(() => {
  supervisor?.close();
  dir?.remove();
});

test('the exits the local pod runner reports are read back as exit codes (the words of pod.ts)', async () => {
  supervisor = new ProcessSupervisor();
  dir = makeTempDir('pod-status-test');
  const events = new EventLog();
  const pod = (name: string, script: string) =>
    new Pod({
      name,
      workload: 'test',
      revision: 'test-1',
      template: podTemplateSchema.parse({
        spec: { containers: [{ name: 'app', image: 'x' }], terminationGracePeriodSeconds: 5 },
      }),
      mapping: { image: 'x', command: ['node', '-e', script], portEnv: 'PORT' },
      supervisor: supervisor as ProcessSupervisor,
      events,
      timing: new Timing(0.01),
      dir: `${(dir as TempDir).path}/${name}`,
      onChange: () => {},
    });
  const crashing = pod('crashing', 'process.exit(3)');
  const sleeping = pod('sleeping', 'setTimeout(() => {}, 60000)');
  await Promise.all([crashing.start(), sleeping.start()]);
  expect(
    await until(() => events.all().some((e) => e.object === 'crashing' && e.type === 'container-restarted'), 10_000),
  ).toBe(true);
  expect(await until(() => sleeping.pid !== undefined, 10_000)).toBe(true);
  await Promise.all([crashing.delete(), sleeping.delete()]);
  const detail = (object: string, type: string) =>
    events.all().find((e) => e.object === object && e.type === type)?.detail;
  expect(parseExit(detail('crashing', 'container-restarted'))).toEqual({ code: 3 });
  // Node ends on SIGTERM without a handler: the kubelet would say 143.
  expect(parseExit(detail('sleeping', 'pod-exited'))).toEqual({ signal: 'SIGTERM' });
});
