import { expect, test } from 'vitest';
import { lateRunners, operatorLoadResult } from '../../../src/load/k6-operator/operator-load.js';
import { mergeRunnerLogs } from '../../../src/load/k6-operator/runner-log.js';
import { readRunnerPods } from '../../../src/load/k6-operator/runner-pods.js';
import { summarizeRun, verdict } from '../../../src/results-folder/run-result.js';

const line = (target: string, end: number, status = 200) =>
  `zdd-sample ${JSON.stringify({ t: target, c: 'reused', i: end, end, b: 1, d: 2, s: status })}`;
const summary = (httpReqs: number, dropped = 0) =>
  `zdd-summary ${JSON.stringify({ httpReqs, dropped: { load_zd_reused: dropped, load_default_reused: 0 } })}`;
const targets = [
  { name: 'default', url: 'http://router/', connection: 'reused' as const },
  { name: 'zd', url: 'http://router/', connection: 'reused' as const },
];

test("the runners' logs as one load: each stream's requests and the iterations the runners dropped, summed", () => {
  const merged = mergeRunnerLogs(
    [
      { runner: 'r-1', segment: '0:1/2', text: [line('zd', 1000), line('default', 1001), summary(2, 1)].join('\n') },
      { runner: 'r-2', segment: '1/2:1', text: [line('zd', 1010), line('default', 1011), summary(2, 2)].join('\n') },
    ],
    { targets: ['default', 'zd'] },
  );
  const result = operatorLoadResult(merged, [], { targets, parallelism: 2, rate: 10 });
  expect(result.problems).toEqual([]);
  expect(result.delivery).toEqual([
    { target: 'default', connection: 'reused', scheduled: 2, sent: 2, dropped: 0, late: 0 },
    { target: 'zd', connection: 'reused', scheduled: 5, sent: 2, dropped: 3, late: 0 },
  ]);
  expect(result.runners?.map((runner) => runner.segment)).toEqual(['0:1/2', '1/2:1']);
});

test('a runner that lost lines, one missing, one that started late and a broken follow each make the run INCONCLUSIVE', () => {
  const merged = mergeRunnerLogs([
    { runner: 'r-1', text: [line('zd', 1000), summary(3)].join('\n') },
    { runner: 'r-2', text: [line('zd', 9000), summary(1)].join('\n') },
  ]);
  const result = operatorLoadResult(merged, ['runner r-2: `kubectl logs --follow r-2` ended with exit code 1'], {
    targets: [targets[1] ?? targets[0]].flatMap((target) => (target ? [target] : [])),
    parallelism: 3,
    rate: 10,
  });
  expect(result.problems).toEqual([
    'runner r-2: `kubectl logs --follow r-2` ended with exit code 1',
    "2 of 3 runners' logs were read",
    expect.stringMatching(/^runner r-1: its k6 made 3 requests, but its log holds 1: lines were lost/),
    'runner r-2 started sending 8.0 s after the first (more than 1.3 s): its share of the load was missing until then',
  ]);
  const variants = [
    { name: 'default', role: 'default' as const },
    { name: 'zd', role: 'zero-downtime' as const },
  ];
  const run = { variants, rounds: [], samples: result.samples, connections: ['reused' as const], load: result };
  const judged = verdict(summarizeRun(run), run, 0);
  expect(judged.outcome).toBe('inconclusive');
  expect(judged.message).toContain("2 of 3 runners' logs were read");
});

test('runners released together are not late: one interval per runner and a second of slack', () => {
  const runner = (name: string, startedAt: number) => ({
    runner: name,
    requests: 1,
    dropped: {},
    startedAt,
    cancelled: 0,
  });
  expect(lateRunners([runner('a', 0), runner('b', 1290)], { parallelism: 3, rate: 10 })).toEqual([]);
  expect(lateRunners([runner('a', 0), runner('b', 1400)], { parallelism: 3, rate: 10 })).toHaveLength(1);
});

test("runner pods: each one's segment from its command, and a pod that cannot pull its image", () => {
  const pods = readRunnerPods({
    items: [
      {
        metadata: { name: 'zdd-load-1-x' },
        spec: { containers: [{ command: ['k6', 'run', '--execution-segment=0:1/2', '/test/a.js'] }] },
        status: { phase: 'Running' },
      },
      {
        metadata: { name: 'zdd-load-2-y' },
        spec: { containers: [{ command: ['k6', 'run', '--execution-segment=1/2:1'] }] },
        status: {
          phase: 'Pending',
          containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff', message: 'no such image' } } }],
        },
      },
    ],
  });
  expect(pods).toEqual([
    { name: 'zdd-load-1-x', phase: 'Running', segment: '0:1/2' },
    { name: 'zdd-load-2-y', phase: 'Pending', segment: '1/2:1', stuck: 'ImagePullBackOff: no such image' },
  ]);
});
