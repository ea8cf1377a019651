import { defineCommand } from '../command.js';
import { numberOption } from '../flags/number-option.js';

/** Where the figures come from besides a results folder, and how to read them. */
const SOURCE_OPTIONS = {
  from: {
    type: 'string',
    describe:
      'another tool’s results instead: a JMeter .jtl (CSV), k6 --out json or --out csv output, or a k6 summary JSON',
  },
  variant: {
    type: 'string',
    array: true,
    describe: 'ROLE=LABEL: which label or k6 variant/scenario is default or zero-downtime (repeatable)',
  },
  events: {
    type: 'string',
    describe: 'rollout times and cluster events: events.json of a run, or zdd local events --json output',
  },
  workload: {
    type: 'string',
    array: true,
    describe: 'LABEL=WORKLOAD: the workload in --events that served LABEL (default: the one named LABEL)',
  },
  'rollout-at': {
    type: 'string',
    array: true,
    describe: 'ISO 8601 time a rollout started, when there is no --events (repeatable)',
  },
  'max-error-rate': {
    ...numberOption('--max-error-rate'),
    describe: "with --from: the zero-downtime variant's error budget per connection pattern, in percent (default 0)",
  },
  latency: {
    choices: ['duration', 'total'] as const,
    describe:
      "what the latency figures measure: total (from the request's start, connecting included; the default where the source has it) or duration (k6's http_req_duration: from sending it; a k6 summary's only)",
  },
} as const;

export const reportCommand = defineCommand({
  command: 'report [dir]',
  describe:
    'write report.html, report.md and timeline.svg for a results folder, or for JMeter or k6 results (--from); print the table',
  repeatable: ['variant', 'workload', 'rollout-at'],
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'a results folder of zdd compare (results/<timestamp>)' })
      .options(SOURCE_OPTIONS)
      .option('out', {
        type: 'string',
        describe: 'folder for the files (default: the results folder; with --from, <file>-report/ beside the file)',
      })
      .option('format', {
        choices: ['table', 'markdown', 'json'] as const,
        default: 'table' as const,
        describe: 'what goes to stdout: the table, the Markdown report, or the figures as JSON',
      })
      .option('wide', {
        type: 'boolean',
        default: false,
        describe: 'every figure in the table (latencies, TPS, failures by kind, …), however wide it runs',
      })
      .example('$0 report results/2026-11-29T18-12-34-157Z', 'the report of a compare run')
      .example(
        '$0 report --from run.jtl --variant default=old-app --variant zero-downtime=new-app --events events.json',
        'JMeter results of your own, with the rollout times of zdd local events --json',
      )
      .example('$0 report --from k6.ndjson --rollout-at 2026-11-29T18:48:31Z', 'k6 --out json output')
      .example('$0 report --from k6.csv --latency duration', 'k6 --out csv output, latency as http_req_duration'),
  run: async (args) => {
    const { report } = await import('./index.js');
    return report({
      ...(args.dir !== undefined && { folder: args.dir }),
      ...(args.from !== undefined && { from: args.from }),
      variants: args.variant ?? [],
      workloads: args.workload ?? [],
      ...(args.events !== undefined && { events: args.events }),
      rolloutAt: args['rollout-at'] ?? [],
      ...(args['max-error-rate'] !== undefined && { maxErrorRate: args['max-error-rate'] }),
      ...(args.latency !== undefined && { latency: args.latency }),
      ...(args.out !== undefined && { out: args.out }),
      format: args.format,
      wide: args.wide,
    });
  },
});
